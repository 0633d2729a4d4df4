package io.sextant.tracking;

import static io.sextant.testing.TestGeometries.square;
import static org.assertj.core.api.Assertions.assertThat;

import io.sextant.testing.ApiClient.Response;
import io.sextant.testing.SextantIT;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/**
 * Position queries under a grant limited by region, asset tags and clearance: each answers exactly
 * the positions the single check (the explanation) allows — in both directions — kNN gives the
 * nearest reached assets, pages of any size concatenate to the whole, and a track of an asset the
 * grant cannot reach is 404.
 */
class PositionAccessIT extends SextantIT {

    @Autowired
    LatestPositionWrites latestWrites;

    private TenantFixture tenant;
    private String dispatcherId;
    private String dispatcher;
    private final Map<String, String> assets = new HashMap<>();
    private final Instant t0 = Instant.now().minus(30, ChronoUnit.MINUTES).truncatedTo(ChronoUnit.SECONDS);

    private void asset(String name, List<String> tags, String classification) {
        Response created = api.post("/api/v1/assets")
                .bearer(tenant.adminToken())
                .json(Map.of(
                        "externalId", name,
                        "name", name,
                        "type", "truck",
                        "tags", tags,
                        "classification", classification))
                .send();
        assertThat(created.status()).as("%s", created).isEqualTo(201);
        assets.put(name, created.json().get("id").asString());
    }

    private static Map<String, Object> fix(String name, Instant time, double lon, double lat) {
        return Map.of("externalId", name, "time", time.toString(), "lon", lon, "lat", lat);
    }

    @BeforeEach
    void fleet() {
        tenant = newTenant();
        String north = api.post("/api/v1/zones")
                .bearer(tenant.adminToken())
                .json(Map.of("name", "north", "geometry", square(10, 50, 1)))
                .send()
                .json()
                .get("id")
                .asString();
        asset("a-in-then-out", List.of("fleet-a"), "internal");
        asset("a-inside", List.of("fleet-a"), "internal");
        asset("a-inside-2", List.of("fleet-a", "x"), "public");
        asset("b-inside", List.of("fleet-b"), "internal");
        asset("a-restricted", List.of("fleet-a"), "restricted");
        asset("a-outside", List.of("fleet-a"), "internal");
        List<Object> batch = List.of(
                fix("a-in-then-out", t0, 10.5, 50.5),
                fix("a-in-then-out", t0.plusSeconds(60), 12.5, 50.5),
                fix("a-inside", t0, 10.2, 50.2),
                fix("a-inside", t0.plusSeconds(30), 10.3, 50.3),
                fix("a-inside-2", t0.plusSeconds(10), 11.0, 51.0), // on the corner: boundary included
                fix("b-inside", t0, 10.6, 50.6),
                fix("a-restricted", t0, 10.7, 50.7),
                fix("a-outside", t0, 13.0, 50.5));
        Response ingested = api.post("/api/v1/positions")
                .bearer(tenant.adminToken())
                .json(batch)
                .send();
        assertThat(ingested.json().get("accepted").asInt()).as("%s", ingested).isEqualTo(batch.size());
        latestWrites.flush();

        String name = "dispatcher-" + tenant.slug();
        Response user = api.post("/api/v1/tenants/" + tenant.id() + "/users")
                .bearer(tenant.adminToken())
                .json(Map.of("username", name, "password", "password-of-" + name, "roles", List.of()))
                .send();
        dispatcherId = user.json().get("id").asString();
        Response grant = api.post("/api/v1/grants")
                .bearer(tenant.adminToken())
                .json(Map.of(
                        "subject",
                        "user:" + dispatcherId,
                        "role",
                        "viewer",
                        "scope",
                        Map.of(
                                "region", Map.of("zones", List.of(north)),
                                "assetTags", List.of("fleet-a"),
                                "clearance", "confidential")))
                .send();
        assertThat(grant.status()).as("%s", grant).isEqualTo(201);
        dispatcher = api.signIn(name, "password-of-" + name);
    }

