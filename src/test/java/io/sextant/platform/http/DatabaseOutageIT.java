package io.sextant.platform.http;

import static io.sextant.testing.ProblemAssertions.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sextant.testing.ApiClient;
import io.sextant.testing.ApiClient.Response;
import io.sextant.testing.SextantIT;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The service over a PostgreSQL of its own that the test stops and starts again while a client
 * keeps ingesting: while the database is away every request is a 503 {@code database-unavailable}
 * problem with Retry-After and readiness is DOWN; once it is back requests succeed again and every
 * position that was acknowledged is stored.
 */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "sextant.auth.issuer=" + SextantIT.ISSUER,
            "sextant.auth.bootstrap.admin-password=" + SextantIT.ADMIN_PASSWORD,
            "sextant.http.rate-limit.capacity=100000",
            "sextant.http.rate-limit.refill-per-second=100000",
            "sextant.http.shutdown-drain=0s",
            "sextant.db.pool-size=8",
            "sextant.db.connection-timeout=2s",
            "sextant.db.health-timeout=1s",
            "sextant.jobs.workers=4",
            "logging.level.root=WARN",
            "logging.level.io.sextant=INFO",
        })
// The database under this context is stopped and restarted: no other test class may share it.
@DirtiesContext
class DatabaseOutageIT {

    private static final String POSITIONS = "/api/v1/positions";
    private static Path workDir;
    private static Path dataDir;
    private static int databasePort;
    private static EmbeddedPostgres postgres;

    @LocalServerPort
    int port;

