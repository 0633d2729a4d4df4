package io.sextant.benchmark;

import io.sextant.shared.geo.GeoPoint;
import io.sextant.tracking.live.LiveIndex;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.Locale;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Adapters to Sextant's live index (in-process) and live query endpoint (HTTP). */
final class LiveProbes {

    private static final Pattern REBUILT = Pattern.compile("Live index rebuilt: (\\d+) latest positions in (\\d+) ms");

    private LiveProbes() {}

    static boolean available() {
        return true;
    }

    interface InProcess {
        String name();

        String fillSeconds();

        int query(double lon, double lat, LivePhase.Shape shape);
    }

    /** Sextant's own {@link LiveIndex}, filled in this JVM with the same points, payload the row number. */
    static InProcess inProcess(UUID[] ids, double[] lon, double[] lat) {
        LiveIndex<Integer> index = new LiveIndex<>();
        long t0 = System.nanoTime();
        for (int i = 0; i < ids.length; i++) {
            index.put(ids[i], lon[i], lat[i], i);
        }
        String fill = PositionsBenchmark.seconds(System.nanoTime() - t0);
        return new InProcess() {
            @Override
            public String name() {
                return "LiveIndex";
            }

            @Override
            public String fillSeconds() {
                return fill;
            }

            @Override
            public int query(double x, double y, LivePhase.Shape shape) {
                GeoPoint center = new GeoPoint(x, y);
                return shape.k() > 0
                        ? index.nearest(center, shape.k(), shape.radiusKm() * 1000, p -> true)
                                .size()
                        : index.withinRadius(center, shape.radiusKm() * 1000, p -> true, shape.limit())
                                .size();
            }
        };
    }

    /** GET /api/v1/positions/latest?near=…; the number of features in the answer. */
    static int http(PositionsBenchmark b, String token, double lon, double lat, LivePhase.Shape shape)
            throws Exception {
        String query = String.format(
                Locale.ROOT,
                "near=%s,%s&radius=%s&%s",
                lon,
                lat,
                shape.radiusKm() * 1000,
                shape.k() > 0 ? "k=" + shape.k() : "limit=" + shape.limit());
        HttpResponse<String> r =
                b.send(HttpRequest.newBuilder(URI.create(b.baseUrl + "/api/v1/positions/latest?" + query))
                        .header("Authorization", "Bearer " + token)
                        .header("Accept", "application/geo+json"));
        if (r.statusCode() != 200) {
            throw new IllegalStateException("live query failed: " + r.statusCode() + " " + r.body());
        }
        return count(r.body(), "\"Feature\"");
    }

    /** POST /api/v1/positions/latest/search with a square of {@code 2 × radiusKm} a side around the point. */
    static int httpPolygon(PositionsBenchmark b, String token, double lon, double lat, LivePhase.Shape shape)
            throws Exception {
        double dLat = shape.radiusKm() / 111.32;
        double dLon = dLat / Math.cos(Math.toRadians(lat));
        String ring = String.format(
                Locale.ROOT,
                "[[%s,%s],[%s,%s],[%s,%s],[%s,%s],[%s,%s]]",
                lon - dLon,
                lat - dLat,
                lon + dLon,
                lat - dLat,
                lon + dLon,
                lat + dLat,
                lon - dLon,
                lat + dLat,
                lon - dLon,
                lat - dLat);
        String body =
                "{\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[" + ring + "]},\"limit\":" + shape.limit() + "}";
        HttpResponse<String> r =
                b.send(HttpRequest.newBuilder(URI.create(b.baseUrl + "/api/v1/positions/latest/search"))
                        .header("Authorization", "Bearer " + token)
                        .header("Content-Type", "application/json")
                        .header("Accept", "application/geo+json")
                        .POST(HttpRequest.BodyPublishers.ofString(body)));
        if (r.statusCode() != 200) {
            throw new IllegalStateException("polygon query failed: " + r.statusCode() + " " + r.body());
        }
        return count(r.body(), "\"Feature\"");
    }

    /**
     * GET /api/v1/positions/history: a box of {@code sideKm} around the point over the 3 hours
     * before {@code end}, one page of at most 1,000 positions.
     */
    static int httpHistory(PositionsBenchmark b, String token, double lon, double lat, double sideKm, Instant end)
            throws Exception {
        double dLat = sideKm / 2 / 111.32;
        double dLon = dLat / Math.cos(Math.toRadians(lat));
        String query = String.format(
                Locale.ROOT,
                "bbox=%s,%s,%s,%s&from=%s&to=%s&limit=1000",
                lon - dLon,
                lat - dLat,
                lon + dLon,
                lat + dLat,
                end.minusSeconds(3 * 3600),
                end.plusSeconds(1));
        HttpResponse<String> r =
                b.send(HttpRequest.newBuilder(URI.create(b.baseUrl + "/api/v1/positions/history?" + query))
                        .header("Authorization", "Bearer " + token)
                        .header("Accept", "application/geo+json"));
        if (r.statusCode() != 200) {
            throw new IllegalStateException("history query failed: " + r.statusCode() + " " + r.body());
        }
        return count(r.body(), "\"Feature\"");
    }

    /**
     * The latest positions in a square of {@code 2 × radiusKm} a side around the point, at most
     * {@code limit}: {@code GET /api/v1/positions/latest?bbox=} (REST, no order, cut at the limit), or
     * with {@code ogc} the first page of {@code GET /api/v1/ogc/collections/latest-positions/items?bbox=}
     * (in asset order, with a next link when more follow).
     */
    static int httpBox(PositionsBenchmark b, String token, double lon, double lat, LivePhase.Shape shape, boolean ogc)
            throws Exception {
        double dLat = shape.radiusKm() / 111.32;
        double dLon = dLat / Math.cos(Math.toRadians(lat));
        String box = String.format(Locale.ROOT, "%s,%s,%s,%s", lon - dLon, lat - dLat, lon + dLon, lat + dLat);
        String path = ogc
                ? "/api/v1/ogc/collections/latest-positions/items?bbox=" + box + "&limit=" + shape.limit()
                : "/api/v1/positions/latest?bbox=" + box + "&limit=" + shape.limit();
        HttpResponse<String> r = b.send(HttpRequest.newBuilder(URI.create(b.baseUrl + path))
                .header("Authorization", "Bearer " + token)
                .header("Accept", "application/geo+json"));
        if (r.statusCode() != 200) {
            throw new IllegalStateException("box query failed: " + r.statusCode() + " " + r.body());
        }
        return count(r.body(), "\"type\":\"Feature\"");
    }

    private static int count(String text, String needle) {
        int n = 0;
        for (int i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + needle.length())) {
            n++;
        }
        return n;
    }

    static String rebuildLine(String log) {
        Matcher m = REBUILT.matcher(log);
        return m.find()
                ? String.format(
                        Locale.ROOT,
                        "%,d latest positions in %,d ms (from Sextant's log)",
                        Long.parseLong(m.group(1)),
                        Long.parseLong(m.group(2)))
                : "no rebuild line found in the log";
    }
}
