package io.sextant.platform.database;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a Sextant that ended without stopping its database (kill -9, a crash) leaves on the data
 * directory, cleared before the next start. {@code pg_ctl} detaches the postmaster, so it outlives
 * the JVM and keeps the directory; if the postmaster was killed too, backends still running a
 * statement outlive it and still hold its shared memory; and {@code postmaster.pid} may name a
 * process id that another process has since been given. Each stops PostgreSQL from starting.
 *
 * <p>Runs while this process holds the data directory's lock, so no live Sextant owns what it
 * finds. Stopping is safe: a fast shutdown checkpoints, and anything killed is recovered from the
 * write-ahead log on the next start.
 */
final class StaleServer {

    private static final Logger log = LoggerFactory.getLogger(StaleServer.class);
    private static final Duration SHUTDOWN_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration EXIT_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration START_TIME_TOLERANCE = Duration.ofSeconds(5);

    private StaleServer() {}

    /** Stops whatever PostgreSQL still runs on {@code dataDir} and removes a stale lock file. */
    static void clear(Path dataDir, PostgresBinaries binaries) throws IOException {
        Optional<PostmasterPidFile> pidFile = PostmasterPidFile.read(dataDir);
        if (pidFile.isPresent()) {
            PostmasterPidFile found = pidFile.get();
            Optional<ProcessHandle> postmaster =
                    ProcessHandle.of(found.pid()).filter(process -> isPostmasterOf(process, dataDir, found));
            if (postmaster.isPresent()) {
                stop(postmaster.get(), found, dataDir, binaries);
            }
        }
        terminateOrphans(dataDir);
        if (pidFile.isPresent() && Files.exists(dataDir.resolve(PostmasterPidFile.NAME))) {
            removeIfStale(pidFile.get(), dataDir);
        }
    }

    /**
     * A postmaster.pid left by a killed server whose process id another process has since been
     * given: PostgreSQL would take that process for a server still running and refuse to start.
     */
    private static void removeIfStale(PostmasterPidFile pidFile, Path dataDir) throws IOException {
        Optional<ProcessHandle> holder = ProcessHandle.of(pidFile.pid()).filter(ProcessHandle::isAlive);
        if (holder.isEmpty()) {
            return; // PostgreSQL removes a lock file of a dead process itself
        }
        if (isPostgres(holder.get())) {
            throw new IllegalStateException(PostmasterPidFile.NAME + " in " + dataDir + " names pid " + pidFile.pid()
                    + ", a PostgreSQL process that cannot be told to be this directory's server: stop it, or remove"
                    + " that file if it is not");
        }
        log.warn(
                "{} in {} names pid {}, which is no longer a PostgreSQL server on this directory; removed the stale"
                        + " file",
                PostmasterPidFile.NAME,
                dataDir,
                pidFile.pid());
        Files.delete(dataDir.resolve(PostmasterPidFile.NAME));
    }

    private static void stop(ProcessHandle postmaster, PostmasterPidFile found, Path dataDir, PostgresBinaries binaries)
            throws IOException {
        log.warn(
                "A PostgreSQL server (pid {}, port {}) is still running on {}, left by a Sextant that ended without"
                        + " stopping it; stopping it (fast shutdown)",
                found.pid(),
                found.port(),
                dataDir);
        PostgresBinaries.Outcome fast = pgCtlStop(binaries, dataDir, "fast");
        if (!fast.succeeded()) {
            log.warn(
                    "The stale PostgreSQL server (pid {}) did not stop within {}: {}; stopping it immediately"
                            + " (it recovers from its write-ahead log on the next start)",
                    found.pid(),
                    SHUTDOWN_TIMEOUT,
                    fast.output().strip());
            PostgresBinaries.Outcome immediate = pgCtlStop(binaries, dataDir, "immediate");
            if (!immediate.succeeded()) {
                throw new IllegalStateException("could not stop the stale PostgreSQL server (pid " + found.pid()
                        + ") on " + dataDir + ": " + immediate.output().strip());
            }
        }
        awaitExit(List.of(postmaster), dataDir);
        log.warn("Stopped the stale PostgreSQL server (pid {}) on {}", found.pid(), dataDir);
    }

