package io.sextant.geofencing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sextant.testing.ProblemAssertions;
import io.sextant.testing.SextantIT;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.JsonNode;

/** Stale assets, speeding and proximity, end to end over HTTP. */
@TestPropertySource(properties = "sextant.geofencing.stale-sweep-interval=1s")
class AssetRulesIT extends SextantIT {

    void rules(String token, Map<String, Object> rules) {
        var response = api.put("/api/v1/asset-rules").bearer(token).json(rules).send();
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
    }

    void send(String token, String externalId, Instant time, double lon, double lat, Double speed) {
        Map<String, Object> fix =
                new HashMap<>(Map.of("externalId", externalId, "time", time.toString(), "lon", lon, "lat", lat));
        if (speed != null) {
            fix.put("speed", speed);
        }
        var response =
                api.post("/api/v1/positions").bearer(token).json(List.of(fix)).send();
        assertThat(response.json().get("accepted").asInt())
                .as(response.toString())
                .isEqualTo(1);
    }

    List<JsonNode> events(String token, String query) {
        List<JsonNode> events = new ArrayList<>();
        api.get("/api/v1/events?limit=200&" + query)
                .bearer(token)
                .send()
                .json()
                .get("items")
                .forEach(events::add);
        return events;
    }

    static List<String> types(List<JsonNode> events) {
        return events.stream().map(e -> e.get("type").asString()).toList();
    }

    @Test
    void an_asset_over_its_types_limit_starts_and_ends_speeding() {
        var tenant = newTenant();
        String token = tenant.adminToken();
        String truck =
                createAsset(token, "truck-7", "truck", List.of()).get("id").asString();
        rules(token, Map.of("speedLimitsKmh", Map.of("truck", 50)));
        Instant t0 = Instant.parse("2026-11-20T08:00:00Z");

        send(token, "truck-7", t0, 10.0, 50.0, 10.0); // 36 km/h
        send(token, "truck-7", t0.plusSeconds(10), 10.001, 50.0, 20.0); // 72 km/h
        send(token, "truck-7", t0.plusSeconds(20), 10.002, 50.0, 25.0); // 90 km/h
        send(token, "truck-7", t0.plusSeconds(30), 10.003, 50.0, 12.0); // 43.2 km/h

        List<JsonNode> events = events(token, "assetId=" + truck);
        assertThat(types(events)).containsExactly("sextant.speeding.started", "sextant.speeding.ended");
        assertThat(events.get(0).get("data").get("limitKmh").asDouble()).isEqualTo(50);
        assertThat(events.get(0).get("time").asString()).isEqualTo("2026-11-20T08:00:10Z");
        assertThat(events.get(1).get("data").get("maxKmh").asDouble()).isEqualTo(90.0);
    }

    @Test
    void two_paired_assets_coming_close_start_and_end_a_proximity_episode() {
        var tenant = newTenant();
        String token = tenant.adminToken();
        String forklift = createAsset(token, "forklift-1", "forklift", List.of())
                .get("id")
                .asString();
        String worker =
                createAsset(token, "worker-1", "person", List.of()).get("id").asString();
        createAsset(token, "worker-2", "person", List.of());
        rules(
                token,
                Map.of(
                        "proximity",
                        List.of(Map.of(
                                "name",
                                "near-miss",
                                "distanceMeters",
                                50,
                                "marginMeters",
                                10,
                                "first",
                                Map.of("types", List.of("forklift")),
                                "second",
                                Map.of("types", List.of("person"))))));
        Instant t0 = Instant.parse("2026-11-20T08:00:00Z");

        send(token, "forklift-1", t0, 10.0, 50.0, null);
        send(token, "worker-2", t0, 10.0, 50.0003, null); // 33 m from the forklift: starts too
        send(token, "worker-1", t0.plusSeconds(5), 10.0, 50.0004, null); // 44 m: starts
        send(token, "worker-1", t0.plusSeconds(10), 10.0, 50.00052, null); // 58 m: inside the margin
        send(token, "worker-1", t0.plusSeconds(15), 10.0, 50.002, null); // 222 m: ends

        List<JsonNode> events = events(token, "assetId=" + worker);
        assertThat(types(events)).containsExactly("sextant.proximity.started", "sextant.proximity.ended");
        JsonNode started = events.getFirst().get("data");
        assertThat(started.get("rule").asString()).isEqualTo("near-miss");
        assertThat(started.get("otherAssetId").asString()).isEqualTo(forklift);
        assertThat(started.get("distanceMeters").asDouble()).isBetween(40.0, 50.0);
        assertThat(events(token, "type=sextant.proximity.*")).hasSize(3);
    }

    @Test
    void an_asset_that_goes_quiet_is_reported_stale_once_and_resumed_by_its_next_position() {
        var tenant = newTenant();
        String token = tenant.adminToken();
        String van = createAsset(token, "van-3", "van", List.of()).get("id").asString();
        rules(token, Map.of("staleAfter", "PT1M"));
        Instant lastSeen = Instant.now().minus(5, ChronoUnit.MINUTES).truncatedTo(ChronoUnit.MILLIS);

        send(token, "van-3", lastSeen, 10.0, 50.0, null);
        await().atMost(Duration.ofSeconds(20))
                .untilAsserted(() ->
                        assertThat(types(events(token, "assetId=" + van))).containsExactly("sextant.asset.stale"));
        JsonNode stale = events(token, "assetId=" + van).getFirst().get("data");
        assertThat(stale.get("lastSeen").asString()).isEqualTo(lastSeen.toString());
        assertThat(stale.get("silentSeconds").asLong()).isGreaterThanOrEqualTo(300);

        // Several more sweeps: still reported once.
        await().pollDelay(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5)).until(() -> true);
        assertThat(events(token, "assetId=" + van)).hasSize(1);

        send(token, "van-3", Instant.now(), 10.001, 50.0, null);
        assertThat(types(events(token, "assetId=" + van)))
                .containsExactly("sextant.asset.stale", "sextant.asset.resumed");
    }

    @Test
    void rules_are_validated_and_read_back() {
        var tenant = newTenant();
        String token = tenant.adminToken();
        ProblemAssertions.assertProblem(
                api.put("/api/v1/asset-rules")
                        .bearer(token)
                        .json(Map.of("staleAfter", "PT5S"))
                        .send(),
                400,
                "/api/v1/asset-rules");
        ProblemAssertions.assertProblem(
                api.put("/api/v1/asset-rules")
                        .bearer(token)
                        .json(Map.of("speedLimitsKmh", Map.of("truck", 0)))
                        .send(),
                400,
                "/api/v1/asset-rules");
        ProblemAssertions.assertProblem(
                api.put("/api/v1/asset-rules")
                        .bearer(token)
                        .json(Map.of(
                                "proximity",
                                List.of(
                                        Map.of("name", "x", "distanceMeters", 5),
                                        Map.of("name", "x", "distanceMeters", 5))))
                        .send(),
                400,
                "/api/v1/asset-rules");
        JsonNode none = api.get("/api/v1/asset-rules").bearer(token).send().json();
        assertThat(none.has("staleAfter")).as(none.toString()).isFalse();
        assertThat(none.get("proximity")).isEmpty();

        rules(token, Map.of("staleAfter", "PT10M", "speedLimitsKmh", Map.of("van", 80)));
        JsonNode stored = api.get("/api/v1/asset-rules").bearer(token).send().json();
        assertThat(stored.get("staleAfter").asString()).isEqualTo("PT10M");
        assertThat(stored.get("speedLimitsKmh").get("van").asDouble()).isEqualTo(80);
    }
}
