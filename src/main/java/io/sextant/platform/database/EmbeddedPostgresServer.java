package io.sextant.platform.database;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded default: a real PostgreSQL server (binaries shipped as a Maven artifact) on a data
 * directory that survives restarts. Stopped by the application context, never by the library's own
 * shutdown hook, which would race Spring's and leave the pool talking to a dead server.
 */
final class EmbeddedPostgresServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedPostgresServer.class);

    private final EmbeddedPostgres postgres;
    private final Path dataDir;

    private EmbeddedPostgresServer(EmbeddedPostgres postgres, Path dataDir) {
        this.postgres = postgres;
        this.dataDir = dataDir;
    }

    static EmbeddedPostgresServer start(DatabaseProperties.Embedded settings) {
        Path dataDir = settings.dataDir().toAbsolutePath().normalize();
        try {
            Files.createDirectories(dataDir);
            boolean fresh = !Files.exists(dataDir.resolve("PG_VERSION"));
            EmbeddedPostgres postgres = EmbeddedPostgres.builder()
                    .setDataDirectory(dataDir)
                    .setCleanDataDirectory(false)
                    .setRegisterShutdownHook(false)
                    .setPort(settings.port() == 0 ? 0 : settings.port())
                    .setPGStartupWait(Duration.ofSeconds(60))
                    .setServerConfig("listen_addresses", "127.0.0.1")
                    .start();
            log.info(
                    "Embedded PostgreSQL {} on 127.0.0.1:{}, data in {}",
                    fresh ? "initialised" : "started",
                    postgres.getPort(),
                    dataDir);
            return new EmbeddedPostgresServer(postgres, dataDir);
        } catch (IOException e) {
            throw new UncheckedIOException("could not start embedded PostgreSQL in " + dataDir, e);
        }
    }

    String jdbcUrl() {
        return postgres.getJdbcUrl("postgres", "postgres");
    }

    @Override
    public void close() throws IOException {
        postgres.close();
        log.info("Embedded PostgreSQL stopped ({})", dataDir);
    }
}
