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
import java.util.TreeSet;
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

    @Test
    void every_enter_and_exit_is_what_the_geometry_alone_says() {
        var tenant = newTenant();
        String token = tenant.adminToken();
        double[][] square = {{10.0, 50.0}, {10.02, 50.0}, {10.02, 50.02}, {10.0, 50.02}, {10.0, 50.0}};
        double[][] triangle = {{10.01, 50.005}, {10.04, 50.005}, {10.025, 50.03}, {10.01, 50.005}};
        List<ModelZone> zones = List.of(
                new ModelZone(
                        "square",
                        Map.of("geometry", Map.of("type", "Polygon", "coordinates", List.of(ring(square)))),
                        polygon(square)),
                new ModelZone(
                        "triangle",
                        Map.of("geometry", Map.of("type", "Polygon", "coordinates", List.of(ring(triangle)))),
                        polygon(triangle)),
                new ModelZone(
                        "circle",
                        Map.of("circle", Map.of("center", List.of(10.02, 50.01), "radiusMeters", 900)),
                        (lon, lat) -> Geodesy.distanceMeters(10.02, 50.01, lon, lat) <= 900));
        Map<String, String> zoneIds = new HashMap<>();
        for (ModelZone zone : zones) {
            Map<String, Object> body = new LinkedHashMap<>(zone.body());
            body.put("name", zone.name());
            var created = api.post("/api/v1/zones").bearer(token).json(body).send();
            assertThat(created.status()).as(created.toString()).isEqualTo(201);
            zoneIds.put(created.json().get("id").asString(), zone.name());
        }

        Random random = new Random(42);
        Instant t0 = Instant.parse("2026-11-20T06:00:00Z");
        Map<String, List<double[]>> walks = new LinkedHashMap<>();
        Map<String, String> assetIds = new HashMap<>();
        for (int a = 0; a < 6; a++) {
            String externalId = "walker-" + a;
            assetIds.put(
                    createAsset(token, externalId, "robot", List.of()).get("id").asString(), externalId);
            List<double[]> walk = new ArrayList<>();
            double lon = 9.995 + random.nextDouble() * 0.05;
            double lat = 49.995 + random.nextDouble() * 0.04;
            for (int i = 0; i < 60; i++) {
                lon = Math.min(10.05, Math.max(9.99, lon + (random.nextDouble() - 0.5) * 0.008));
                lat = Math.min(50.04, Math.max(49.99, lat + (random.nextDouble() - 0.5) * 0.008));
                walk.add(new double[] {lon, lat});
            }
            walks.put(externalId, walk);
        }
        // Send in random batches that interleave the assets, each asset's positions in time order.
        Map<String, Integer> sent = new HashMap<>();
        walks.keySet().forEach(k -> sent.put(k, 0));
        while (sent.values().stream().anyMatch(n -> n < 60)) {
            List<Map<String, Object>> batch = new ArrayList<>();
            int size = 1 + random.nextInt(25);
            for (int i = 0; i < size; i++) {
                String walker = "walker-" + random.nextInt(6);
                int n = sent.get(walker);
                if (n == 60) {
                    continue;
                }
                double[] p = walks.get(walker).get(n);
                batch.add(Map.of(
                        "externalId", walker, "time", t0.plusSeconds(30L * n).toString(), "lon", p[0], "lat", p[1]));
                sent.put(walker, n + 1);
            }
            if (!batch.isEmpty()) {
                var response =
                        api.post("/api/v1/positions").bearer(token).json(batch).send();
                assertThat(response.json().get("accepted").asInt())
                        .as(response.toString())
                        .isEqualTo(batch.size());
            }
        }

        // The model: with the zones' default rules (no margin, one fix decides, no dwell) an asset
        // enters a zone at the first fix inside it and exits at the first fix outside after that.
        // Computed here from the geometry alone, not by the engine's state machine.
        TreeSet<String> expected = new TreeSet<>();
        for (var walk : walks.entrySet()) {
            for (ModelZone zone : zones) {
                boolean inside = false;
                for (int i = 0; i < walk.getValue().size(); i++) {
                    double[] p = walk.getValue().get(i);
                    boolean now = zone.contains().test(p[0], p[1]);
                    if (now != inside) {
                        String type = now ? "sextant.zone.entered" : "sextant.zone.exited";
                        expected.add(walk.getKey() + " " + type + " " + zone.name() + " " + t0.plusSeconds(30L * i));
                        inside = now;
                    }
                }
            }
        }
        TreeSet<String> actual = new TreeSet<>();
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

        assertThat(expected)
                .as("the walks must cross zone boundaries for this test to mean anything")
                .hasSizeGreaterThan(10);
        assertThat(actual).containsExactlyElementsOf(expected);
    }
}
