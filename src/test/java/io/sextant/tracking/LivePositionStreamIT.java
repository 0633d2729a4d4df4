package io.sextant.tracking;

import static io.sextant.testing.TestGeometries.square;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.sextant.testing.ApiClient.Response;
import io.sextant.testing.SextantIT;
import io.sextant.testing.SseClient;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/**
 * The live stream of latest positions: a snapshot of the view, then only what moved and what left
 * the view, under the caller's grants as they stand at each message, never another tenant's assets.
 */
class LivePositionStreamIT extends SextantIT {

    @Autowired
    MeterRegistry meters;

    private static final String BOX = "/api/v1/positions/latest/stream?bbox=9,49,14,52";

    private TenantFixture tenant;
    private final Map<String, String> assets = new HashMap<>();
    private Instant clock = Instant.now().minus(30, ChronoUnit.MINUTES).truncatedTo(ChronoUnit.SECONDS);

    @BeforeEach
    void fleet() {
        tenant = newTenant();
        for (String name : List.of("north-1", "north-2", "south-1")) {
            assets.put(
                    name,
                    createAsset(tenant.adminToken(), name, "truck", List.of())
                            .get("id")
                            .asString());
        }
        drive(tenant.adminToken(), "north-1", 10.2, 50.2);
        drive(tenant.adminToken(), "north-2", 10.4, 50.4);
        drive(tenant.adminToken(), "south-1", 12.0, 49.5);
    }

    private void drive(String token, String externalId, double lon, double lat) {
        clock = clock.plusSeconds(10);
        Response ingested = api.post("/api/v1/positions")
                .bearer(token)
                .json(List.of(Map.of("externalId", externalId, "time", clock.toString(), "lon", lon, "lat", lat)))
                .send();
        assertThat(ingested.json().get("accepted").asInt()).as("%s", ingested).isEqualTo(1);
    }

    private static Set<String> assetIds(JsonNode collection) {
        Set<String> ids = new TreeSet<>();
        collection
                .get("features")
                .forEach(f -> ids.add(f.get("properties").get("assetId").asString()));
        return ids;
    }

    private static Set<String> removed(JsonNode collection) {
        Set<String> ids = new TreeSet<>();
        collection.get("removed").forEach(id -> ids.add(id.asString()));
        return ids;
    }

    private Set<String> ids(String... names) {
        Set<String> ids = new TreeSet<>();
        for (String name : names) {
            ids.add(assets.get(name));
        }
        return ids;
    }

    /** The next "positions" message, failing if none comes within ten seconds. */
    private static JsonNode nextUpdate(SseClient stream) {
        List<SseClient.Message> next = stream.take(1, Duration.ofSeconds(10));
        assertThat(next).as("an update within 10 s").hasSize(1);
        assertThat(next.getFirst().event()).isEqualTo("positions");
        return next.getFirst().data();
    }

    @Test
    void a_stream_sends_the_view_then_only_what_moved_and_what_left_it() {
        try (SseClient stream = SseClient.open(api.baseUrl() + BOX, tenant.adminToken(), null)) {
            List<SseClient.Message> first = stream.take(1, Duration.ofSeconds(10));
            assertThat(first).hasSize(1);
            assertThat(first.getFirst().event()).isEqualTo("snapshot");
            JsonNode snapshot = first.getFirst().data();
            assertThat(snapshot.get("type").asString()).isEqualTo("FeatureCollection");
            assertThat(assetIds(snapshot)).isEqualTo(ids("north-1", "north-2", "south-1"));
            assertThat(snapshot.get("truncated").asBoolean()).isFalse();

            drive(tenant.adminToken(), "north-1", 10.25, 50.25);
            JsonNode moved = nextUpdate(stream);
            assertThat(assetIds(moved)).isEqualTo(ids("north-1"));
            assertThat(removed(moved)).isEmpty();
            JsonNode feature = moved.get("features").get(0);
            assertThat(feature.get("geometry").get("coordinates").get(0).asDouble())
                    .isEqualTo(10.25);
            assertThat(feature.get("properties").get("time").asString()).isEqualTo(clock.toString());

            // Out of the box: reported as removed, not as a position.
            drive(tenant.adminToken(), "north-2", 20.0, 50.0);
            JsonNode left = nextUpdate(stream);
            assertThat(assetIds(left)).isEmpty();
            assertThat(removed(left)).isEqualTo(ids("north-2"));

            // Back in: sent again, as a position.
            drive(tenant.adminToken(), "north-2", 10.5, 50.5);
            assertThat(assetIds(nextUpdate(stream))).isEqualTo(ids("north-2"));
        }
    }

