package io.sextant.tracking;

import static org.assertj.core.api.Assertions.assertThat;

import io.sextant.shared.geo.Geodesy;
import io.sextant.testing.ApiClient.Response;
import io.sextant.testing.SextantIT;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.Predicate;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.GeometryFactory;
import org.locationtech.jts.geom.Polygon;
import tools.jackson.databind.JsonNode;

/**
 * Position queries over HTTP against brute-force answers computed here from the same random data:
 * a fleet scattered across the antimeridian, with types and tags, plus a second tenant whose
 * positions lie in the same places and must never appear.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PositionQueriesIT extends SextantIT {

    private static final Instant T0 = Instant.now().minus(6, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS);

    private TenantFixture tenant;
    private TenantFixture other;
    private final List<Fix> fixes = new ArrayList<>();
    private final Map<String, String> typeOf = new java.util.HashMap<>();
    private final Map<String, List<String>> tagsOf = new java.util.HashMap<>();

    record Fix(String assetId, Instant time, double lon, double lat) {}

    @BeforeEach
    void fleet() {
        if (tenant != null) {
            return; // one fleet for the whole class: the tests only read it
        }
        tenant = newTenant();
        other = newTenant();
        Random random = new Random(42);
        for (int a = 0; a < 12; a++) {
            String type = a % 3 == 0 ? "drone" : "vehicle";
            List<String> tags = a % 2 == 0 ? List.of("even") : List.of("odd");
            String id = createAsset(tenant.adminToken(), "unit-" + a, type, tags)
                    .get("id")
                    .asString();
            typeOf.put(id, type);
            tagsOf.put(id, tags);
            List<Object> batch = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                // Around the antimeridian near Fiji: longitudes on both sides of ±180.
                double lon = 178 + random.nextDouble() * 4;
                lon = lon > 180 ? lon - 360 : lon;
                double lat = -18 + random.nextDouble() * 2;
                Instant time = T0.plusSeconds(a * 7L + i * 300L);
                fixes.add(new Fix(id, time, lon, lat));
                batch.add(Map.of("assetId", id, "time", time.toString(), "lon", lon, "lat", lat));
            }
            assertThat(api.post("/api/v1/positions")
                            .bearer(tenant.adminToken())
                            .json(batch)
                            .send()
                            .json()
                            .get("accepted")
                            .asInt())
                    .isEqualTo(40);
        }
        String foreign = createAsset(other.adminToken(), "spy", "vehicle", List.of("even"))
                .get("id")
                .asString();
        List<Object> batch = new ArrayList<>();
        for (Fix fix : fixes.subList(0, 100)) {
            batch.add(Map.of(
                    "assetId",
                    foreign,
                    "time",
                    fix.time().plusMillis(1).toString(),
                    "lon",
                    fix.lon(),
                    "lat",
                    fix.lat()));
        }
        api.post("/api/v1/positions").bearer(other.adminToken()).json(batch).send();
    }

    private List<Fix> latestFixes() {
        Map<String, Fix> latest = new java.util.HashMap<>();
        fixes.forEach(f -> latest.merge(f.assetId(), f, (a, b) -> a.time().isAfter(b.time()) ? a : b));
        return List.copyOf(latest.values());
    }

    private static Set<String> keys(JsonNode collection) {
        Set<String> keys = new HashSet<>();
        collection
                .get("features")
                .forEach(f -> keys.add(f.get("properties").get("assetId").asString() + "@"
                        + Instant.parse(f.get("properties").get("time").asString())));
        return keys;
    }

    private static Set<String> keys(List<Fix> fixes) {
        Set<String> keys = new HashSet<>();
        fixes.forEach(f -> keys.add(f.assetId() + "@" + f.time()));
        return keys;
    }

    private static boolean inBox(Fix f, double west, double south, double east, double north) {
        boolean lonInside = west <= east ? f.lon() >= west && f.lon() <= east : f.lon() >= west || f.lon() <= east;
        return lonInside && f.lat() >= south && f.lat() <= north;
    }

    private JsonNode get(String path) {
        Response response = api.get(path).bearer(tenant.adminToken()).send();
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        return response.json();
    }

    @Test
    void area_history_across_the_antimeridian_pages_through_exactly_the_brute_force_answer() {
        Instant from = T0.plusSeconds(1800);
        Instant to = T0.plusSeconds(9000);
        Predicate<Fix> expected = f -> inBox(f, 179.0, -17.5, -179.0, -16.5)
                && !f.time().isBefore(from)
                && f.time().isBefore(to);
        Set<String> seen = new HashSet<>();
        String cursor = null;
        int pages = 0;
        do {
            JsonNode page = get("/api/v1/positions/history?bbox=179,-17.5,-179,-16.5&from=" + from + "&to=" + to
                    + "&limit=7" + (cursor == null ? "" : "&cursor=" + cursor));
            Set<String> pageKeys = keys(page);
            assertThat(page.get("features").size()).isLessThanOrEqualTo(7);
            assertThat(seen).doesNotContainAnyElementsOf(pageKeys);
            seen.addAll(pageKeys);
            cursor = page.has("nextCursor") ? page.get("nextCursor").asString() : null;
            pages++;
        } while (cursor != null);
        Set<String> brute = keys(fixes.stream().filter(expected).toList());
        assertThat(brute).isNotEmpty();
        assertThat(seen).isEqualTo(brute);
        assertThat(pages).isGreaterThan(1);
    }

    @Test
    void area_history_in_a_polygon_with_a_hole_filtered_by_type_matches_brute_force() {
        GeometryFactory geometry = new GeometryFactory();
        Polygon shell = geometry.createPolygon(
                geometry.createLinearRing(new Coordinate[] {
                    new Coordinate(178.2, -17.9),
                    new Coordinate(179.9, -17.9),
                    new Coordinate(179.9, -16.1),
                    new Coordinate(178.2, -16.1),
                    new Coordinate(178.2, -17.9)
                }),
                new org.locationtech.jts.geom.LinearRing[] {
                    geometry.createLinearRing(new Coordinate[] {
                        new Coordinate(178.8, -17.4),
                        new Coordinate(179.4, -17.4),
                        new Coordinate(179.4, -16.6),
                        new Coordinate(178.8, -16.6),
                        new Coordinate(178.8, -17.4)
                    })
                });
        Map<String, Object> body = Map.of(
                "geometry",
                        Map.of(
                                "type",
                                "Polygon",
                                "coordinates",
                                List.of(
                                        List.of(
                                                List.of(178.2, -17.9),
                                                List.of(179.9, -17.9),
                                                List.of(179.9, -16.1),
                                                List.of(178.2, -16.1),
                                                List.of(178.2, -17.9)),
                                        List.of(
                                                List.of(178.8, -17.4),
                                                List.of(179.4, -17.4),
                                                List.of(179.4, -16.6),
                                                List.of(178.8, -16.6),
                                                List.of(178.8, -17.4)))),
                "from", T0.toString(),
                "to", T0.plus(1, ChronoUnit.DAYS).toString(),
                "type", "vehicle",
                "limit", 10_000);
        Response response = api.post("/api/v1/positions/history/search")
                .bearer(tenant.adminToken())
                .json(body)
                .send();
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        Set<String> brute = keys(fixes.stream()
                .filter(f -> typeOf.get(f.assetId()).equals("vehicle"))
                .filter(f -> shell.covers(geometry.createPoint(new Coordinate(f.lon(), f.lat()))))
                .toList());
        assertThat(brute).isNotEmpty();
        assertThat(keys(response.json())).isEqualTo(brute);
    }

    @Test
    void history_grouped_by_asset_returns_one_multipoint_per_asset_in_time_order() {
        JsonNode page = get("/api/v1/positions/history?bbox=178,-18.5,-178,-15.5&from=" + T0 + "&to="
                + T0.plus(1, ChronoUnit.DAYS) + "&groupBy=asset&limit=10000&tag=odd");
        assertThat(page.get("features").size()).isEqualTo(6);
        page.get("features").forEach(feature -> {
            assertThat(feature.get("geometry").get("type").asString()).isEqualTo("MultiPoint");
            List<String> times = new ArrayList<>();
            feature.get("properties").get("times").forEach(t -> times.add(t.asString()));
            assertThat(times).hasSize(40).isSortedAccordingTo(Comparator.comparing(Instant::parse));
        });
    }

    @Test
    void latest_positions_within_a_radius_and_the_k_nearest_match_brute_force_and_never_show_another_tenant() {
        double lon = 179.95;
        double lat = -17.0;
        double radius = 60_000;
        JsonNode nearby = get("/api/v1/positions/latest?near=" + lon + "," + lat + "&radius=" + radius);
        List<Fix> latest = latestFixes();
        Set<String> brute = keys(latest.stream()
                .filter(f -> Geodesy.distanceMeters(lon, lat, f.lon(), f.lat()) <= radius)
                .toList());
        assertThat(keys(nearby)).isEqualTo(brute);

        JsonNode nearest = get("/api/v1/positions/latest?near=" + lon + "," + lat + "&k=5&type=vehicle");
        List<Fix> expected = latest.stream()
                .filter(f -> typeOf.get(f.assetId()).equals("vehicle"))
                .sorted(Comparator.comparingDouble(f -> Geodesy.distanceMeters(lon, lat, f.lon(), f.lat())))
                .limit(5)
                .toList();
        List<String> order = new ArrayList<>();
        List<Double> distances = new ArrayList<>();
        nearest.get("features").forEach(f -> {
            order.add(f.get("properties").get("assetId").asString());
            distances.add(f.get("properties").get("distance").asDouble());
        });
        assertThat(order)
                .containsExactlyElementsOf(expected.stream().map(Fix::assetId).toList());
        assertThat(distances).isSorted();
        assertThat(distances.getFirst())
                .isCloseTo(
                        Geodesy.distanceMeters(
                                lon,
                                lat,
                                expected.getFirst().lon(),
                                expected.getFirst().lat()),
                        org.assertj.core.data.Offset.offset(0.01));
    }

    @Test
    void latest_positions_in_a_box_across_the_antimeridian_filtered_by_tag_match_brute_force() {
        JsonNode inBox = get("/api/v1/positions/latest?bbox=179.5,-18,-179.5,-16&tag=even");
        Set<String> brute = keys(latestFixes().stream()
                .filter(f -> tagsOf.get(f.assetId()).contains("even"))
                .filter(f -> inBox(f, 179.5, -18, -179.5, -16))
                .toList());
        assertThat(keys(inBox)).isEqualTo(brute);
        assertThat(inBox.get("truncated").asBoolean()).isFalse();

        JsonNode all = get("/api/v1/positions/latest?limit=5");
        assertThat(all.get("features").size()).isEqualTo(5);
        JsonNode rest = get("/api/v1/positions/latest?limit=100&cursor="
                + all.get("nextCursor").asString());
        assertThat(rest.get("features").size()).isEqualTo(7);
        assertThat(rest.has("nextCursor")).isFalse();
    }

    @Test
    void a_track_is_ordered_capped_and_simplified_keeping_its_ends() {
        String assetId = fixes.getFirst().assetId();
        List<Fix> own = fixes.stream().filter(f -> f.assetId().equals(assetId)).toList();
        String window = "from=" + T0 + "&to=" + T0.plus(1, ChronoUnit.DAYS);
        JsonNode line = get("/api/v1/assets/" + assetId + "/track?" + window);
        JsonNode feature = line.get("features").get(0);
        assertThat(feature.get("geometry").get("type").asString()).isEqualTo("LineString");
        assertThat(feature.get("geometry").get("coordinates").size()).isEqualTo(40);
        assertThat(line.get("truncated").asBoolean()).isFalse();

        JsonNode capped = get("/api/v1/assets/" + assetId + "/track?" + window + "&limit=10&format=points");
        assertThat(capped.get("features").size()).isEqualTo(10);
        assertThat(capped.get("truncated").asBoolean()).isTrue();
        assertThat(Instant.parse(capped.get("nextFrom").asString()))
                .isEqualTo(own.get(10).time());

        JsonNode simplified = get("/api/v1/assets/" + assetId + "/track?" + window + "&tolerance=50000");
        JsonNode coordinates = simplified.get("features").get(0).get("geometry").get("coordinates");
        assertThat(coordinates.size()).isLessThan(40).isGreaterThanOrEqualTo(2);
        assertThat(coordinates.get(0).get(0).asDouble())
                .isEqualTo(own.getFirst().lon());
        assertThat(coordinates.get(coordinates.size() - 1).get(0).asDouble())
                .isEqualTo(own.getLast().lon());
    }

    @Test
    void a_snapshot_as_of_a_past_instant_gives_each_assets_last_position_within_the_staleness() {
        Instant at = T0.plusSeconds(3000);
        JsonNode snapshot = get("/api/v1/positions/snapshot?at=" + at + "&maxStaleness=PT10M");
        Map<String, Fix> expected = new java.util.HashMap<>();
        fixes.stream()
                .filter(f -> !f.time().isAfter(at) && !f.time().isBefore(at.minusSeconds(600)))
                .forEach(f -> expected.merge(f.assetId(), f, (a, b) -> a.time().isAfter(b.time()) ? a : b));
        assertThat(keys(snapshot)).isEqualTo(keys(List.copyOf(expected.values())));
    }

    @Test
    void a_snapshot_includes_a_position_exactly_as_old_as_the_maximum_staleness_and_not_one_a_microsecond_older() {
        TenantFixture own = newTenant();
        String assetId = createAsset(own.adminToken(), "edge-1", "vehicle", List.of())
                .get("id")
                .asString();
        Instant time = T0.plusMillis(250);
        assertThat(api.post("/api/v1/positions")
                        .bearer(own.adminToken())
                        .json(List.of(Map.of("assetId", assetId, "time", time.toString(), "lon", 10.0, "lat", 50.0)))
                        .send()
                        .json()
                        .get("accepted")
                        .asInt())
                .isEqualTo(1);

        JsonNode exactly = api.get("/api/v1/positions/snapshot?maxStaleness=PT30S&at=" + time.plusSeconds(30))
                .bearer(own.adminToken())
                .send()
                .json();
        JsonNode older = api.get("/api/v1/positions/snapshot?maxStaleness=PT30S&at="
                        + time.plusSeconds(30).plusNanos(1_000))
                .bearer(own.adminToken())
                .send()
                .json();

        assertThat(keys(exactly)).containsExactly(assetId + "@" + time);
        assertThat(keys(older)).isEmpty();
    }

    @Test
    void the_k_nearest_within_a_radius_over_the_radius_limit_is_a_400_like_a_radius_query() {
        Response tooFar = api.get("/api/v1/positions/latest?near=179.95,-17&k=3&radius=1000001")
                .bearer(tenant.adminToken())
                .send();
        JsonNode atTheLimit = get("/api/v1/positions/latest?near=179.95,-17&k=3&radius=1000000");

        assertThat(tooFar.status()).as(tooFar.toString()).isEqualTo(400);
        assertThat(tooFar.json().get("type").asString()).isEqualTo("urn:sextant:problem:validation");
        assertThat(tooFar.json().get("errors").get(0).get("field").asString()).isEqualTo("radius");
        assertThat(tooFar.json().get("errors").get(0).get("reason").asString()).contains("1000000");
        assertThat(atTheLimit.get("features").size()).isEqualTo(3);
    }

    @Test
    void a_bad_polygon_in_a_search_is_a_400_naming_its_place_as_for_a_zone() {
        Map<String, Object> bowTie = Map.of(
                "type",
                "Polygon",
                "coordinates",
                List.of(List.of(List.of(0, 0), List.of(1, 1), List.of(1, 0), List.of(0, 1), List.of(0, 0))));
        Map<String, Object> outOfRange = Map.of(
                "type",
                "Polygon",
                "coordinates",
                List.of(List.of(List.of(0, 0), List.of(1, 0), List.of(1, 1), List.of(0, 91), List.of(0, 0))));

        for (String path : List.of("/api/v1/positions/history/search", "/api/v1/positions/latest/search")) {
            Response crossing = api.post(path)
                    .bearer(tenant.adminToken())
                    .json(search(path, bowTie))
                    .send();
            Response far = api.post(path)
                    .bearer(tenant.adminToken())
                    .json(search(path, outOfRange))
                    .send();

            assertThat(crossing.status()).as(path + " " + crossing).isEqualTo(400);
            assertThat(crossing.json().get("errors").get(0).get("field").asString())
                    .isEqualTo("geometry.coordinates[0]");
            assertThat(crossing.json().get("errors").get(0).get("reason").asString())
                    .isEqualTo("self-intersection at [0.5, 0.5]");
            assertThat(far.status()).as(path + " " + far).isEqualTo(400);
            assertThat(far.json().get("errors").get(0).get("field").asString()).isEqualTo("geometry.coordinates[0][3]");
            assertThat(far.json().get("errors").get(0).get("reason").asString())
                    .isEqualTo("latitude 91.0 is outside [-90, 90]");
        }
    }

    private static Map<String, Object> search(String path, Map<String, Object> geometry) {
        return path.contains("history")
                ? Map.of(
                        "geometry",
                        geometry,
                        "from",
                        T0.toString(),
                        "to",
                        T0.plusSeconds(60).toString())
                : Map.of("geometry", geometry);
    }

    @Test
    void another_tenants_asset_track_is_404_and_limits_are_400_naming_the_limit() {
        String assetId = fixes.getFirst().assetId();
        Response foreign = api.get("/api/v1/assets/" + assetId + "/track?from=" + T0 + "&to=" + T0.plusSeconds(60))
                .bearer(other.adminToken())
                .send();
        assertThat(foreign.status()).isEqualTo(404);

        Response window = api.get(
                        "/api/v1/assets/" + assetId + "/track?from=" + T0 + "&to=" + T0.plus(40, ChronoUnit.DAYS))
                .bearer(tenant.adminToken())
                .send();
        assertThat(window.status()).isEqualTo(400);
        assertThat(window.json().get("detail").asString())
                .contains("exceeds the limit")
                .contains("PT744H");

        Response area = api.get(
                        "/api/v1/positions/history?bbox=-180,-90,180,90&from=" + T0 + "&to=" + T0.plusSeconds(60))
                .bearer(tenant.adminToken())
                .send();
        assertThat(area.status()).isEqualTo(400);
        assertThat(area.json().get("errors").get(0).get("field").asString()).isEqualTo("bbox");
        assertThat(area.json().get("detail").asString()).contains("2500000 km²");

        Response radius = api.get("/api/v1/positions/latest?near=0,0&radius=5000000")
                .bearer(tenant.adminToken())
                .send();
        assertThat(radius.status()).isEqualTo(400);
        assertThat(radius.json().get("errors").get(0).get("field").asString()).isEqualTo("radius");

        Response bbox = api.get("/api/v1/positions/latest?bbox=10,50,20")
                .bearer(tenant.adminToken())
                .send();
        assertThat(bbox.status()).isEqualTo(400);
        assertThat(bbox.json().get("errors").get(0).get("field").asString()).isEqualTo("bbox");

        Response page = api.get("/api/v1/positions/history?bbox=0,0,1,1&from=" + T0 + "&to=" + T0.plusSeconds(60)
                        + "&limit=10001")
                .bearer(tenant.adminToken())
                .send();
        assertThat(page.status()).isEqualTo(400);
        assertThat(page.json().get("detail").asString()).contains("10000");
    }

    @Test
    void random_boxes_and_windows_give_the_brute_force_answer_for_history_and_latest() {
        Random random = new Random(7);
        List<Fix> latest = latestFixes();
        for (int trial = 0; trial < 25; trial++) {
            double west = 178 + random.nextDouble() * 4;
            double east = west + 0.2 + random.nextDouble() * 2;
            west = west > 180 ? west - 360 : west;
            east = east > 180 ? east - 360 : east;
            double south = -18.2 + random.nextDouble() * 1.5;
            double north = south + 0.1 + random.nextDouble() * 1.5;
            Instant from = T0.plusSeconds(random.nextInt(12_000));
            Instant to = from.plusSeconds(60 + random.nextInt(8_000));
            String bbox = west + "," + south + "," + east + "," + north;
            double w = west;
            double e = east;
            double s = south;
            double n = north;

            JsonNode history =
                    get("/api/v1/positions/history?bbox=" + bbox + "&from=" + from + "&to=" + to + "&limit=10000");
            Set<String> bruteHistory = keys(fixes.stream()
                    .filter(f -> inBox(f, w, s, e, n)
                            && !f.time().isBefore(from)
                            && f.time().isBefore(to))
                    .toList());
            assertThat(keys(history))
                    .as("history in %s from %s to %s", bbox, from, to)
                    .isEqualTo(bruteHistory);

            JsonNode live = get("/api/v1/positions/latest?bbox=" + bbox + "&limit=10000");
            Set<String> bruteLive =
                    keys(latest.stream().filter(f -> inBox(f, w, s, e, n)).toList());
            assertThat(keys(live)).as("latest in %s", bbox).isEqualTo(bruteLive);
        }
    }

    @Test
    void positions_sent_in_any_order_leave_the_newest_as_latest() {
        TenantFixture own = newTenant();
        String assetId = createAsset(own.adminToken(), "shuffled", "vehicle", List.of())
                .get("id")
                .asString();
        List<Map<String, Object>> positions = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            positions.add(
                    Map.of("assetId", assetId, "time", T0.plusSeconds(i).toString(), "lon", 10 + i * 0.001, "lat", 50));
        }
        java.util.Collections.shuffle(positions, new Random(3));
        for (int from = 0; from < 60; from += 7) {
            api.post("/api/v1/positions")
                    .bearer(own.adminToken())
                    .json(positions.subList(from, Math.min(60, from + 7)))
                    .send();
        }
        JsonNode nearest = api.get("/api/v1/positions/latest?near=10.059,50&k=1")
                .bearer(own.adminToken())
                .send()
                .json();
        assertThat(nearest.get("features").get(0).get("properties").get("time").asString())
                .isEqualTo(T0.plusSeconds(59).toString());
        assertThat(nearest.get("features")
                        .get(0)
                        .get("properties")
                        .get("assetId")
                        .asString())
                .isEqualTo(assetId);
        JsonNode all = api.get("/api/v1/positions/latest?limit=100")
                .bearer(own.adminToken())
                .send()
                .json();
        assertThat(all.get("features").size()).isEqualTo(1);
        assertThat(all.get("features").get(0).get("properties").get("time").asString())
                .isEqualTo(T0.plusSeconds(59).toString());
    }
}