    private static PostgresBinaries.Outcome pgCtlStop(PostgresBinaries binaries, Path dataDir, String mode)
            throws IOException {
        return binaries.run(
                SHUTDOWN_TIMEOUT.plusSeconds(10),
                null,
                "pg_ctl",
                "stop",
                "-D",
                dataDir.toString(),
                "-m",
                mode,
                "-w",
                "-t",
                Long.toString(SHUTDOWN_TIMEOUT.toSeconds()));
    }

    /** Server processes of a killed postmaster (found where /proc tells their working directory). */
    private static void terminateOrphans(Path dataDir) {
        List<ProcessHandle> orphans = ProcessHandle.allProcesses()
                .filter(process -> isPostgres(process)
                        && workingDirectory(process)
                                .map(directory -> sameFile(directory, dataDir))
                                .orElse(false))
                .toList();
        if (orphans.isEmpty()) {
            return;
        }
        List<Long> pids = orphans.stream().map(ProcessHandle::pid).toList();
        log.warn(
                "PostgreSQL processes {} of a server that was killed still run on {}; terminating them (the server"
                        + " recovers from its write-ahead log on the next start)",
                pids,
                dataDir);
        orphans.forEach(ProcessHandle::destroyForcibly);
        awaitExit(orphans, dataDir);
        log.warn("Terminated the PostgreSQL processes {} left on {}", pids, dataDir);
    }

    private static void awaitExit(List<ProcessHandle> processes, Path dataDir) {
        Instant deadline = Instant.now().plus(EXIT_TIMEOUT);
        for (ProcessHandle process : processes) {
            try {
                process.onExit()
                        .get(
                                Math.max(
                                        0,
                                        Duration.between(Instant.now(), deadline)
                                                .toMillis()),
                                TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for PostgreSQL to stop", e);
            } catch (ExecutionException | TimeoutException e) {
                throw new IllegalStateException("PostgreSQL process " + process.pid() + " on " + dataDir
                        + " did not exit within " + EXIT_TIMEOUT);
            }
        }
    }

    /**
     * Whether {@code process} is the postmaster that wrote {@code pidFile}: a postgres executable
     * working in {@code dataDir} or, where /proc does not tell, started when the file says.
     */
    static boolean isPostmasterOf(ProcessHandle process, Path dataDir, PostmasterPidFile pidFile) {
        if (!isPostgres(process)) {
            return false;
        }
        Optional<Path> workingDirectory = workingDirectory(process);
        if (workingDirectory.isPresent()) {
            return sameFile(workingDirectory.get(), dataDir);
        }
        return sameFile(pidFile.dataDir(), dataDir)
                && process.info()
                        .startInstant()
                        .map(started -> Duration.between(started, pidFile.started())
                                        .abs()
                                        .compareTo(START_TIME_TOLERANCE)
                                <= 0)
                        .orElse(false);
    }

    private static boolean isPostgres(ProcessHandle process) {
        return process.info()
                .command()
                .map(command -> {
                    Path name = Path.of(command).getFileName();
                    return name != null
                            && (name.toString().equals("postgres")
                                    || name.toString().equals("postgres.exe"));
                })
                .orElse(false);
    }

    /** A server process runs in its data directory; Linux tells where through /proc. */
    private static Optional<Path> workingDirectory(ProcessHandle process) {
        try {
            return Optional.of(Files.readSymbolicLink(Path.of("/proc", Long.toString(process.pid()), "cwd")));
        } catch (IOException | UnsupportedOperationException | SecurityException unknown) {
            return Optional.empty();
        }
    }

    private static boolean sameFile(Path a, Path b) {
        try {
            return Files.isSameFile(a, b);
        } catch (IOException gone) {
            return false;
        }
    }
}
