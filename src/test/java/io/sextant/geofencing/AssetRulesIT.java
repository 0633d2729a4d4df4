package io.sextant.geofencing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
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
        assertThat(events.get(1).get("time").asString()).isEqualTo("2026-11-20T08:00:30Z");
        assertThat(events.get(1).get("data").get("position").get("time").asString())
                .isEqualTo("2026-11-20T08:00:30Z");
    }

    @Test
    void speeding_starts_at_its_first_reading_over_the_limit_plus_tolerance_and_shows_that_reading() {
        var tenant = newTenant();
        String token = tenant.adminToken();
        String truck =
                createAsset(token, "truck-8", "truck", List.of()).get("id").asString();
        rules(
                token,
                Map.of("speedLimitsKmh", Map.of("truck", 50), "speedToleranceKmh", 10, "speedMinDuration", "PT15S"));
        Instant t0 = Instant.parse("2026-11-20T08:00:00Z");

        send(token, "truck-8", t0, 10.0, 50.0, 15.0); // 54 km/h: over the limit, within the tolerance
        send(token, "truck-8", t0.plusSeconds(10), 10.001, 50.0, 18.0); // 64.8 km/h: over limit + tolerance
        send(token, "truck-8", t0.plusSeconds(20), 10.002, 50.0, 19.5); // 70.2 km/h: 10 s over
        send(token, "truck-8", t0.plusSeconds(30), 10.003, 50.0, 20.0); // 72 km/h: 20 s over, confirmed

        List<JsonNode> events = events(token, "assetId=" + truck);
        assertThat(types(events)).containsExactly("sextant.speeding.started");
        JsonNode started = events.getFirst();
        assertThat(started.get("time").asString())
                .as("15 s over the limit alone (from 08:00:00) would have started it at the third reading")
                .isEqualTo("2026-11-20T08:00:10Z");
        assertThat(started.get("data").get("position").get("time").asString()).isEqualTo("2026-11-20T08:00:10Z");
        assertThat(started.get("data").get("position").get("lon").asDouble()).isEqualTo(10.001);
        assertThat(started.get("data").get("speedKmh").asDouble()).isCloseTo(64.8, within(1e-6));
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

        // Every event names the forklift (the rule's first), whichever of the two moved.
        assertThat(events(token, "assetId=" + worker)).isEmpty();
        List<JsonNode> events = events(token, "assetId=" + forklift).stream()
                .filter(e -> e.get("data").get("otherAssetId").asString().equals(worker))
                .toList();
        assertThat(types(events)).containsExactly("sextant.proximity.started", "sextant.proximity.ended");
        JsonNode started = events.getFirst().get("data");
        assertThat(started.get("rule").asString()).isEqualTo("near-miss");
        assertThat(started.get("assetId").asString()).isEqualTo(forklift);
        assertThat(started.get("otherAssetId").asString()).isEqualTo(worker);
        assertThat(started.get("distanceMeters").asDouble()).isBetween(40.0, 50.0);
        assertThat(started.get("position").get("lat").asDouble()).isEqualTo(50.0);
        assertThat(started.get("otherPosition").get("lat").asDouble()).isEqualTo(50.0004);
        assertThat(events.getFirst().get("subject").asString()).isEqualTo(forklift);
        assertThat(events.getLast().get("data").get("otherPosition").get("lat").asDouble())
                .isEqualTo(50.002);
        assertThat(events(token, "type=sextant.proximity.*")).hasSize(3);
    }

    @Test
    void an_asset_that_goes_quiet_is_reported_stale_once_dated_when_its_silence_reached_the_limit() {
        var tenant = newTenant();
        String token = tenant.adminToken();
        String van = createAsset(token, "van-3", "van", List.of()).get("id").asString();
        String neverSeen =
                createAsset(token, "van-4", "van", List.of()).get("id").asString();
        rules(token, Map.of("staleAfter", "PT1M"));
        Instant lastSeen = Instant.now().minus(5, ChronoUnit.MINUTES).truncatedTo(ChronoUnit.MILLIS);

        send(token, "van-3", lastSeen, 10.0, 50.0, null);
        await().atMost(Duration.ofSeconds(20))
                .untilAsserted(() ->
                        assertThat(types(events(token, "assetId=" + van))).containsExactly("sextant.asset.stale"));
        JsonNode staleEvent = events(token, "assetId=" + van).getFirst();
        JsonNode stale = staleEvent.get("data");
        assertThat(stale.get("lastSeen").asString()).isEqualTo(lastSeen.toString());
        assertThat(staleEvent.get("time").asString())
                .as("last seen + staleAfter, though noticed four minutes later")
                .isEqualTo(lastSeen.plusSeconds(60).toString());
        assertThat(stale.get("silentSeconds").asLong()).isEqualTo(60);
        assertThat(events(token, "assetId=" + neverSeen))
                .as("an asset that never reported has no silence to measure")
                .isEmpty();

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
