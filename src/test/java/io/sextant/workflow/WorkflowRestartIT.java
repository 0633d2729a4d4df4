package io.sextant.workflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sextant.testing.ApiClient;
import io.sextant.testing.ApiClient.Response;
import io.sextant.testing.PackagedJar;
import io.sextant.testing.PackagedJar.Instance;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged jar killed with SIGKILL while one instance waits on a pending timer and a zone event
 * that should move another may not have been consumed yet: after the restart both move, each
 * exactly once — the timer fires, the event is consumed, neither is lost or applied twice.
 */
@Timeout(value = 20, unit = TimeUnit.MINUTES)
class WorkflowRestartIT {

    private static final String PASSWORD = "workflow-restart-password";
    private static final Duration HEALTHY_WITHIN = Duration.ofMinutes(5);
    private static final String DEFINITION = """
            key: yard
            initial: waiting
            states:
              waiting:
                on:
                  - event: sextant.zone.entered
                    match: "event.zoneId == instance.zones.yard"
                    target: arrived
              arrived:
                after:
                  - delay: PT6S
                    target: overdue
                on:
                  - command: leave
                    target: done
              overdue:
                type: final
              done:
                type: final
            """;

    @TempDir
    Path workDir;

    @Test
    void pending_timers_and_unconsumed_events_survive_a_kill_and_apply_exactly_once() throws Exception {
        PackagedJar jar = new PackagedJar(workDir);
        int port = PackagedJar.freePort();
        Map<String, String> settings = Map.of("SEXTANT_BOOTSTRAP_ADMIN_PASSWORD", PASSWORD);
        Instance first = jar.start("first", port, settings);
        String token;
        String waiting;
        String late;
        try {
            first.awaitHealthy(HEALTHY_WITHIN);
            ApiClient api = first.api();
            token = api.signIn("admin", PASSWORD);
            assertThat(api.post("/api/v1/workflows/definitions")
                            .bearer(token)
                            .body("application/yaml", DEFINITION)
                            .send()
                            .status())
                    .isEqualTo(201);
            String yard = zone(api, token);
            late = start(api, token, asset(api, token, "late-1"), yard);
            waiting = start(api, token, asset(api, token, "waiting-1"), yard);
            Instant now = Instant.now();
            fix(api, token, "late-1", now.minusSeconds(20), 5.05, 52.05); // outside
            fix(api, token, "late-1", now.minusSeconds(10), 5.005, 52.005); // in the yard
            await().atMost(Duration.ofSeconds(20)).until(() -> state(api, token, late), "arrived"::equals);
            // its timer is pending (6 s); now an entry for the other, and the kill right after it is acknowledged
            fix(api, token, "waiting-1", now.minusSeconds(20), 5.05, 52.05);
            fix(api, token, "waiting-1", now.minusSeconds(5), 5.005, 52.005);
        } finally {
            first.kill();
        }

        Instance second = jar.start("second", port, settings);
        try {
            second.awaitHealthy(HEALTHY_WITHIN);
            ApiClient api = second.api();
            for (String id : List.of(late, waiting)) {
                await().atMost(Duration.ofSeconds(60))
                        .pollInterval(Duration.ofMillis(250))
                        .until(() -> state(api, token, id), "overdue"::equals);
                assertThat(history(api, token, id))
                        .as("instance %s moved once on its event and once on its timer", id)
                        .containsExactly("start:waiting", "event sextant.zone.entered:arrived", "timer:overdue");
            }
        } finally {
            second.stop();
        }
    }

    private static String zone(ApiClient api, String token) {
        List<List<Double>> ring = List.of(
                List.of(5.0, 52.0), List.of(5.01, 52.0), List.of(5.01, 52.01), List.of(5.0, 52.01), List.of(5.0, 52.0));
        Response zone = api.post("/api/v1/zones")
                .bearer(token)
                .json(Map.of("name", "Yard", "geometry", Map.of("type", "Polygon", "coordinates", List.of(ring))))
                .send();
        assertThat(zone.status()).as("%s", zone).isEqualTo(201);
        return zone.json().get("id").asString();
    }

    private static String asset(ApiClient api, String token, String externalId) {
        Response created = api.post("/api/v1/assets")
                .bearer(token)
                .json(Map.of("externalId", externalId, "name", externalId, "type", "vehicle"))
                .send();
        assertThat(created.status()).as("%s", created).isEqualTo(201);
        return created.json().get("id").asString();
    }

    private static String start(ApiClient api, String token, String asset, String yard) {
        Response created = api.post("/api/v1/workflows/instances")
                .bearer(token)
                .json(Map.of("definition", "yard", "assets", Map.of("vehicle", asset), "zones", Map.of("yard", yard)))
                .send();
        assertThat(created.status()).as("%s", created).isEqualTo(201);
        return created.json().get("id").asString();
    }

    private static void fix(ApiClient api, String token, String externalId, Instant time, double lon, double lat) {
        Response response = api.post("/api/v1/positions")
                .bearer(token)
                .json(List.of(Map.of("externalId", externalId, "time", time.toString(), "lon", lon, "lat", lat)))
                .send();
        assertThat(response.status()).as("%s", response).isEqualTo(200);
    }

    private static String state(ApiClient api, String token, String id) {
        return api.get("/api/v1/workflows/instances/" + id)
                .bearer(token)
                .send()
                .json()
                .get("state")
                .asString();
    }

    private static List<String> history(ApiClient api, String token, String id) {
        List<String> moves = new ArrayList<>();
        api.get("/api/v1/workflows/instances/" + id + "/history")
                .bearer(token)
                .send()
                .json()
                .get("items")
                .forEach(h -> {
                    String cause = h.get("cause").asString();
                    moves.add((cause.startsWith("timer ") ? "timer" : cause) + ":"
                            + h.get("to").asString());
                });
        return moves;
    }
}
