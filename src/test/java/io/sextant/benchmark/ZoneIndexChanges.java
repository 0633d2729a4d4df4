package io.sextant.benchmark;

import io.sextant.shared.geo.GeoPoint;
import io.sextant.zone.CircleShape;
import io.sextant.zone.CompiledZone;
import io.sextant.zone.FenceSettings;
import io.sextant.zone.ZoneIndex;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.UUID;

/**
 * What one zone change costs the in-memory zone index of a tenant with n zones: {@link
 * ZoneIndex#with} (the changed zone held apart, the tree packed again after more than 64 changes)
 * beside its peer, packing the whole index again on every change ({@link ZoneIndex#of}, what a change
 * cost before 2026-12-07). Run by {@code scripts/diagnostics/zone-index-changes.sh}; prints a
 * Markdown table.
 */
public final class ZoneIndexChanges {

    private ZoneIndexChanges() {}

    public static void main(String[] args) {
        int[] sizes = args.length == 0
                ? new int[] {1_000, 10_000, 50_000}
                : Arrays.stream(args).mapToInt(Integer::parseInt).toArray();
        Random random = new Random(20261207);
        System.out.println("| zones | changes | pack on every change, per change (median of 3 rounds) "
                + "| held apart (`with`), per change (median of 3 rounds) | ratio |");
        System.out.println("|---|---|---|---|---|");
        for (int round = 0; round < 2; round++) {
            for (int n : sizes) {
                List<CompiledZone> zones = zones(random, n);
                int changes = Math.max(200, Math.min(2_000, 2_000_000 / n));
                double[] packed = new double[3];
                double[] held = new double[3];
                for (int r = 0; r < 3; r++) {
                    packed[r] = packEveryChange(zones, changes);
                    held[r] = holdApart(zones, changes);
                }
                Arrays.sort(packed);
                Arrays.sort(held);
                if (round == 1) {
                    // The first pass over the sizes warms the JIT up; only the second is printed.
                    System.out.printf(
                            Locale.ROOT,
                            "| %,d | %,d | %.3f ms | %.3f ms | %.0f× |%n",
                            n,
                            changes,
                            packed[1],
                            held[1],
                            packed[1] / held[1]);
                }
            }
        }
    }

    /** Milliseconds per change when each change packs a new index from every zone. */
    private static double packEveryChange(List<CompiledZone> zones, int changes) {
        List<CompiledZone> current = new ArrayList<>(zones);
        long sink = 0;
        long start = System.nanoTime();
        for (int i = 0; i < changes; i++) {
            current.set(i % current.size(), newVersion(current.get(i % current.size())));
            sink += ZoneIndex.of(current).size();
        }
        return done(start, changes, sink);
    }

    /** Milliseconds per change through {@link ZoneIndex#with}. */
    private static double holdApart(List<CompiledZone> zones, int changes) {
        ZoneIndex index = ZoneIndex.of(zones);
        List<CompiledZone> current = new ArrayList<>(zones);
        long sink = 0;
        long start = System.nanoTime();
        for (int i = 0; i < changes; i++) {
            CompiledZone next = newVersion(current.get(i % current.size()));
            current.set(i % current.size(), next);
            index = index.with(next);
            sink += index.size();
        }
        return done(start, changes, sink);
    }

    private static double done(long start, int changes, long sink) {
        double millis = (System.nanoTime() - start) / 1e6 / changes;
        if (sink == 42) {
            System.out.println(); // keeps the JIT from dropping the work
        }
        return millis;
    }

    private static List<CompiledZone> zones(Random random, int n) {
        UUID tenant = UUID.randomUUID();
        List<CompiledZone> zones = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            GeoPoint center = new GeoPoint(-10 + 20 * random.nextDouble(), 40 + 10 * random.nextDouble());
            zones.add(new CompiledZone(
                    UUID.randomUUID(),
                    tenant,
                    1,
                    "zone " + i,
                    List.of(),
                    new CircleShape(center, 100 + 900 * random.nextDouble()),
                    null,
                    new FenceSettings(0, 1, Duration.ZERO, null, null, null)));
        }
        return zones;
    }

    private static CompiledZone newVersion(CompiledZone zone) {
        return new CompiledZone(
                zone.id(),
                zone.tenantId(),
                zone.version() + 1,
                zone.name(),
                zone.tags(),
                zone.shape(),
                zone.schedule(),
                zone.settings());
    }
}
