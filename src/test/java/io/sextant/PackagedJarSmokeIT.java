package io.sextant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sextant.testing.ApiClient;
import io.sextant.testing.ApiClient.Response;
import io.sextant.testing.PackagedJar;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Black-box smoke test of the artifact users run: the packaged jar started as its own process on
 * its embedded default (no database configured), stopped with SIGTERM, started again.
 */
class PackagedJarSmokeIT {

    private static final String PASSWORD = "smoke-test-admin-password";
    /** The demo fleet as a newcomer gets it: on, with a generated password. */
    private static final Map<String, String> SETTINGS =
            Map.of("SEXTANT_BOOTSTRAP_ADMIN_PASSWORD", PASSWORD, "SEXTANT_DEMO", "auto");

    private static final Pattern DEMO_PASSWORD = Pattern.compile("as user 'demo', password '([^']+)'");
    /** Generous: a loaded two-core machine has needed over a minute to start the jar. */
    private static final Duration STARTUP = Duration.ofMinutes(3);

    @TempDir
    Path workDir;

    @Test
    void the_packaged_jar_serves_the_api_and_keeps_its_data_across_a_restart() throws Exception {
        PackagedJar jar = new PackagedJar(workDir);
        int port = PackagedJar.freePort();
        ApiClient api = new ApiClient(port);

        PackagedJar.Instance first = jar.start("first", port, SETTINGS);
        String token;
        String assetId;
        try {
            report("first", first.awaitHealthy(STARTUP));
            token = api.signIn("admin", PASSWORD);
            Response created = api.post("/api/v1/assets")
                    .bearer(token)
                    .json(Map.of("externalId", "smoke-1", "name", "Smoke", "type", "vehicle", "tags", List.of("smoke")))
                    .send();
            assertThat(created.status()).isEqualTo(201);
            assetId = created.json().get("id").asString();
            Response ingested = api.post("/api/v1/positions")
                    .bearer(token)
                    .json(List.of(Map.of(
                            "externalId",
                            "smoke-1",
                            "time",
                            Instant.now().minusSeconds(5).toString(),
                            "lon",
                            4.9,
                            "lat",
                            52.37)))
                    .send();
            assertThat(ingested.json().get("accepted").asInt()).isEqualTo(1);
        } finally {
            first.stop();
        }
        assertThat(first.process().exitValue()).as("exit status after SIGTERM").isIn(0, 143);
        Path dataDir = workDir.resolve("data/postgres");
        assertThat(dataDir.resolve("PG_VERSION")).exists();
        assertThat(dataDir.resolve("postmaster.pid"))
                .as("the embedded PostgreSQL server stopped with the service")
                .doesNotExist();

        String firstLog = Files.readString(workDir.resolve("first.log"));
        Matcher demo = DEMO_PASSWORD.matcher(firstLog);
        assertThat(demo.find())
                .as("the first start announces the demo fleet with its password")
                .isTrue();
        String demoPassword = demo.group(1);

        PackagedJar.Instance second = jar.start("second", port, SETTINGS);
        try {
            report("second", second.awaitHealthy(STARTUP));
            String demoToken = api.signIn("demo", demoPassword);
            await().atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofSeconds(1))
                    .untilAsserted(() -> assertThat(api.get("/api/v1/positions/latest?type=vehicle")
                                    .bearer(demoToken)
                                    .send()
                                    .json()
                                    .get("features")
                                    .size())
                            .as("the demo fleet drives again after a restart")
                            .isEqualTo(50));
            Response sameToken =
                    api.get("/api/v1/assets/" + assetId).bearer(token).send();
            assertThat(sameToken.status())
                    .as("a token issued before the restart is still valid: signing keys persist")
                    .isEqualTo(200);
            assertThat(sameToken.json().get("externalId").asString()).isEqualTo("smoke-1");
            Response nearest = api.get("/api/v1/positions/latest?near=4.9,52.37&k=1")
                    .bearer(token)
                    .send();
            assertThat(nearest.json()
                            .get("features")
                            .get(0)
                            .get("properties")
                            .get("assetId")
                            .asString())
                    .as("the live index is rebuilt from the database on start")
                    .isEqualTo(assetId);
            String freshToken = api.signIn("admin", PASSWORD);
            assertThat(api.get("/api/v1/assets/" + assetId)
                            .bearer(freshToken)
                            .send()
                            .status())
                    .isEqualTo(200);
        } finally {
            second.stop();
        }
        assertThat(Files.readString(workDir.resolve("second.log")))
                .as("a second start says that the bootstrap password no longer applies")
                .contains("SEXTANT_BOOTSTRAP_ADMIN_PASSWORD is set but ignored");
        assertThat(firstLog).doesNotContain("SEXTANT_BOOTSTRAP_ADMIN_PASSWORD is set but ignored");
        assertThat(Files.readString(workDir.resolve("second.log")))
                .as("a second start simulates the demo without its password, printed once")
                .contains("Demo fleet: 50 vans", "password as printed when the demo was created")
                .doesNotContain(demoPassword);
        assertThat(firstLog + Files.readString(workDir.resolve("second.log")))
                .as("the demo fleet's requests never failed, not even at shutdown")
                .doesNotContain("Demo fleet: posting positions failed");
    }

    private static void report(String run, Duration startup) {
        System.out.println("Packaged jar (" + run + " start) healthy after " + startup.toMillis() + " ms");
    }
}
