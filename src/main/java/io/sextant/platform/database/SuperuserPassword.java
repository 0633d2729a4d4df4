package io.sextant.platform.database;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.Set;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The only way into the embedded server: the {@code postgres} role with a generated password, kept
 * owner-only in {@code postgres-password} in the data directory and checked with SCRAM over TCP on
 * the loopback address. No {@code trust}, no Unix-domain socket: any local user could otherwise
 * connect as superuser and read the signing keys.
 *
 * <p>The file is the truth: each start sets the role's password from it in single-user mode (no
 * server listens, so there is no moment in which anyone could connect without it), which also
 * locks down a data directory created by an earlier version with {@code trust}.
 */
final class SuperuserPassword {

    static final String FILE = "postgres-password";
    static final String HBA_FILE = "pg_hba.conf";

    private static final Logger log = LoggerFactory.getLogger(SuperuserPassword.class);
    private static final Set<PosixFilePermission> OWNER_READ_WRITE = PosixFilePermissions.fromString("rw-------");
    private static final Pattern TRUST = Pattern.compile("(?m)^[^#]*\\btrust\\b");
    private static final Duration SINGLE_USER_TIMEOUT = Duration.ofMinutes(5);
    private static final String HBA = """
            # Written by Sextant at each start: the embedded server accepts only password (SCRAM)
            # connections over TCP on the loopback address. The password of the role postgres is in
            # the file postgres-password in this directory.
            host all all 127.0.0.1/32 scram-sha-256
            """;

    private final String password;

    private SuperuserPassword(String password) {
        this.password = password;
    }

    /**
     * The password stored in {@code dataDir}, or a new one. A new one is written by {@link #apply}:
     * before initdb the data directory must stay empty.
     */
    static SuperuserPassword of(Path dataDir) throws IOException {
        String stored = stored(dataDir.resolve(FILE));
        if (!stored.isEmpty()) {
            return new SuperuserPassword(stored);
        }
        byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        return new SuperuserPassword(Base64.getUrlEncoder().withoutPadding().encodeToString(random));
    }

    String value() {
        return password;
    }

    /**
     * Stores the password (owner-only), sets it on the role {@code postgres} in single-user mode and
     * writes a {@code pg_hba.conf} without {@code trust}. Runs on an initialised data directory with
     * no server running on it; {@code fresh} when initdb has just created it (with {@code trust}).
     */
    void apply(Path dataDir, PostgresBinaries binaries, boolean fresh) throws IOException {
        Path file = dataDir.resolve(FILE);
        if (!stored(file).equals(password)) {
            writeOwnerOnly(file, password + "\n");
        } else if (PostgresBinaries.posix()
                && !Files.getPosixFilePermissions(file).equals(OWNER_READ_WRITE)) {
            log.warn("{} was readable by other users; made it owner-only (0600)", file);
            Files.setPosixFilePermissions(file, OWNER_READ_WRITE);
        }
        Path hba = dataDir.resolve(HBA_FILE);
        boolean wasTrusting = Files.exists(hba) && trusts(Files.readString(hba));
        PostgresBinaries.Outcome outcome = binaries.run(
                SINGLE_USER_TIMEOUT,
                "ALTER ROLE postgres PASSWORD '" + password.replace("'", "''") + "'\n",
                "postgres",
                "--single",
                "-D",
                dataDir.toString(),
                "-c",
                "exit_on_error=on",
                "-c",
                "password_encryption=scram-sha-256",
                "postgres");
        if (!outcome.succeeded()) {
            throw new IllegalStateException("could not set the password of the role postgres in single-user mode (exit "
                    + outcome.exitStatus() + "):\n" + outcome.output().replace(password, "<password>"));
        }
        if (!Files.exists(hba) || !Files.readString(hba).equals(HBA)) {
            writeOwnerOnly(hba, HBA);
        }
        if (wasTrusting && !fresh) {
            log.warn(
                    "{} let every local user connect as superuser without a password (trust); replaced by password"
                            + " authentication (SCRAM). The password is in {}",
                    hba,
                    file);
        }
    }

    /** Whether a pg_hba.conf text has an active line with the method {@code trust}. */
    static boolean trusts(String hba) {
        return TRUST.matcher(hba).find();
    }

    /** The first line of the password file, empty when there is none. */
    private static String stored(Path file) throws IOException {
        if (!Files.exists(file)) {
            return "";
        }
        return Files.readAllLines(file).stream().findFirst().orElse("").strip();
    }

    /** Writes through a temporary file, synced and moved into place, so a crash leaves the old or the new file. */
    private static void writeOwnerOnly(Path file, String content) throws IOException {
        Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
        Files.deleteIfExists(temporary);
        FileAttribute<?>[] ownerOnly = PostgresBinaries.posix()
                ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(OWNER_READ_WRITE)}
                : new FileAttribute<?>[0];
        try (FileChannel channel = FileChannel.open(
                temporary, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE), ownerOnly)) {
            channel.write(ByteBuffer.wrap(content.getBytes(StandardCharsets.UTF_8)));
            channel.force(true);
        }
        Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
}
