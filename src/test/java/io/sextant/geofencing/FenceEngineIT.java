package io.sextant.geofencing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sextant.testing.SextantIT;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** The fence engine end to end: zones over HTTP, positions over HTTP, events from the event log. */
class FenceEngineIT extends SextantIT {

    // A depot of about 700 m x 1100 m around (10.005, 50.005).
    static final List<List<Double>> DEPOT_RING = List.of(
            List.of(10.0, 50.0),
            List.of(10.01, 50.0),
            List.of(10.01, 50.01),
            List.of(10.0, 50.01),
            List.of(10.0, 50.0));
    static final Instant T0 = Instant.parse("2026-11-20T08:00:00Z");

    String createZone(String token, String name, Map<String, Object> fence, Map<String, Object> extra) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", name);
        body.put("tags", List.of("depots"));
        body.put("geometry", Map.of("type", "Polygon", "coordinates", List.of(DEPOT_RING)));
        body.put("fence", fence);
        body.putAll(extra);
        var response = api.post("/api/v1/zones").bearer(token).json(body).send();
        assertThat(response.status()).as(response.toString()).isEqualTo(201);
        return response.json().get("id").asString();
    }

    void send(String token, String externalId, Object... timeLonLat) {
        List<Map<String, Object>> batch = new ArrayList<>();
        for (int i = 0; i < timeLonLat.length; i += 3) {
            batch.add(Map.of(
                    "externalId",
                    externalId,
                    "time",
                    timeLonLat[i].toString(),
                    "lon",
                    timeLonLat[i + 1],
                    "lat",
                    timeLonLat[i + 2]));
        }
        var response = api.post("/api/v1/positions").bearer(token).json(batch).send();
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        assertThat(response.json().get("accepted").asInt())
                .as(response.toString())
                .isEqualTo(batch.size());
    }

    List<JsonNode> events(String token, String assetId) {
        List<JsonNode> events = new ArrayList<>();
        api.get("/api/v1/events?limit=500&assetId=" + assetId)
                .bearer(token)
                .send()
                .json()
                .get("items")
                .forEach(events::add);
        return events;
    }

    static List<String> summary(List<JsonNode> events) {
        return events.stream()
                .map(e -> e.get("type").asString().replace("sextant.", "") + "@"
                        + e.get("time").asString())
                .toList();
    }

    @Test
    void an_asset_crossing_a_zone_enters_dwells_and_exits_and_jitter_inside_the_margin_does_not_flap() {
        var tenant = newTenant();
        String token = tenant.adminToken();
        String assetId = createAsset(token, "truck-1", "truck", List.of("fleet"))
                .get("id")
                .asString();
        String zoneId = createZone(token, "Depot", Map.of("marginMeters", 20, "dwell", "PT10M"), Map.of());

        send(token, "truck-1", T0, 9.99, 50.005); // outside, 700 m west
        send(token, "truck-1", T0.plusSeconds(60), 10.005, 50.005); // inside
        // Jitter around the west edge while inside: 5-10 m either side, within the 20 m margin.
        send(
                token,
                "truck-1",
                T0.plusSeconds(120),
                10.00008,
                50.005,
                T0.plusSeconds(130),
                9.99992,
                50.005,
                T0.plusSeconds(140),
                10.00012,
                50.005,
                T0.plusSeconds(150),
                9.99994,
                50.005);
        send(token, "truck-1", T0.plusSeconds(60 + 11 * 60), 10.005, 50.006); // still inside, past the dwell
        send(token, "truck-1", T0.plusSeconds(60 + 20 * 60), 10.02, 50.006); // gone

        List<JsonNode> events = events(token, assetId);
        assertThat(summary(events))
                .containsExactly(
                        "zone.entered@2026-11-20T08:01:00Z",
                        "zone.dwell@2026-11-20T08:11:00Z",
                        "zone.exited@2026-11-20T08:21:00Z");
        JsonNode exited = events.getLast();
        assertThat(exited.get("source").asString()).isEqualTo("/zones/" + zoneId);
        assertThat(exited.get("data").get("zoneName").asString()).isEqualTo("Depot");
        assertThat(exited.get("data").get("externalId").asString()).isEqualTo("truck-1");
        assertThat(exited.get("data").get("enteredAt").asString()).isEqualTo("2026-11-20T08:01:00Z");
        assertThat(exited.get("data").get("durationSeconds").asLong()).isEqualTo(20 * 60);
        var byTag = api.get("/api/v1/events?zoneTag=depots&assetTag=fleet")
                .bearer(token)
                .send()
                .json()
                .get("items");
        assertThat(byTag).hasSize(3);
    }

    @Test
    void an_asset_whose_first_position_is_inside_two_overlapping_zones_enters_both() {
        var tenant = newTenant();
        String token = tenant.adminToken();
        String assetId =
                createAsset(token, "truck-2", "truck", List.of()).get("id").asString();
        createZone(token, "Depot", Map.of(), Map.of());
        createZone(token, "Depot annex", Map.of(), Map.of());

        send(token, "truck-2", T0, 10.005, 50.005); // its very first position, inside both
        send(token, "truck-2", T0.plusSeconds(60), 10.02, 50.005); // gone

        assertThat(summary(events(token, assetId)))
                .containsExactlyInAnyOrder(
                        "zone.entered@2026-11-20T08:00:00Z",
                        "zone.entered@2026-11-20T08:00:00Z",
                        "zone.exited@2026-11-20T08:01:00Z",
                        "zone.exited@2026-11-20T08:01:00Z");
    }

    @Test
    void a_late_position_that_changes_the_past_is_announced_by_a_correction() {
        var tenant = newTenant();
        String token = tenant.adminToken();
        String assetId = createAsset(token, "van-1", "van", List.of()).get("id").asString();
        createZone(token, "Depot", Map.of(), Map.of());

        send(token, "van-1", T0, 9.99, 50.005, T0.plusSeconds(600), 10.02, 50.005); // both outside
        assertThat(events(token, assetId)).isEmpty();

        // Arrives late: at 08:05 the van was in the middle of the depot.
        send(token, "van-1", T0.plusSeconds(300), 10.005, 50.005);

        List<JsonNode> events = events(token, assetId);
        assertThat(summary(events))
                .containsExactlyInAnyOrder(
                        "fence.corrected@2026-11-20T08:05:00Z",
                        "zone.entered@2026-11-20T08:05:00Z",
                        "zone.exited@2026-11-20T08:10:00Z");
        JsonNode correction = events.stream()
                .filter(e -> e.get("type").asString().equals("sextant.fence.corrected"))
                .findFirst()
                .orElseThrow()
                .get("data");
        assertThat(correction.get("retracted")).isEmpty();
        assertThat(correction.get("asserted")).hasSize(2);
        assertThat(events.stream()
                        .filter(e -> !e.get("type").asString().equals("sextant.fence.corrected"))
                        .allMatch(e -> e.get("data").get("correction").asBoolean()))
                .isTrue();

        // An earlier entry than the one announced: the announced entry is retracted, the true one asserted.
        send(token, "van-1", T0.plusSeconds(240), 10.005, 50.004);
        List<JsonNode> after = events(token, assetId);
        JsonNode second = after.stream()
                .filter(e -> e.get("type").asString().equals("sextant.fence.corrected"))
                .filter(e -> e.get("data").get("lateFrom").asString().equals("2026-11-20T08:04:00Z"))
                .findFirst()
                .orElseThrow()
                .get("data");
        assertThat(second.get("retracted").get(0).get("type").asString()).isEqualTo("sextant.zone.entered");
        assertThat(second.get("retracted").get(0).get("time").asString()).isEqualTo("2026-11-20T08:05:00Z");
        assertThat(second.get("asserted").get(0).get("time").asString()).isEqualTo("2026-11-20T08:04:00Z");

        // A late position that agrees with what was announced changes nothing.
        int count = after.size();
        send(token, "van-1", T0.plusSeconds(280), 10.006, 50.005);
        assertThat(events(token, assetId)).hasSize(count);
    }

    @Test
    void after_a_correction_every_exit_says_the_stay_a_replay_from_scratch_gives_it() {
        var tenant = newTenant();
        String token = tenant.adminToken();
        String assetId = createAsset(token, "van-9", "van", List.of()).get("id").asString();
        createZone(token, "Depot", Map.of(), Map.of());
        send(
                token,
                "van-9",
                T0.minusSeconds(30),
                9.99,
                50.005,
                T0,
                10.005,
                50.005,
                T0.plusSeconds(30),
                10.005,
                50.006,
                T0.plusSeconds(60),
                10.005,
                50.007,
                T0.plusSeconds(90),
                10.02,
                50.005);
        List<JsonNode> live = events(token, assetId);
        assertThat(summary(live))
                .containsExactly("zone.entered@2026-11-20T08:00:00Z", "zone.exited@2026-11-20T08:01:30Z");
        String firstExit = live.getLast().get("id").asString();

        // Arrives late: at 08:00:45 the van was briefly outside.
        send(token, "van-9", T0.plusSeconds(45), 10.02, 50.004);

        List<JsonNode> all = events(token, assetId);
        JsonNode correction = all.stream()
                .filter(e -> e.get("type").asString().equals("sextant.fence.corrected"))
                .findFirst()
                .orElseThrow()
                .get("data");
        List<String> retracted = new ArrayList<>();
        correction
                .get("retracted")
                .forEach(ref -> retracted.add(ref.get("eventId").asString()));
        assertThat(retracted).containsExactly(firstExit);
        // What a consumer holds once it applies the correction, oldest first.
        List<JsonNode> applied = all.stream()
                .filter(e -> e.get("type").asString().startsWith("sextant.zone."))
                .filter(e -> !retracted.contains(e.get("id").asString()))
                .sorted(java.util.Comparator.comparing(e -> e.get("time").asString()))
                .map(e -> e.get("data"))
                .toList();
        assertThat(applied)
                .extracting(
                        d -> d.get("time").asString(),
                        d -> d.has("enteredAt") ? d.get("enteredAt").asString() : null,
                        d -> d.has("durationSeconds") ? d.get("durationSeconds").asLong() : null,
                        d -> d.get("position").get("time").asString(),
                        d -> d.get("position").get("lon").asDouble())
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(
                                "2026-11-20T08:00:00Z", null, null, "2026-11-20T08:00:00Z", 10.005),
                        org.assertj.core.groups.Tuple.tuple(
                                "2026-11-20T08:00:45Z", "2026-11-20T08:00:00Z", 45L, "2026-11-20T08:00:45Z", 10.02),
                        org.assertj.core.groups.Tuple.tuple(
                                "2026-11-20T08:01:00Z", null, null, "2026-11-20T08:01:00Z", 10.005),
                        org.assertj.core.groups.Tuple.tuple(
                                "2026-11-20T08:01:30Z", "2026-11-20T08:01:00Z", 30L, "2026-11-20T08:01:30Z", 10.02));
        assertThat(summary(all.stream()
                        .filter(e -> !retracted.contains(e.get("id").asString()))
                        .toList()))
                .containsExactlyInAnyOrder(
                        "zone.entered@2026-11-20T08:00:00Z",
                        "fence.corrected@2026-11-20T08:00:45Z",
                        "zone.exited@2026-11-20T08:00:45Z",
                        "zone.entered@2026-11-20T08:01:00Z",
                        "zone.exited@2026-11-20T08:01:30Z");
    }

    @Test
    void a_dwell_decided_in_the_same_group_as_the_exit_after_it_says_when_its_stay_began() {
        var tenant = newTenant();
        String token = tenant.adminToken();
        String assetId =
                createAsset(token, "barge-1", "barge", List.of()).get("id").asString();
        createZone(token, "Dock", Map.of("dwell", "PT10M"), Map.of());

        // A backfill in one request: the last fix inside comes before the dwell is due, the next is outside.
        send(
                token,
                "barge-1",
                T0.minusSeconds(60),
                9.99,
                50.005,
                T0,
                10.005,
                50.005,
                T0.plusSeconds(300),
                10.005,
                50.006,
                T0.plusSeconds(720),
                10.02,
                50.005);

        List<JsonNode> events = events(token, assetId);
        assertThat(summary(events))
                .containsExactly(
                        "zone.entered@2026-11-20T08:00:00Z",
                        "zone.dwell@2026-11-20T08:10:00Z",
                        "zone.exited@2026-11-20T08:12:00Z");
        JsonNode dwell = events.get(1).get("data");
        assertThat(dwell.get("enteredAt").asString()).isEqualTo("2026-11-20T08:00:00Z");
        assertThat(dwell.get("durationSeconds").asLong()).isEqualTo(600);
        assertThat(dwell.has("position")).as("a dwell is dated between fixes").isFalse();
        assertThat(events.get(2).get("data").get("enteredAt").asString()).isEqualTo("2026-11-20T08:00:00Z");
    }

    @Test
    void a_dwell_fires_on_time_even_when_the_asset_goes_quiet() {
        var tenant = newTenant();
        String token = tenant.adminToken();
        String assetId =
                createAsset(token, "drone-1", "drone", List.of()).get("id").asString();
        createZone(token, "Pad", Map.of("dwell", "PT2S"), Map.of());
        Instant now = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MILLIS);

        send(token, "drone-1", now.minusSeconds(10), 9.99, 50.005, now, 10.005, 50.005);

        await().atMost(Duration.ofSeconds(15))
                .untilAsserted(() -> assertThat(summary(events(token, assetId)))
                        .containsExactly("zone.entered@" + now, "zone.dwell@" + now.plusSeconds(2)));
    }

    @Test
    void outside_its_schedule_a_zone_produces_no_events() {
        var tenant = newTenant();
        String token = tenant.adminToken();
        String assetId = createAsset(token, "bus-1", "bus", List.of()).get("id").asString();
        // 2026-11-20 is a Friday; the zone is active on weekends only.
        createZone(
                token,
                "Weekend depot",
                Map.of(),
                Map.of(
                        "schedule",
                        Map.of(
                                "timeZone",
                                "Europe/Berlin",
                                "windows",
                                List.of(Map.of("days", List.of("SAT", "SUN"), "from", "00:00", "to", "23:59")))));

        send(token, "bus-1", T0, 9.99, 50.005, T0.plusSeconds(60), 10.005, 50.005, T0.plusSeconds(120), 10.02, 50.0);

        assertThat(events(token, assetId)).isEmpty();
    }
}