    /** "assetId@time" of each feature. */
    private static Set<String> keys(JsonNode collection) {
        Set<String> keys = new LinkedHashSet<>();
        collection
                .get("features")
                .forEach(f -> keys.add(f.get("properties").get("assetId").asString() + "@"
                        + f.get("properties").get("time").asString()));
        return keys;
    }

    private JsonNode get(String token, String path) {
        Response response = api.get(path).bearer(token).send();
        assertThat(response.status()).as("%s", response).isEqualTo(200);
        return response.json();
    }

    /** Every page of a paginated query at {@code limit}, concatenated. */
    private Set<String> allPages(String token, String path, int limit) {
        Set<String> all = new LinkedHashSet<>();
        String cursor = null;
        int pages = 0;
        do {
            JsonNode page = get(
                    token,
                    path + "&limit=" + limit
                            + (cursor == null ? "" : "&cursor=" + URLEncoder.encode(cursor, StandardCharsets.UTF_8)));
            Set<String> keys = keys(page);
            assertThat(keys.size()).isLessThanOrEqualTo(limit);
            if (page.has("nextCursor")) {
                assertThat(keys).as("a page before the last is full").hasSize(limit);
            }
            assertThat(all).doesNotContainAnyElementsOf(keys);
            all.addAll(keys);
            cursor = page.has("nextCursor") ? page.get("nextCursor").asString() : null;
            assertThat(++pages).isLessThan(100);
        } while (cursor != null);
        return all;
    }

    /** What the single check says of the dispatcher and one position. */
    private boolean allowed(JsonNode feature) {
        JsonNode coordinates = feature.get("geometry").get("coordinates");
        Response explained = api.post("/api/v1/access/explain")
                .bearer(tenant.adminToken())
                .json(Map.of(
                        "subject", "user:" + dispatcherId,
                        "action", "positions:read",
                        "assetId", feature.get("properties").get("assetId").asString(),
                        "point",
                                List.of(
                                        coordinates.get(0).asDouble(),
                                        coordinates.get(1).asDouble()),
                        "time", feature.get("properties").get("time").asString()))
                .send();
        assertThat(explained.status()).as("%s", explained).isEqualTo(200);
        return explained.json().get("decision").asString().equals("allow");
    }

    private Set<String> allowedAmong(JsonNode everything) {
        Set<String> allowed = new LinkedHashSet<>();
        everything.get("features").forEach(f -> {
            if (allowed(f)) {
                allowed.add(f.get("properties").get("assetId").asString() + "@"
                        + f.get("properties").get("time").asString());
            }
        });
        return allowed;
    }

    private String key(String asset, Instant time) {
        return assets.get(asset) + "@" + time;
    }

    @Test
    void history_in_an_area_holds_exactly_what_the_check_allows_on_every_page_size() {
        String path =
                "/api/v1/positions/history?bbox=9,49,14,52&from=" + t0.minusSeconds(1) + "&to=" + t0.plusSeconds(120);
        JsonNode everything = get(tenant.adminToken(), path + "&limit=100");
        assertThat(keys(everything)).hasSize(8);
        Set<String> expected = allowedAmong(everything);
        assertThat(expected)
                .containsExactlyInAnyOrder(
                        key("a-in-then-out", t0),
                        key("a-inside", t0),
                        key("a-inside", t0.plusSeconds(30)),
                        key("a-inside-2", t0.plusSeconds(10)));
        for (int limit : List.of(1, 2, 3, 100)) {
            assertThat(allPages(dispatcher, path, limit)).as("limit %d", limit).isEqualTo(expected);
        }
    }

