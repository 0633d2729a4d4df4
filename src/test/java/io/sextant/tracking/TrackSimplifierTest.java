package io.sextant.tracking;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.GeometryFactory;
import org.locationtech.jts.geom.LineString;

class TrackSimplifierTest {

    private static final UUID ASSET = UUID.randomUUID();
    private static final double R = 6_371_008.8;

    /** A random walk of small steps from a start point, possibly across the antimeridian. */
    private static List<StoredPosition> walk(long seed, int n, double startLon, double startLat) {
        java.util.Random random = new java.util.Random(seed);
        List<StoredPosition> track = new ArrayList<>();
        double lon = startLon;
        double lat = startLat;
        for (int i = 0; i < n; i++) {
            track.add(new StoredPosition(
                    ASSET,
                    Instant.EPOCH.plusSeconds(i),
                    Instant.EPOCH.plusSeconds(i),
                    lon,
                    lat,
                    null,
                    null,
                    null,
                    null,
                    java.util.Map.of()));
            lon += (random.nextDouble() - 0.3) * 0.01;
            lat += (random.nextDouble() - 0.5) * 0.01;
            lon = lon > 180 ? lon - 360 : lon < -180 ? lon + 360 : lon;
            lat = Math.max(-89, Math.min(89, lat));
        }
        return track;
    }

    @Property(tries = 200)
    void simplification_keeps_the_ends_and_a_subsequence_and_stays_within_the_tolerance(
            @ForAll long seed,
            @ForAll @IntRange(min = 3, max = 300) int n,
            @ForAll @DoubleRange(min = 1, max = 2000) double tolerance,
            @ForAll @DoubleRange(min = 179, max = 180) double startLon,
            @ForAll @DoubleRange(min = -70, max = 70) double startLat) {
        List<StoredPosition> track = walk(seed, n, startLon, startLat);
        List<StoredPosition> simplified = TrackSimplifier.simplify(track, tolerance);

        assertThat(simplified.getFirst()).isSameAs(track.getFirst());
        assertThat(simplified.getLast()).isSameAs(track.getLast());
        assertThat(track).containsSubsequence(simplified);

        // Every dropped position lies within the tolerance of the simplified line, measured in the
        // same local plane (a few percent of slack for the projection over the walk's extent).
        double meanLat =
                track.stream().mapToDouble(StoredPosition::lat).average().orElse(0);
        LineString line = project(simplified, meanLat, startLon);
        GeometryFactory factory = new GeometryFactory();
        for (StoredPosition p : track) {
            Coordinate c = project(p, meanLat, startLon);
            assertThat(line.distance(factory.createPoint(c))).isLessThanOrEqualTo(tolerance * 1.0001 + 1e-6);
        }
    }

    @Property(tries = 50)
    void a_zero_tolerance_keeps_every_position(@ForAll long seed, @ForAll @IntRange(min = 1, max = 100) int n) {
        List<StoredPosition> track = walk(seed, n, 10, 50);
        assertThat(TrackSimplifier.simplify(track, 0)).isEqualTo(track);
    }

    private static LineString project(List<StoredPosition> track, double meanLat, double originLon) {
        return new GeometryFactory()
                .createLineString(
                        track.stream().map(p -> project(p, meanLat, originLon)).toArray(Coordinate[]::new));
    }

    private static Coordinate project(StoredPosition p, double meanLat, double originLon) {
        double delta = p.lon() - originLon;
        delta = delta > 180 ? delta - 360 : delta < -180 ? delta + 360 : delta;
        return new Coordinate(
                Math.toRadians(originLon + delta) * R * Math.cos(Math.toRadians(meanLat)), Math.toRadians(p.lat()) * R);
    }
}
