package io.sextant.tracking.live;

import io.sextant.shared.geo.GeoArbitraries;
import io.sextant.shared.geo.GeoPoint;
import io.sextant.shared.geo.Geodesy;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/**
 * Entries to index for a property test, and how they got there: entry {@code i} has payload {@code i} and ends at
 * {@code positions[i]}, some entries first sit at another position and move (within their tile or across the globe),
 * and some other entries are put and removed again, so the structure under test has been through moves, splits and
 * merges rather than only inserts.
 */
record Scene(List<GeoPoint> positions, long historySeed) {

    static UUID idOf(int entry) {
        return new UUID(0x0190_0000_0000_7000L, entry);
    }

    static int entryOf(UUID id) {
        return (int) id.getLeastSignificantBits();
    }

    static Arbitrary<Scene> scenes() {
        Arbitrary<List<GeoPoint>> scattered = GeoArbitraries.points().list().ofMaxSize(60);
        Arbitrary<List<GeoPoint>> clustered = clusters().list().ofMaxSize(3).map(clusters -> {
            List<GeoPoint> points = new ArrayList<>();
            clusters.forEach(cluster -> points.addAll(cluster));
            return points;
        });
        return Combinators.combine(scattered, clustered, Arbitraries.longs()).as((some, many, seed) -> {
            List<GeoPoint> positions = new ArrayList<>(some);
            positions.addAll(many);
            return new Scene(List.copyOf(positions), seed);
        });
    }

    /** Up to 300 points around a center, from all at one spot (deeper than the quadtree splits) to 10° apart. */
    private static Arbitrary<List<GeoPoint>> clusters() {
        return Combinators.combine(
                        GeoArbitraries.points(),
                        Arbitraries.integers().between(0, 300),
                        Arbitraries.of(0.0, 1e-7, 1e-3, 0.05, 1.0, 10.0),
                        Arbitraries.longs())
                .as((center, count, spread, seed) -> {
                    Random random = new Random(seed);
                    List<GeoPoint> points = new ArrayList<>();
                    for (int i = 0; i < count; i++) {
                        points.add(near(center, spread, random));
                    }
                    return points;
                });
    }

    static GeoPoint near(GeoPoint center, double spread, Random random) {
        double lat = Math.clamp(center.lat() + random.nextGaussian() * spread, -90.0, 90.0);
        double lonSpread = spread / Math.max(1e-3, Math.cos(Math.toRadians(lat)));
        double lon = Geodesy.normalizeLongitude(center.lon() + random.nextGaussian() * lonSpread);
        return new GeoPoint(lon, lat);
    }

    Scene with(List<GeoPoint> more) {
        List<GeoPoint> all = new ArrayList<>(positions);
        all.addAll(more);
        return new Scene(List.copyOf(all), historySeed);
    }

    int size() {
        return positions.size();
    }

    GeoPoint position(int entry) {
        return positions.get(entry);
    }

    /** The index after this scene's history: removed entries, moves, and finally every entry at its position. */
    LiveIndex<Integer> index() {
        Random random = new Random(historySeed);
        LiveIndex<Integer> index = new LiveIndex<>();
        int passersBy = random.nextInt(50);
        for (int t = 0; t < passersBy; t++) {
            GeoPoint somewhere = randomPoint(random);
            index.put(idOf(-1 - t), somewhere.lon(), somewhere.lat(), -1);
        }
        for (int entry = 0; entry < size(); entry++) {
            switch (random.nextInt(3)) {
                case 0 -> {
                    GeoPoint before = near(position(entry), 0.01, random);
                    index.put(idOf(entry), before.lon(), before.lat(), -1);
                }
                case 1 -> {
                    GeoPoint before = randomPoint(random);
                    index.put(idOf(entry), before.lon(), before.lat(), -1);
                }
                default -> {}
            }
        }
        for (int t = 0; t < passersBy; t += 2) {
            index.remove(idOf(-1 - t));
        }
        for (int entry = 0; entry < size(); entry++) {
            index.put(idOf(entry), position(entry).lon(), position(entry).lat(), entry);
        }
        for (int t = 1; t < passersBy; t += 2) {
            index.remove(idOf(-1 - t));
        }
        return index;
    }

    private static GeoPoint randomPoint(Random random) {
        return new GeoPoint(random.nextDouble(-180, 180), random.nextDouble(-90, 90));
    }
}