    @Test
    void a_stream_never_carries_another_tenants_assets() {
        TenantFixture other = newTenant();
        createAsset(other.adminToken(), "intruder", "truck", List.of());
        try (SseClient stream = SseClient.open(api.baseUrl() + BOX, tenant.adminToken(), null)) {
            assertThat(assetIds(
                            stream.take(1, Duration.ofSeconds(10)).getFirst().data()))
                    .isEqualTo(ids("north-1", "north-2", "south-1"));
            drive(other.adminToken(), "intruder", 10.3, 50.3);
            drive(tenant.adminToken(), "south-1", 12.1, 49.6);
            // Every update until our own move arrives: none names the other tenant's asset.
            List<JsonNode> updates = new ArrayList<>();
            while (updates.isEmpty() || !assetIds(updates.getLast()).contains(assets.get("south-1"))) {
                updates.add(nextUpdate(stream));
            }
            updates.forEach(update -> assertThat(assetIds(update)).isEqualTo(ids("south-1")));
        }
    }

    @Test
    void a_stream_under_a_regional_grant_sees_only_the_region_and_loses_an_asset_that_leaves_it() {
        String north = api.post("/api/v1/zones")
                .bearer(tenant.adminToken())
                .json(Map.of("name", "north", "geometry", square(10, 50, 1)))
                .send()
                .json()
                .get("id")
                .asString();
        String name = "watcher-" + tenant.slug();
        String userId = api.post("/api/v1/tenants/" + tenant.id() + "/users")
                .bearer(tenant.adminToken())
                .json(Map.of("username", name, "password", "password-of-" + name, "roles", List.of()))
                .send()
                .json()
                .get("id")
                .asString();
        Response grant = api.post("/api/v1/grants")
                .bearer(tenant.adminToken())
                .json(Map.of(
                        "subject",
                        "user:" + userId,
                        "role",
                        "viewer",
                        "scope",
                        Map.of("region", Map.of("zones", List.of(north)))))
                .send();
        assertThat(grant.status()).as("%s", grant).isEqualTo(201);
        String watcher = api.signIn(name, "password-of-" + name);

        try (SseClient stream = SseClient.open(api.baseUrl() + BOX, watcher, null)) {
            assertThat(assetIds(
                            stream.take(1, Duration.ofSeconds(10)).getFirst().data()))
                    .isEqualTo(ids("north-1", "north-2"));
            // Still inside the stream's box, but outside the grant's region: gone from this view.
            drive(tenant.adminToken(), "north-1", 12.5, 50.5);
            JsonNode update = nextUpdate(stream);
            assertThat(assetIds(update)).isEmpty();
            assertThat(removed(update)).isEqualTo(ids("north-1"));
            drive(tenant.adminToken(), "south-1", 10.9, 50.9);
            assertThat(assetIds(nextUpdate(stream))).isEqualTo(ids("south-1"));
        }
    }

    @Test
    void a_head_request_is_answered_with_the_streams_headers_after_the_same_checks_and_holds_no_stream() {
        Gauge open = meters.get("sextant.positions.streams").gauge();
        double before = open.value();
        for (int i = 0; i < 3; i++) {
            Response head = api.method("HEAD", BOX).bearer(tenant.adminToken()).send();
            assertThat(head.status()).as("%s", head).isEqualTo(200);
            assertThat(head.header("Content-Type")).startsWith("text/event-stream");
            assertThat(head.body()).isEmpty();
        }
        assertThat(api.method("HEAD", "/api/v1/positions/latest/stream?bbox=1,2,3")
                        .bearer(tenant.adminToken())
                        .send()
                        .status())
                .isEqualTo(400);
        assertThat(api.method("HEAD", BOX).send().status()).isEqualTo(401);
        // A stream writing into a HEAD would never see its client go: none may stay open.
        await().atMost(Duration.ofSeconds(5)).until(() -> open.value() == before);
    }

    @Test
    void a_bad_box_is_a_problem_and_no_stream() {
        Response response = api.get("/api/v1/positions/latest/stream?bbox=1,2,3")
                .bearer(tenant.adminToken())
                .send();
        assertThat(response.status()).isEqualTo(400);
        assertThat(response.isProblem()).as("%s", response).isTrue();
        assertThat(api.get("/api/v1/positions/latest/stream").send().status()).isEqualTo(401);
    }
}