    @Test
    void latest_positions_by_page_box_radius_and_nearest_hold_only_reached_ones() {
        JsonNode everything = get(tenant.adminToken(), "/api/v1/positions/latest?limit=100");
        Set<String> expected = allowedAmong(everything);
        assertThat(expected)
                .containsExactlyInAnyOrder(key("a-inside", t0.plusSeconds(30)), key("a-inside-2", t0.plusSeconds(10)));
        assertThat(allPages(dispatcher, "/api/v1/positions/latest?x=1", 1)).isEqualTo(expected);
        assertThat(keys(get(dispatcher, "/api/v1/positions/latest?bbox=9,49,14,52")))
                .isEqualTo(expected);
        assertThat(keys(get(dispatcher, "/api/v1/positions/latest?near=10.5,50.5&radius=300000")))
                .containsExactlyInAnyOrderElementsOf(expected);
        // The nearest to a point outside the region: the admin's is the asset that left; the
        // dispatcher's the nearest it reaches.
        JsonNode adminNearest = get(tenant.adminToken(), "/api/v1/positions/latest?near=12.6,50.5&k=1");
        assertThat(keys(adminNearest)).containsExactly(key("a-in-then-out", t0.plusSeconds(60)));
        JsonNode nearest = get(dispatcher, "/api/v1/positions/latest?near=12.6,50.5&k=1");
        assertThat(keys(nearest)).containsExactly(key("a-inside-2", t0.plusSeconds(10)));
    }

    @Test
    void a_track_holds_only_the_reached_positions_and_an_unreached_asset_is_404() {
        JsonNode track = get(
                dispatcher,
                "/api/v1/assets/" + assets.get("a-in-then-out") + "/track?format=points&from=" + t0.minusSeconds(1)
                        + "&to=" + t0.plusSeconds(120));
        assertThat(keys(track)).containsExactly(key("a-in-then-out", t0));
        for (String hidden : List.of("b-inside", "a-restricted")) {
            assertThat(api.get("/api/v1/assets/" + assets.get(hidden) + "/track?from=" + t0.minusSeconds(1) + "&to="
                                    + t0.plusSeconds(120))
                            .bearer(dispatcher)
                            .send()
                            .status())
                    .as(hidden)
                    .isEqualTo(404);
        }
    }

    @Test
    void a_snapshot_as_of_a_past_instant_holds_only_reached_positions() {
        String path = "/api/v1/positions/snapshot?at=" + t0.plusSeconds(45) + "&maxStaleness=PT1H";
        JsonNode everything = get(tenant.adminToken(), path + "&limit=100");
        Set<String> expected = allowedAmong(everything);
        assertThat(expected)
                .containsExactlyInAnyOrder(
                        key("a-in-then-out", t0),
                        key("a-inside", t0.plusSeconds(30)),
                        key("a-inside-2", t0.plusSeconds(10)));
        assertThat(allPages(dispatcher, path, 1)).isEqualTo(expected);
        List<String> both = new ArrayList<>(keys(everything));
        assertThat(both).containsAll(expected);
    }

