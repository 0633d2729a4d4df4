package io.sextant;

import static org.assertj.core.api.Assertions.assertThat;

import io.sextant.testing.ApiClient;
import io.sextant.testing.ApiClient.Response;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Black-box smoke test of the artifact users run: the packaged jar started as its own process on
 * its embedded default (no database configured), stopped with SIGTERM, started again.
 */
class PackagedJarSmokeIT {

    private static final String PASSWORD = "smoke-test-admin-password";

    @TempDir
    Path workDir;

    @Test
    void the_packaged_jar_serves_the_api_and_keeps_its_data_across_a_restart() throws Exception {
        Path jar = Path.of(System.getProperty("sextant.jar", "target/sextant.jar"));
        assertThat(jar).exists();
        int port = freePort();
        ApiClient api = new ApiClient(port);

        Process first = start(jar, port, "first");
        String token;
        String assetId;
        try {
            awaitHealthy(api, first);
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
            stop(first);
        }
        assertThat(first.exitValue()).as("exit status after SIGTERM").isIn(0, 143);
        Path dataDir = workDir.resolve("data/postgres");
        assertThat(dataDir.resolve("PG_VERSION")).exists();
        assertThat(dataDir.resolve("postmaster.pid"))
                .as("the embedded PostgreSQL server stopped with the service")
                .doesNotExist();

        Process second = start(jar, port, "second");
        try {
            awaitHealthy(api, second);
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
            stop(second);
        }
        assertThat(Files.readString(workDir.resolve("second.log")))
                .as("a second start says that the bootstrap password no longer applies")
                .contains("SEXTANT_BOOTSTRAP_ADMIN_PASSWORD is set but ignored");
        assertThat(Files.readString(workDir.resolve("first.log")))
                .doesNotContain("SEXTANT_BOOTSTRAP_ADMIN_PASSWORD is set but ignored");
    }

    private Process start(Path jar, int port, String name) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder builder = new ProcessBuilder(
                        java, "-jar", jar.toAbsolutePath().toString())
                .directory(workDir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(workDir.resolve(name + ".log").toFile());
        Map<String, String> env = builder.environment();
        env.keySet().removeIf(key -> key.startsWith("SEXTANT_"));
        env.put("SEXTANT_PORT", Integer.toString(port));
        env.put("SEXTANT_BOOTSTRAP_ADMIN_PASSWORD", PASSWORD);
        return builder.start();
    }

    private void awaitHealthy(ApiClient api, Process process) throws Exception {
        Instant started = Instant.now();
        Instant deadline = started.plus(Duration.ofSeconds(90));
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new AssertionError("service exited early:\n" + logs());
            }
            try {
                Response health = api.get("/actuator/health").send();
                if (health.status() == 200 && health.body().contains("\"UP\"")) {
                    System.out.println("Packaged jar healthy after "
                            + Duration.between(started, Instant.now()).toMillis() + " ms");
                    return;
                }
            } catch (RuntimeException notYet) {
                // not listening yet
            }
            Thread.sleep(250);
        }
        throw new AssertionError("service not healthy within 90 s:\n" + logs());
    }

    private static void stop(Process process) throws InterruptedException {
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("service did not stop within 60 s of SIGTERM");
        }
    }

    private String logs() throws IOException {
        StringBuilder all = new StringBuilder();
        try (var files = Files.list(workDir)) {
            for (Path log : files.filter(p -> p.toString().endsWith(".log")).toList()) {
                all.append(Files.readString(log));
            }
        }
        return all.toString();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
