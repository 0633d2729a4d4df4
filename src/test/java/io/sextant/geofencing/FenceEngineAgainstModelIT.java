package io.sextant.geofencing;

import static org.assertj.core.api.Assertions.assertThat;

import io.sextant.shared.geo.Geodesy;
import io.sextant.testing.SextantIT;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.BiPredicate;
import org.junit.jupiter.api.Test;
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.GeometryFactory;
import org.locationtech.jts.geom.Polygon;

/**
 * The engine against a model: random walks of several assets through overlapping zones (two
 * polygons and a circle), sent over HTTP in random batches; every enter and exit the engine emits
 * must be exactly what a model computed from the geometry alone expects (JTS for polygons,
 * haversine for the circle, and the plain crossing rule of the zones' default settings) — neither
 * the engine's presence classification nor its state machine is used as the oracle.
 */
class FenceEngineAgainstModelIT extends SextantIT {

    static final GeometryFactory JTS = new GeometryFactory();

    record ModelZone(String name, Map<String, Object> body, BiPredicate<Double, Double> contains) {}

    static final int STEPS = 60;
    static final Instant T0 = Instant.parse("2026-11-20T06:00:00Z");
    static final double[][] SQUARE = {{10.0, 50.0}, {10.02, 50.0}, {10.02, 50.02}, {10.0, 50.02}, {10.0, 50.0}};
    static final double[][] TRIANGLE = {{10.01, 50.005}, {10.04, 50.005}, {10.025, 50.03}, {10.01, 50.005}};
    // Two polygons and a circle, overlapping.
    static final List<ModelZone> ZONES = List.of(
            new ModelZone(
                    "square",
                    Map.of("geometry", Map.of("type", "Polygon", "coordinates", List.of(ring(SQUARE)))),
                    polygon(SQUARE)),
            new ModelZone(
                    "triangle",
                    Map.of("geometry", Map.of("type", "Polygon", "coordinates", List.of(ring(TRIANGLE)))),
                    polygon(TRIANGLE)),
            new ModelZone(
                    "circle",
                    Map.of("circle", Map.of("center", List.of(10.02, 50.01), "radiusMeters", 900)),
                    (lon, lat) -> Geodesy.distanceMeters(10.02, 50.01, lon, lat) <= 900));

    static List<List<Double>> ring(double[][] points) {
        List<List<Double>> ring = new ArrayList<>();
        for (double[] p : points) {
            ring.add(List.of(p[0], p[1]));
        }
        return ring;
    }

    static BiPredicate<Double, Double> polygon(double[][] points) {
        Coordinate[] coordinates = new Coordinate[points.length];
        for (int i = 0; i < points.length; i++) {
            coordinates[i] = new Coordinate(points[i][0], points[i][1]);
        }
        Polygon shape = JTS.createPolygon(coordinates);
        return (lon, lat) -> shape.covers(JTS.createPoint(new Coordinate(lon, lat)));
    }

    /** The three zones, created over HTTP; returns their names by id. */
    Map<String, String> createZones(String token) {
        Map<String, String> zoneIds = new HashMap<>();
        for (ModelZone zone : ZONES) {
            Map<String, Object> body = new LinkedHashMap<>(zone.body());
            body.put("name", zone.name());
            var created = api.post("/api/v1/zones").bearer(token).json(body).send();
            assertThat(created.status()).as(created.toString()).isEqualTo(201);
            zoneIds.put(created.json().get("id").asString(), zone.name());
        }
        return zoneIds;
    }

    /** {@code count} assets on random walks of {@link #STEPS} fixes; fills their external ids by id. */
    Map<String, List<double[]>> walks(String token, Random random, int count, Map<String, String> assetIds) {
        Map<String, List<double[]>> walks = new LinkedHashMap<>();
        for (int a = 0; a < count; a++) {
            String externalId = "walker-" + a;
            assetIds.put(
                    createAsset(token, externalId, "robot", List.of()).get("id").asString(), externalId);
            List<double[]> walk = new ArrayList<>();
            double lon = 9.995 + random.nextDouble() * 0.05;
            double lat = 49.995 + random.nextDouble() * 0.04;
            for (int i = 0; i < STEPS; i++) {
                lon = Math.min(10.05, Math.max(9.99, lon + (random.nextDouble() - 0.5) * 0.008));
                lat = Math.min(50.04, Math.max(49.99, lat + (random.nextDouble() - 0.5) * 0.008));
                walk.add(new double[] {lon, lat});
            }
            walks.put(externalId, walk);
        }
        return walks;
    }

    static Map<String, Object> fix(String walker, int n, double[] p) {
        return Map.of("externalId", walker, "time", T0.plusSeconds(30L * n).toString(), "lon", p[0], "lat", p[1]);
    }

    void post(String token, List<Map<String, Object>> batch) {
        var response = api.post("/api/v1/positions").bearer(token).json(batch).send();
        assertThat(response.json().get("accepted").asInt())
                .as(response.toString())
                .isEqualTo(batch.size());
    }

