package io.sextant.testing;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/**
 * A fresh PostgreSQL database for each test application context. With {@code SEXTANT_TEST_DB_URL}
 * set (a JDBC URL of an existing server, user included) the databases are created there; otherwise
 * on one embedded PostgreSQL 17 started for the whole test run. Databases are dropped when the JVM
 * exits.
 */
public final class TestDatabases {

    private static final List<String> CREATED = new ArrayList<>();
    private static final Duration RELEASE_TIMEOUT = Duration.ofSeconds(20);
    private static String serverUrl;
    private static EmbeddedPostgres embedded;

    private TestDatabases() {}

    /** Creates a new, empty database and returns its JDBC URL. */
    public static synchronized String create() {
        String name = "sextant_it_"
                + UUID.randomUUID().toString().replace("-", "").substring(0, 16).toLowerCase(Locale.ROOT);
        try (Connection connection = DriverManager.getConnection(server());
                Statement statement = connection.createStatement()) {
            statement.execute("create database " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create test database on " + server(), e);
        }
        CREATED.add(name);
        return withDatabase(server(), name);
    }

    /** True when tests run against an external server rather than the embedded one. */
    public static boolean external() {
        String url = System.getenv("SEXTANT_TEST_DB_URL");
        return url != null && !url.isBlank();
    }

    private static synchronized String server() {
        if (serverUrl == null) {
            serverUrl = external() ? System.getenv("SEXTANT_TEST_DB_URL") : startEmbedded();
            Runtime.getRuntime().addShutdownHook(new Thread(TestDatabases::dropAll, "drop-test-databases"));
        }
        return serverUrl;
    }

    private static String startEmbedded() {
        try {
            embedded = EmbeddedPostgres.builder()
                    .setDataDirectory(Files.createTempDirectory("sextant-test-pg"))
                    .setCleanDataDirectory(true)
                    .start();
            return embedded.getJdbcUrl("postgres", "postgres");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static synchronized void dropAll() {
        try (Connection connection = DriverManager.getConnection(serverUrl);
                Statement statement = connection.createStatement()) {
            awaitReleased(connection);
            for (String name : CREATED) {
                statement.execute("drop database if exists " + name + " with (force)");
            }
        } catch (SQLException e) {
            System.err.println("could not drop test databases: " + e.getMessage());
        }
        if (embedded != null) {
            try {
                embedded.close();
            } catch (IOException e) {
                System.err.println("could not stop embedded PostgreSQL: " + e.getMessage());
            }
        }
    }

    /**
     * Waits (at most {@link #RELEASE_TIMEOUT}) until no session is left on the test databases. The
     * test contexts close in their own shutdown hooks, at the same time as this one: a database
     * dropped under a closing context makes its pool retry a database that no longer exists until
     * the JVM's exit allowance runs out.
     */
    private static void awaitReleased(Connection connection) throws SQLException {
        long deadline = System.nanoTime() + RELEASE_TIMEOUT.toNanos();
        try (PreparedStatement sessions =
                connection.prepareStatement("select count(*) from pg_stat_activity where datname = any(?)")) {
            sessions.setArray(1, connection.createArrayOf("text", CREATED.toArray()));
            while (System.nanoTime() < deadline) {
                try (ResultSet count = sessions.executeQuery()) {
                    count.next();
                    if (count.getLong(1) == 0) {
                        return;
                    }
                }
                Thread.sleep(100);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The server URL with its database path replaced by {@code database}, query kept. */
    static String withDatabase(String url, String database) {
        int slash = url.indexOf('/', "jdbc:postgresql://".length());
        int query = url.indexOf('?');
        String base = slash < 0 ? (query < 0 ? url : url.substring(0, query)) : url.substring(0, slash);
        String params = query < 0 ? "" : url.substring(query);
        return base + "/" + database + params;
    }
}
