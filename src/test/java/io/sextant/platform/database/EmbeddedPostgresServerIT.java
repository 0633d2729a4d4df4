package io.sextant.platform.database;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import io.zonky.test.db.postgres.util.LinuxUtils;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/**
 * The embedded server as the product runs it, started directly on throwaway data directories:
 * durable, locked down, and able to start again after what a crash leaves behind.
 */
@ExtendWith(OutputCaptureExtension.class)
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class EmbeddedPostgresServerIT {

    @TempDir
    static Path shared;

    @TempDir
    Path dataParent;

    private static EmbeddedPostgresServer server;

    @BeforeAll
    static void startShared() {
        server = EmbeddedPostgresServer.start(settings(shared.resolve("postgres"), 0));
    }

    @AfterAll
    static void stopShared() throws IOException {
        server.close();
    }

    @Test
    void the_embedded_server_runs_with_durable_settings() throws SQLException {
        try (Connection connection = connect(server, server.password())) {
            assertThat(show(connection, "fsync")).isEqualTo("on");
            assertThat(show(connection, "synchronous_commit")).isEqualTo("on");
            assertThat(show(connection, "full_page_writes")).isEqualTo("on");
        }
    }

    @Test
    void it_listens_only_on_the_loopback_address_and_on_no_unix_domain_socket() throws SQLException {
        try (Connection connection = connect(server, server.password())) {
            assertThat(show(connection, "listen_addresses")).isEqualTo("127.0.0.1");
            assertThat(show(connection, "unix_socket_directories")).isEmpty();
        }
    }

    @Test
    void a_connection_without_the_password_or_with_a_wrong_one_is_refused() {
        Properties noPassword = new Properties();
        noPassword.setProperty("user", "postgres");
        assertThatThrownBy(() -> DriverManager.getConnection(server.jdbcUrl(), noPassword)
                        .close())
                .isInstanceOf(SQLException.class)
                .hasMessageContaining("no password was provided");
        assertThatThrownBy(() -> connect(server, "not-the-password").close())
                .isInstanceOfSatisfying(
                        SQLException.class,
                        refused -> assertThat(refused.getSQLState())
                                .as("invalid_password")
                                .isEqualTo("28P01"));
    }

    @Test
    void the_password_and_the_server_log_are_owner_only_files_and_pg_hba_has_no_trust_line() throws IOException {
        Path dataDir = shared.resolve("postgres");
        Path secret = dataDir.resolve(SuperuserPassword.FILE);
        assertThat(Files.readString(secret).strip()).isEqualTo(server.password());
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(secret)))
                .isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(shared.resolve("postgres.log"))))
                .isEqualTo("rw-------");
        String hba = Files.readString(dataDir.resolve(SuperuserPassword.HBA_FILE));
        assertThat(SuperuserPassword.trusts(hba)).isFalse();
        assertThat(hba.lines().filter(line -> !line.isBlank() && !line.startsWith("#")))
                .containsExactly("host all all 127.0.0.1/32 scram-sha-256");
    }

    @Test
    void a_data_directory_created_with_trust_by_an_earlier_version_is_locked_down_on_its_next_start(
            CapturedOutput output) throws Exception {
        Path dataDir = dataParent.resolve("postgres");
        // What earlier versions did: the library's defaults, initdb with trust.
        try (EmbeddedPostgres earlier = EmbeddedPostgres.builder()
                        .setDataDirectory(dataDir)
                        .setCleanDataDirectory(false)
                        .setRegisterShutdownHook(false)
                        .start();
                Connection connection = earlier.getPostgresDatabase().getConnection();
                Statement statement = connection.createStatement()) {
            statement.execute("create table kept (id int); insert into kept values (42)");
        }
        assertThat(SuperuserPassword.trusts(Files.readString(dataDir.resolve("pg_hba.conf"))))
                .isTrue();

        try (EmbeddedPostgresServer upgraded = EmbeddedPostgresServer.start(settings(dataDir, 0))) {
            assertThat(SuperuserPassword.trusts(Files.readString(dataDir.resolve("pg_hba.conf"))))
                    .isFalse();
            assertThat(PosixFilePermissions.toString(
                            Files.getPosixFilePermissions(dataDir.resolve(SuperuserPassword.FILE))))
                    .isEqualTo("rw-------");
            assertThatThrownBy(() -> connect(upgraded, "").close()).isInstanceOf(SQLException.class);
            try (Connection connection = connect(upgraded, upgraded.password())) {
                assertThat(query(connection, "select id from kept")).isEqualTo("42");
            }
        }
        assertThat(output).contains("replaced by password authentication (SCRAM)");
    }

    @Test
    void a_server_left_running_on_the_data_directory_is_stopped_and_the_start_goes_on(CapturedOutput output)
            throws Exception {
        Path dataDir = dataParent.resolve("postgres");
        try (EmbeddedPostgresServer first = EmbeddedPostgresServer.start(settings(dataDir, 0));
                Connection connection = connect(first, first.password());
                Statement statement = connection.createStatement()) {
            statement.execute("create table kept (id int); insert into kept values (7)");
        }
        // What a Sextant killed with kill -9 leaves: its postmaster, detached by pg_ctl, still running.
        runPgCtl(
                dataDir,
                "start",
                "-w",
                "-o",
                "-c listen_addresses=127.0.0.1 -c unix_socket_directories= -p " + freePort());
        long stale = PostmasterPidFile.read(dataDir).orElseThrow().pid();
        assertThat(ProcessHandle.of(stale)).isPresent();

        try (EmbeddedPostgresServer restarted = EmbeddedPostgresServer.start(settings(dataDir, 0));
                Connection connection = connect(restarted, restarted.password())) {
            assertThat(query(connection, "select id from kept")).isEqualTo("7");
            assertThat(PostmasterPidFile.read(dataDir).orElseThrow().pid()).isNotEqualTo(stale);
        }
        assertThat(ProcessHandle.of(stale).filter(ProcessHandle::isAlive)).isEmpty();
        assertThat(output)
                .contains("A PostgreSQL server (pid " + stale + ",")
                .contains("Stopped the stale PostgreSQL server (pid " + stale + ") on " + dataDir);
    }

    @Test
    void backends_a_killed_postmaster_left_running_are_terminated_before_the_next_start(CapturedOutput output)
            throws Exception {
        Path dataDir = dataParent.resolve("postgres");
        EmbeddedPostgresServer first = EmbeddedPostgresServer.start(settings(dataDir, 0));
        Connection busy = connect(first, first.password());
        Thread statement = Thread.ofVirtual().start(() -> {
            try (Statement endless = busy.createStatement()) {
                // A statement that never waits on a latch never notices its postmaster died.
                endless.execute("select count(*) from generate_series(1, 1000000000000)");
            } catch (SQLException expected) {
                // its backend is terminated below
            }
        });
        long backend = awaitBusyBackend(first);
        long postmaster = PostmasterPidFile.read(dataDir).orElseThrow().pid();
        ProcessHandle.of(postmaster).orElseThrow().destroyForcibly();
        ProcessHandle.of(postmaster).orElseThrow().onExit().get(30, TimeUnit.SECONDS);
        assertThat(ProcessHandle.of(backend).map(ProcessHandle::isAlive)).contains(true);
        first.close();

        try (EmbeddedPostgresServer restarted = EmbeddedPostgresServer.start(settings(dataDir, 0));
                Connection connection = connect(restarted, restarted.password())) {
            assertThat(query(connection, "select 1")).isEqualTo("1");
        }
        statement.join(30_000);
        busy.close();
        assertThat(output).contains("Terminated the PostgreSQL processes [" + backend + "] left on " + dataDir);
    }

    @Test
    void a_lock_file_naming_a_process_id_since_given_to_another_process_is_removed(CapturedOutput output)
            throws Exception {
        Path dataDir = dataParent.resolve("postgres");
        EmbeddedPostgresServer.start(settings(dataDir, 0)).close();
        // After a reboot or in a new container, the killed server's pid often belongs to someone else.
        Process other = new ProcessBuilder("sleep", "600").start();
        try {
            Files.write(
                    dataDir.resolve(PostmasterPidFile.NAME),
                    List.of(
                            Long.toString(other.pid()),
                            dataDir.toString(),
                            Long.toString(Instant.now().getEpochSecond()),
                            Integer.toString(freePort()),
                            "",
                            "127.0.0.1",
                            "  5432001         0",
                            "ready   "));

            try (EmbeddedPostgresServer restarted = EmbeddedPostgresServer.start(settings(dataDir, 0));
                    Connection connection = connect(restarted, restarted.password())) {
                assertThat(query(connection, "select 1")).isEqualTo("1");
            }
            assertThat(output)
                    .contains(
                            "names pid " + other.pid() + ", which is no longer a PostgreSQL server on this directory");
        } finally {
            other.destroyForcibly();
        }
    }

    @Test
    void a_second_start_on_a_data_directory_in_use_fails_at_once_naming_the_process_and_directory() {
        Path dataDir = shared.resolve("postgres");
        assertThatThrownBy(() -> EmbeddedPostgresServer.start(settings(dataDir, 0)))
                .hasMessageContaining("the data directory " + dataDir + " is in use by another running Sextant (pid "
                        + ProcessHandle.current().pid() + ")");
    }

    @Test
    void a_start_that_fails_names_its_cause_with_the_tail_of_the_server_log() throws IOException {
        Path dataDir = dataParent.resolve("postgres");
        EmbeddedPostgresServer.start(settings(dataDir, 0)).close();
        // Read by the postmaster only (single-user mode does no SSL): the failure comes from the server.
        Files.writeString(dataDir.resolve("postgresql.conf"), "\nssl = on\n", StandardOpenOption.APPEND);

        assertThatThrownBy(() -> EmbeddedPostgresServer.start(settings(dataDir, 0)))
                .hasMessageContaining("Embedded PostgreSQL could not start on " + dataDir)
                .hasMessageContaining("the server exited while starting")
                .hasMessageContaining("Last lines of the server log (" + dataParent.resolve("postgres.log") + ")")
                .hasMessageContaining("server.crt");
    }

    @Test
    void a_configured_port_taken_by_another_program_is_named_as_the_cause() throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByAddress(new byte[] {127, 0, 0, 1}))) {
            assertThatThrownBy(() -> EmbeddedPostgresServer.start(
                            settings(dataParent.resolve("postgres"), taken.getLocalPort())))
                    .hasMessageContaining("port " + taken.getLocalPort() + " on 127.0.0.1 (SEXTANT_DB_EMBEDDED_PORT)"
                            + " is taken by another program");
        }
    }

    private static DatabaseProperties.Embedded settings(Path dataDir, int port) {
        return new DatabaseProperties.Embedded(dataDir, port);
    }

    private static Connection connect(EmbeddedPostgresServer server, String password) throws SQLException {
        return DriverManager.getConnection(server.jdbcUrl(), "postgres", password);
    }

    private static String show(Connection connection, String setting) throws SQLException {
        return query(connection, "show " + setting);
    }

    private static String query(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery(sql)) {
            result.next();
            return result.getString(1);
        }
    }

    private static long awaitBusyBackend(EmbeddedPostgresServer server) throws Exception {
        try (Connection watcher = connect(server, server.password())) {
            for (int attempt = 0; attempt < 100; attempt++) {
                try (Statement statement = watcher.createStatement();
                        ResultSet active = statement.executeQuery(
                                "select pid from pg_stat_activity where query like '%generate_series(1, 1000000000000)%'"
                                        + " and state = 'active' and pid <> pg_backend_pid()")) {
                    if (active.next()) {
                        return active.getLong(1);
                    }
                }
                Thread.sleep(100);
            }
        }
        throw new AssertionError("the long statement never started");
    }

    /** Runs pg_ctl from the binaries the server was started with, as the library does. */
    private static void runPgCtl(Path dataDir, String... arguments) throws Exception {
        Path pgCtl;
        try (Stream<Path> extracted =
                Files.list(PostgresBinaries.forOwnerOf(dataDir).directory())) {
            pgCtl = extracted
                    .map(directory -> directory.resolve("bin/pg_ctl"))
                    .filter(Files::isExecutable)
                    .max(Comparator.comparingLong(path -> path.toFile().lastModified()))
                    .orElseThrow();
        }
        List<String> command = new ArrayList<>();
        if (LinuxUtils.isUnshareAvailable()) {
            command.addAll(List.of("unshare", "-U"));
        }
        command.add(pgCtl.toString());
        command.addAll(List.of(
                "-D",
                dataDir.toString(),
                "-l",
                dataDir.resolveSibling("manual.log").toString()));
        command.addAll(List.of(arguments));
        Process process = new ProcessBuilder(command).inheritIO().start();
        assertThat(process.waitFor()).as("pg_ctl %s", List.of(arguments)).isZero();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
