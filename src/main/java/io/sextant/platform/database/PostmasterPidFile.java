package io.sextant.platform.database;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What a PostgreSQL server writes into {@code postmaster.pid} in its data directory while it runs:
 * its process id, the data directory, its start time and port. The file outlives a server that was
 * killed.
 *
 * @param pid the postmaster's process id
 * @param dataDir the data directory as the server saw it
 * @param started when the postmaster started
 * @param port its TCP port
 */
record PostmasterPidFile(long pid, Path dataDir, Instant started, int port) {

    static final String NAME = "postmaster.pid";

    /** The file in {@code dataDir}, if there is one with at least its first four lines. */
    static Optional<PostmasterPidFile> read(Path dataDir) throws IOException {
        try {
            return parse(Files.readAllLines(dataDir.resolve(NAME)));
        } catch (NoSuchFileException none) {
            return Optional.empty();
        }
    }

    /** Empty when the lines are not a complete postmaster.pid (a server still writing it). */
    static Optional<PostmasterPidFile> parse(List<String> lines) {
        if (lines.size() < 4) {
            return Optional.empty();
        }
        try {
            return Optional.of(new PostmasterPidFile(
                    Long.parseLong(lines.get(0).trim()),
                    Path.of(lines.get(1).trim()),
                    Instant.ofEpochSecond(Long.parseLong(lines.get(2).trim())),
                    Integer.parseInt(lines.get(3).trim())));
        } catch (NumberFormatException incomplete) {
            return Optional.empty();
        }
    }
}