    @Test
    void a_writer_limited_to_a_region_writes_only_inside_it_and_not_for_assets_beyond_its_grants() {
        String name = "writer-" + tenant.slug();
        String writerId = api.post("/api/v1/tenants/" + tenant.id() + "/users")
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
                        "user:" + writerId,
                        "role",
                        "operator",
                        "scope",
                        Map.of("region", Map.of("polygon", square(10, 50, 1)), "assetTags", List.of("fleet-a"))))
                .send();
        assertThat(grant.status()).as("%s", grant).isEqualTo(201);
        String writer = api.signIn(name, "password-of-" + name);
        Instant t = t0.plusSeconds(300);
        Response written = api.post("/api/v1/positions")
                .bearer(writer)
                .json(List.of(
                        fix("a-inside", t, 10.4, 50.4),
                        fix("a-inside", t.plusSeconds(1), 12.4, 50.4),
                        fix("b-inside", t, 10.4, 50.4)))
                .send();
        assertThat(written.status()).as("%s", written).isEqualTo(200);
        JsonNode items = written.json().get("items");
        assertThat(items.get(0).get("status").asString()).isEqualTo("accepted");
        assertThat(items.get(1).get("status").asString()).isEqualTo("rejected");
        assertThat(items.get(1).get("reason").asString()).contains("your grants");
        assertThat(items.get(2).get("status").asString()).isEqualTo("rejected");
        assertThat(items.get(2).get("reason").asString()).startsWith("unknown asset");
        JsonNode track = get(
                tenant.adminToken(),
                "/api/v1/assets/" + assets.get("a-inside") + "/track?format=points&from=" + t + "&to="
                        + t.plusSeconds(10));
        assertThat(keys(track)).containsExactly(key("a-inside", t));
    }

    @Test
    void a_condition_over_the_assets_attributes_narrows_queries_and_the_live_index_alike() {
        Response tagged = api.put("/api/v1/assets/" + assets.get("b-inside"))
                .bearer(tenant.adminToken())
                .header("If-Match", "\"1\"")
                .json(Map.of(
                        "externalId", "b-inside",
                        "name", "b-inside",
                        "type", "truck",
                        "tags", List.of("fleet-b"),
                        "attributes", Map.of("depot", "north")))
                .send();
        assertThat(tagged.status()).as("%s", tagged).isEqualTo(200);
        String name = "cond-" + tenant.slug();
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
                        Map.of("condition", "asset.attributes.depot == 'north' && 'fleet-b' in asset.tags")))
                .send();
        assertThat(grant.status()).as("%s", grant).isEqualTo(201);
        String token = api.signIn(name, "password-of-" + name);
        String path =
                "/api/v1/positions/history?bbox=9,49,14,52&from=" + t0.minusSeconds(1) + "&to=" + t0.plusSeconds(120);
        assertThat(allPages(token, path, 1)).containsExactly(key("b-inside", t0));
        assertThat(keys(get(token, "/api/v1/positions/latest?near=10.5,50.5&k=3")))
                .containsExactly(key("b-inside", t0));
    }

    @Test
    void random_grants_answer_exactly_what_the_check_allows_on_every_query_and_page_size() {
        java.util.Random random = new java.util.Random(20261204L);
        List<Map<String, Object>> regions = List.of(square(10, 50, 1), square(10, 50, 0.5), square(12, 50, 1.5));
        String history =
                "/api/v1/positions/history?bbox=9,49,14,52&from=" + t0.minusSeconds(1) + "&to=" + t0.plusSeconds(120);
        JsonNode everything = get(tenant.adminToken(), history + "&limit=100");
        JsonNode latestEverything = get(tenant.adminToken(), "/api/v1/positions/latest?limit=100");
        int partial = 0;
        for (int round = 0; round < 8; round++) {
            Map<String, Object> scope = new java.util.LinkedHashMap<>();
            if (random.nextBoolean()) {
                scope.put("region", Map.of("polygon", regions.get(random.nextInt(regions.size()))));
            }
            if (random.nextBoolean()) {
                scope.put("assetTags", random.nextBoolean() ? List.of("fleet-a") : List.of("fleet-b", "x"));
            }
            if (random.nextBoolean()) {
                scope.put(
                        "clearance",
                        List.of("public", "internal", "confidential").get(random.nextInt(3)));
            }
            if (random.nextInt(3) == 0) {
                // Reaches back past some of the fixture's positions and not others.
                scope.put("dataWindow", "PT" + (1800 - 20 + random.nextInt(60)) + "S");
            }
            String name = "r" + round + "-" + tenant.slug();
            dispatcherId = api.post("/api/v1/tenants/" + tenant.id() + "/users")
                    .bearer(tenant.adminToken())
                    .json(Map.of("username", name, "password", "password-of-" + name, "roles", List.of()))
                    .send()
                    .json()
                    .get("id")
                    .asString();
            Response grant = api.post("/api/v1/grants")
                    .bearer(tenant.adminToken())
                    .json(Map.of("subject", "user:" + dispatcherId, "role", "viewer", "scope", scope))
                    .send();
            assertThat(grant.status()).as("%s", grant).isEqualTo(201);
            String token = api.signIn(name, "password-of-" + name);
            int limit = 1 + random.nextInt(4);
            Set<String> allowed = allowedAmong(everything);
            assertThat(allPages(token, history, limit))
                    .as("round %d, scope %s, limit %d", round, scope, limit)
                    .isEqualTo(allowed);
            if (!allowed.isEmpty() && allowed.size() < keys(everything).size()) {
                partial++;
            }
            assertThat(allPages(token, "/api/v1/positions/latest?x=1", limit))
                    .as("round %d, scope %s, latest", round, scope)
                    .isEqualTo(allowedAmong(latestEverything));
        }
        assertThat(partial)
                .as("rounds whose grant reaches some positions but not all")
                .isGreaterThanOrEqualTo(3);
    }
}