    private ApiClient api;

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) throws IOException {
        workDir = Files.createTempDirectory("sextant-outage");
        dataDir = workDir.resolve("postgres");
        try (ServerSocket socket = new ServerSocket(0)) {
            databasePort = socket.getLocalPort();
        }
        postgres = startPostgres();
        Runtime.getRuntime().addShutdownHook(new Thread(DatabaseOutageIT::removePostgres, "outage-pg-cleanup"));
        registry.add("sextant.db.url", () -> "jdbc:postgresql://127.0.0.1:" + databasePort + "/postgres");
        // Where a generated secrets keyset goes, if the service makes one: not the working tree.
        registry.add(
                "sextant.secrets.keyset-file",
                () -> workDir.resolve("secrets.keyset").toString());
    }

    @BeforeEach
    void connect() {
        api = new ApiClient(port);
    }

    @Test
    void while_the_database_is_down_requests_are_503_problems_and_afterwards_no_acknowledged_position_is_missing()
            throws Exception {
        String token = api.signIn(SextantIT.ADMIN, SextantIT.ADMIN_PASSWORD);
        Response asset = api.post("/api/v1/assets")
                .bearer(token)
                .json(Map.of("externalId", "outage-1", "name", "Outage", "type", "vehicle"))
                .send();
        assertThat(asset.status()).as(asset.toString()).isEqualTo(201);
        UUID assetId = UUID.fromString(asset.json().get("id").asString());
        String apiKey = api.post("/api/v1/api-keys")
                .bearer(token)
                .json(Map.of("name", "reader", "permissions", List.of("assets:read")))
                .send()
                .json()
                .get("token")
                .asString();
        assertThat(readiness().status()).isEqualTo(200);

        Ingester ingester = new Ingester(token);
        Thread client = Thread.ofVirtual().start(ingester);
        await().atMost(Duration.ofSeconds(30)).until(() -> ingester.acknowledged.size() >= 5);

        postgres.close(); // a fast shutdown: the server terminates the connections in use

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            Response readiness = readiness();
            assertThat(readiness.status()).isEqualTo(503);
            assertThat(readiness
                            .json()
                            .path("components")
                            .path("db")
                            .path("status")
                            .asString())
                    .isEqualTo("DOWN");
        });
        assertDatabaseUnavailable(api.get("/api/v1/assets").bearer(token).send(), "/api/v1/assets");
        assertDatabaseUnavailable(
                api.post(POSITIONS)
                        .bearer(token)
                        .json(List.of(position(Instant.now())))
                        .send(),
                POSITIONS);
        assertDatabaseUnavailable(
                api.post("/api/v1/auth/token")
                        .json(Map.of("username", SextantIT.ADMIN, "password", SextantIT.ADMIN_PASSWORD))
                        .send(),
                "/api/v1/auth/token");
        // API keys are looked up while authenticating, before any controller runs.
        assertDatabaseUnavailable(api.get("/api/v1/assets").bearer(apiKey).send(), "/api/v1/assets");
        int acknowledgedWhileUp = ingester.acknowledged.size();
        await().atMost(Duration.ofSeconds(30)).until(() -> ingester.refused() >= 2);

        postgres = startPostgres();

        await().atMost(Duration.ofSeconds(60)).until(() -> readiness().status() == 200);
        await().atMost(Duration.ofSeconds(30)).until(() -> ingester.acknowledged.size() >= acknowledgedWhileUp + 5);
        ingester.stop();
        client.join(Duration.ofSeconds(40));

        assertThat(ingester.unexpected)
                .as("every answer was an acknowledgement or a 503 problem with Retry-After")
                .isEmpty();
        assertThat(storedTimes(assetId)).containsAll(ingester.acknowledged);
        assertThat(api.get("/api/v1/assets").bearer(apiKey).send().status()).isEqualTo(200);
    }

    private static void assertDatabaseUnavailable(Response response, String instance) {
        assertProblem(response, 503, instance);
        assertThat(response.json().get("type").asString()).isEqualTo("urn:sextant:problem:database-unavailable");
        assertThat(response.header("Retry-After"))
                .as("Retry-After of %s", response)
                .matches("[1-9][0-9]*");
    }

    private Response readiness() {
        return api.get("/actuator/health/readiness").send();
    }

    private static Map<String, Object> position(Instant time) {
        return Map.of("externalId", "outage-1", "time", time.toString(), "lon", 4.9, "lat", 52.37);
    }

    /** One position per request, one request after the other, each at the next second. */
    private final class Ingester implements Runnable {

        final Set<Instant> acknowledged = java.util.concurrent.ConcurrentHashMap.newKeySet();
        final List<String> unexpected = new CopyOnWriteArrayList<>();
        private final String token;
        private final Instant start = Instant.now().minus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS);
        private volatile int refused;
        private volatile boolean stopped;

        Ingester(String token) {
            this.token = token;
        }

        int refused() {
            return refused;
        }

        void stop() {
            stopped = true;
        }

        @Override
        public void run() {
            for (int i = 0; !stopped; i++) {
                Instant time = start.plusSeconds(i);
                Response response = api.post(POSITIONS)
                        .bearer(token)
                        .json(List.of(position(time)))
                        .send();
                if (response.status() == 200 && response.json().get("accepted").asInt() == 1) {
                    acknowledged.add(time);
                } else if (response.status() == 503
                        && response.isProblem()
                        && response.json().get("type").asString().equals("urn:sextant:problem:database-unavailable")
                        && response.header("Retry-After") != null) {
                    refused++;
                } else {
                    unexpected.add(response.toString());
                }
            }
        }
    }

    private static Set<Instant> storedTimes(UUID assetId) throws SQLException {
        Set<Instant> times = new HashSet<>();
        try (Connection connection = DriverManager.getConnection(postgres.getJdbcUrl("postgres", "postgres"));
                PreparedStatement query =
                        connection.prepareStatement("select event_time from position where asset_id = ?")) {
            query.setObject(1, assetId);
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    times.add(rows.getObject(1, java.time.OffsetDateTime.class).toInstant());
                }
            }
        }
        return times;
    }

    /** The test's own server, on the same port and data directory every time it starts. */
    private static EmbeddedPostgres startPostgres() {
        try {
            return EmbeddedPostgres.builder()
                    .setDataDirectory(dataDir)
                    .setCleanDataDirectory(false)
                    .setRegisterShutdownHook(false)
                    .setPort(databasePort)
                    .setServerConfig("synchronous_commit", "on")
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void removePostgres() {
        try {
            postgres.close();
            try (Stream<Path> files = Files.walk(workDir)) {
                List<Path> all =
                        new ArrayList<>(files.sorted(Comparator.reverseOrder()).toList());
                for (Path file : all) {
                    Files.deleteIfExists(file);
                }
            }
        } catch (IOException e) {
            System.err.println("could not remove the outage test's PostgreSQL: " + e.getMessage());
        }
    }
}
