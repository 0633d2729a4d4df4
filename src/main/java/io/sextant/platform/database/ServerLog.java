package io.sextant.platform.database;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.lang.ProcessBuilder.Redirect;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The embedded server's own log. initdb, {@code pg_ctl} and the postmaster append their output to
 * {@code <data dir>.log} beside the data directory (inside, it would stop initdb, which needs an
 * empty directory), where it outlives a crash of Sextant and explains a failed start. When the data
 * directory's parent is not writable the output goes to the application log instead, as the
 * library does by default.
 */
final class ServerLog {

    private static final FileAttribute<?> OWNER_ONLY =
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"));
    private static final long ROTATE_AT_BYTES = 10L * 1024 * 1024;
    private static final int TAIL_BYTES = 16 * 1024;
    private static final String START_FAILED = "pg_ctl: could not start server";

    private final @Nullable Path file;
    private final long startOffset;

    private ServerLog(@Nullable Path file, long startOffset) {
        this.file = file;
        this.startOffset = startOffset;
    }

    /**
     * The log of {@code dataDir}, rotated to {@code .log.1} when it has grown large; what this start
     * writes is what follows the current end.
     */
    static ServerLog beside(Path dataDir) throws IOException {
        Path parent = dataDir.getParent();
        if (parent == null || !Files.isWritable(parent)) {
            return new ServerLog(null, 0);
        }
        Path file = parent.resolve(dataDir.getFileName() + ".log");
        if (Files.exists(file) && Files.size(file) > ROTATE_AT_BYTES) {
            // A stale server may still append to it: it keeps writing into the renamed file.
            Files.move(file, parent.resolve(file.getFileName() + ".1"), StandardCopyOption.REPLACE_EXISTING);
        }
        if (!Files.exists(file)) {
            // Failed statements are logged with their values: for the service's user only.
            Files.createFile(
                    file, PostgresBinaries.posix() ? new FileAttribute<?>[] {OWNER_ONLY} : new FileAttribute<?>[0]);
        }
        return new ServerLog(file, Files.size(file));
    }

    /** Where the server's output goes. */
    Redirect redirect() {
        return file == null ? Redirect.PIPE : Redirect.appendTo(file.toFile());
    }

    /** The log file, or a note saying where the output went instead. */
    String location() {
        return file == null ? "the application log" : file.toString();
    }

    /** Whether {@code pg_ctl} reported, during this start, that the server exited instead of starting. */
    boolean startFailed() throws IOException {
        return sinceStart().contains(START_FAILED);
    }

    /** The last lines written during this start (at most 16 KB), empty when there are none to show. */
    String tail(int lines) throws IOException {
        List<String> written = sinceStart().lines().toList();
        return String.join("\n", written.subList(Math.max(0, written.size() - lines), written.size()));
    }

    private String sinceStart() throws IOException {
        if (file == null || !Files.exists(file)) {
            return "";
        }
        try (RandomAccessFile log = new RandomAccessFile(file.toFile(), "r")) {
            long from = Math.max(startOffset, log.length() - TAIL_BYTES);
            byte[] bytes = new byte[(int) Math.max(0, log.length() - from)];
            log.seek(from);
            log.readFully(bytes);
            return new String(bytes, StandardCharsets.UTF_8);
        }
    }
}
