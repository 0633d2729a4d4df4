package io.sextant.tracking.live;

import static org.assertj.core.api.Assertions.assertThat;

import io.sextant.shared.geo.BoundingBox;
import io.sextant.shared.geo.GeoPoint;
import io.sextant.shared.geo.Geodesy;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.GeometryFactory;

/**
 * Queries running while writers move entries across tiles, the antimeridian and a pole see every entry whole (its
 * position together with the payload written with it) and at most once, and the index ends as the writers left it.
 * Races are not deterministic, so this test can only fail when a bad interleaving happens to occur; with these
 * volumes it reliably did for an index without tile locks or without duplicate removal.
 */
class LiveIndexConcurrencyTest {

    /** The payload repeats the position it was put with, so a reader can tell a torn entry. */
    record Fix(double lon, double lat) {}

    private static final GeoPoint[] HOT_SPOTS = {new GeoPoint(0, 0), new GeoPoint(179.9, 10), new GeoPoint(30, 89.8)};
    private static final int WRITERS = 3;
    private static final int IDS_PER_WRITER = 1_500;
    private static final int UPDATES_PER_WRITER = 60_000;

    private final LiveIndex<Fix> index = new LiveIndex<>();
    private final AtomicBoolean writing = new AtomicBoolean(true);

    @Test
    void queries_during_ingest_see_each_entry_whole_and_once_and_the_index_ends_as_written() throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(WRITERS + 2);
        try {
            List<Future<Map<UUID, Fix>>> writers = new ArrayList<>();
            for (int w = 0; w < WRITERS; w++) {
                int writer = w;
                writers.add(threads.submit(() -> write(writer)));
            }
            List<Future<Integer>> readers =
                    List.of(threads.submit(() -> read(new Random(1))), threads.submit(() -> read(new Random(2))));

            Map<UUID, Fix> expected = new HashMap<>();
            for (Future<Map<UUID, Fix>> writer : writers) {
                expected.putAll(writer.get(2, TimeUnit.MINUTES));
            }
            writing.set(false);
            for (Future<Integer> reader : readers) {
                assertThat(reader.get(1, TimeUnit.MINUTES)).isPositive();
            }

            assertThat(index.size()).isEqualTo(expected.size());
            Map<UUID, Fix> indexed = new HashMap<>();
            index.withinBox(BoundingBox.WORLD, fix -> true, Integer.MAX_VALUE)
                    .forEach(p -> indexed.put(p.id(), p.payload()));
            assertThat(indexed).isEqualTo(expected);
            expected.forEach(
                    (id, fix) -> assertThat(index.get(id)).contains(new LivePosition<>(id, fix.lon(), fix.lat(), fix)));
        } finally {
            threads.shutdownNow();
        }
    }

    private Map<UUID, Fix> write(int writer) {
        Random random = new Random(100 + writer);
        Map<UUID, Fix> latest = new HashMap<>();
        for (int update = 0; update < UPDATES_PER_WRITER; update++) {
            UUID id = new UUID(writer, random.nextInt(IDS_PER_WRITER));
            if (random.nextInt(20) == 0) {
                index.remove(id);
                latest.remove(id);
                continue;
            }
            GeoPoint at = Scene.near(HOT_SPOTS[random.nextInt(HOT_SPOTS.length)], 0.5, random);
            Fix fix = new Fix(at.lon(), at.lat());
            index.put(id, at.lon(), at.lat(), fix);
            latest.put(id, fix);
        }
        return latest;
    }

    private int read(Random random) {
        Predicate<Fix> any = fix -> true;
        Geometry square = new GeometryFactory().createPolygon(new Coordinate[] {
            new Coordinate(-1, -1),
            new Coordinate(1, -1),
            new Coordinate(1, 1),
            new Coordinate(-1, 1),
            new Coordinate(-1, -1)
        });
        int queries = 0;
        while (writing.get()) {
            GeoPoint center = HOT_SPOTS[random.nextInt(HOT_SPOTS.length)];
            switch (queries % 4) {
                case 0 -> assertWhole(index.withinBox(BoundingBox.around(center, 100_000), any, 1_000));
                case 1 -> assertWhole(index.withinGeometry(square, any, Integer.MAX_VALUE));
                case 2 -> assertNearestWhole(center, index.withinRadius(center, 60_000, any, 2_000));
                default -> assertNearestWhole(center, index.nearest(center, 100, Double.POSITIVE_INFINITY, any));
            }
            queries++;
        }
        return queries;
    }

    private static void assertWhole(List<LivePosition<Fix>> found) {
        for (LivePosition<Fix> position : found) {
            assertThat(new Fix(position.lon(), position.lat())).isEqualTo(position.payload());
        }
        assertThat(found).extracting(LivePosition::id).doesNotHaveDuplicates();
    }

    private static void assertNearestWhole(GeoPoint center, List<NearbyPosition<Fix>> found) {
        double previous = 0;
        for (NearbyPosition<Fix> position : found) {
            assertThat(new Fix(position.lon(), position.lat())).isEqualTo(position.payload());
            assertThat(position.distanceMeters())
                    .isEqualTo(Geodesy.distanceMeters(center.lon(), center.lat(), position.lon(), position.lat()))
                    .isGreaterThanOrEqualTo(previous);
            previous = position.distanceMeters();
        }
        assertThat(found).extracting(NearbyPosition::id).doesNotHaveDuplicates();
    }
}