    /**
     * The model: with the zones' default rules (no margin, one fix decides, no dwell) an asset
     * enters a zone at the first fix inside it and exits at the first fix outside after that.
     * Computed here from the geometry alone, not by the engine's state machine. Sorted, repeats kept.
     */
    static List<String> expected(Map<String, List<double[]>> walks) {
        List<String> expected = new ArrayList<>();
        for (var walk : walks.entrySet()) {
            for (ModelZone zone : ZONES) {
                boolean inside = false;
                for (int i = 0; i < walk.getValue().size(); i++) {
                    double[] p = walk.getValue().get(i);
                    boolean now = zone.contains().test(p[0], p[1]);
                    if (now != inside) {
                        String type = now ? "sextant.zone.entered" : "sextant.zone.exited";
                        expected.add(walk.getKey() + " " + type + " " + zone.name() + " " + T0.plusSeconds(30L * i));
                        inside = now;
                    }
                }
            }
        }
        expected.sort(null);
        return expected;
    }

    /** Every zone event of the tenant's log, sorted, repeats kept. */
    List<String> actual(String token, Map<String, String> assetIds, Map<String, String> zoneIds) {
        List<String> actual = new ArrayList<>();
        String cursor = null;
        do {
            var page = api.get("/api/v1/events?limit=500&type=sextant.zone.*"
                            + (cursor == null ? "" : "&cursor=" + cursor))
                    .bearer(token)
                    .send()
                    .json();
            page.get("items")
                    .forEach(e ->
                            actual.add(assetIds.get(e.get("data").get("assetId").asString()) + " "
                                    + e.get("type").asString() + " "
                                    + zoneIds.get(e.get("data").get("zoneId").asString()) + " "
                                    + e.get("time").asString()));
            var next = page.get("nextCursor");
            cursor = next == null || next.isNull() ? null : next.asString();
        } while (cursor != null);
        actual.sort(null);
        return actual;
    }

    @Test
    void every_enter_and_exit_is_what_the_geometry_alone_says() {
        var tenant = newTenant();
        String token = tenant.adminToken();
        Map<String, String> zoneIds = createZones(token);
        Random random = new Random(42);
        Map<String, String> assetIds = new HashMap<>();
        Map<String, List<double[]>> walks = walks(token, random, 6, assetIds);
        // Send in random batches that interleave the assets, each asset's positions in time order.
        Map<String, Integer> sent = new HashMap<>();
        walks.keySet().forEach(k -> sent.put(k, 0));
        while (sent.values().stream().anyMatch(n -> n < STEPS)) {
            List<Map<String, Object>> batch = new ArrayList<>();
            int size = 1 + random.nextInt(25);
            for (int i = 0; i < size; i++) {
                String walker = "walker-" + random.nextInt(6);
                int n = sent.get(walker);
                if (n == STEPS) {
                    continue;
                }
                batch.add(fix(walker, n, walks.get(walker).get(n)));
                sent.put(walker, n + 1);
            }
            if (!batch.isEmpty()) {
                post(token, batch);
            }
        }

        List<String> expected = expected(walks);
        assertThat(expected)
                .as("the walks must cross zone boundaries for this test to mean anything")
                .hasSizeGreaterThan(10);
        assertThat(actual(token, assetIds, zoneIds)).containsExactlyElementsOf(expected);
    }

    /**
     * Eight clients at once, each with its own assets (each asset's fixes in time order): the
     * writers' groups are evaluated side by side, and still every enter and exit is the model's,
     * each exactly once.
     */
    @Test
    void clients_sending_at_once_get_every_enter_and_exit_exactly_once() throws Exception {
        var tenant = newTenant();
        String token = tenant.adminToken();
        Map<String, String> zoneIds = createZones(token);
        Random random = new Random(7);
        Map<String, String> assetIds = new HashMap<>();
        int walkers = 48;
        int clients = 8;
        Map<String, List<double[]>> walks = walks(token, random, walkers, assetIds);
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        try {
            List<Future<?>> sending = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                int client = c;
                long seed = random.nextLong();
                sending.add(pool.submit(() -> {
                    Random own = new Random(seed);
                    List<String> mine = new ArrayList<>();
                    for (int w = client; w < walkers; w += clients) {
                        mine.add("walker-" + w);
                    }
                    int[] sent = new int[mine.size()];
                    int left = mine.size() * STEPS;
                    while (left > 0) {
                        List<Map<String, Object>> batch = new ArrayList<>();
                        int size = 1 + own.nextInt(20);
                        for (int i = 0; i < size && left > 0; i++) {
                            int m = own.nextInt(mine.size());
                            if (sent[m] == STEPS) {
                                continue;
                            }
                            String walker = mine.get(m);
                            batch.add(fix(walker, sent[m], walks.get(walker).get(sent[m])));
                            sent[m]++;
                            left--;
                        }
                        if (!batch.isEmpty()) {
                            post(token, batch);
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> client : sending) {
                client.get(120, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }

        List<String> expected = expected(walks);
        assertThat(expected)
                .as("the walks must cross zone boundaries for this test to mean anything")
                .hasSizeGreaterThan(100);
        assertThat(actual(token, assetIds, zoneIds)).containsExactlyElementsOf(expected);
    }
}
