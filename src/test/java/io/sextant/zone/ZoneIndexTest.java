package io.sextant.zone;

import static org.assertj.core.api.Assertions.assertThat;

import io.sextant.shared.geo.GeoArbitraries;
import io.sextant.shared.geo.GeoPoint;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.locationtech.jts.geom.Polygon;

class ZoneIndexTest {

    private static final UUID TENANT = UUID.randomUUID();

    @Property(tries = 200)
    void candidates_are_exactly_the_zones_whose_grown_bounds_hold_the_point_and_include_every_containing_zone(
            @ForAll("zoneSets") List<CompiledZone> zones, @ForAll("points") List<GeoPoint> points) {
        ZoneIndex index = ZoneIndex.of(zones);
        List<GeoPoint> probes = new ArrayList<>(points);
        // Points in and near the zones, where the interesting answers are.
        for (CompiledZone zone : zones) {
            var box = zone.shape().bounds().getFirst();
            probes.add(new GeoPoint((box.west() + box.east()) / 2, (box.south() + box.north()) / 2));
            probes.add(new GeoPoint(box.west(), box.north()));
            probes.add(new GeoPoint(box.east(), box.south()));
        }

        for (GeoPoint p : probes) {
            List<CompiledZone> found = new ArrayList<>();
            index.candidates(p.lon(), p.lat(), found::add);

            Set<CompiledZone> byBoxes = new HashSet<>();
            Set<CompiledZone> containing = new HashSet<>();
            for (CompiledZone zone : zones) {
                if (ZoneIndex.searchBounds(zone).stream().anyMatch(box -> box.contains(p))) {
                    byBoxes.add(zone);
                }
                if (zone.shape().contains(p.lon(), p.lat())) {
                    containing.add(zone);
                }
            }
            assertThat(found).as("candidates of %s", p).doesNotHaveDuplicates();
            assertThat(new HashSet<>(found)).as("candidates of %s", p).isEqualTo(byBoxes);
            assertThat(found).as("candidates of %s", p).containsAll(containing);
        }
    }

    /** One change to a tenant's zones: 0 a new zone, 1 a new version of one, 2 one deleted, 3 an unknown one deleted. */
    record Change(int kind, int pick, CompiledZone zone) {}

    @Property(tries = 60)
    void an_index_changed_zone_by_zone_answers_as_one_packed_from_its_zones(
            @ForAll("zoneSets") List<CompiledZone> initial,
            @ForAll("changeLists") List<Change> changes,
            @ForAll("points") List<GeoPoint> points) {
        ZoneIndex index = ZoneIndex.of(initial);
        Map<UUID, CompiledZone> zones = new LinkedHashMap<>();
        initial.forEach(zone -> zones.put(zone.id(), zone));
        Set<UUID> gone = new HashSet<>();
        for (int i = 0; i < changes.size(); i++) {
            Change change = changes.get(i);
            List<UUID> ids = new ArrayList<>(zones.keySet());
            UUID picked = ids.isEmpty() ? null : ids.get(change.pick() % ids.size());
            switch (change.kind()) {
                case 0 -> {
                    index = index.with(change.zone());
                    zones.put(change.zone().id(), change.zone());
                }
                case 1 -> {
                    if (picked != null) {
                        CompiledZone next = new CompiledZone(
                                picked,
                                TENANT,
                                zones.get(picked).version() + 1,
                                "zone",
                                List.of(),
                                change.zone().shape(),
                                null,
                                change.zone().settings());
                        index = index.with(next);
                        zones.put(picked, next);
                    }
                }
                case 2 -> {
                    if (picked != null) {
                        index = index.without(picked);
                        zones.remove(picked);
                        gone.add(picked);
                    }
                }
                default -> assertThat(index.without(UUID.randomUUID())).isSameAs(index);
            }
            if (i % 10 == 9 || i == changes.size() - 1) {
                assertAnswersAsPacked(index, zones, gone, points);
            }
        }
    }

    @Test
    void changes_are_held_apart_until_more_than_the_most_recent_have_gathered_then_packed() {
        List<CompiledZone> initial = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            initial.add(zone(Shapes.circle(i * 0.1, 0, 100), 0));
        }
        ZoneIndex index = ZoneIndex.of(initial);
        assertThat(index.isPacked()).isTrue();

        for (int i = 0; i < ZoneIndex.MOST_RECENT; i++) {
            index = i % 2 == 0
                    ? index.with(zone(Shapes.circle(i * 0.1, 1, 100), 0))
                    : index.without(initial.get(i).id());
            assertThat(index.isPacked()).as("after %d changes", i + 1).isFalse();
        }
        ZoneIndex beforePacking = index;
        index = index.with(zone(Shapes.circle(0, 2, 100), 0));

        assertThat(index.isPacked()).isTrue();
        // Half the changes added a zone, half took one away, and the last added one.
        assertThat(index.size()).isEqualTo(101);
        assertThat(beforePacking.packed().isPacked()).isTrue();
        assertThat(beforePacking.packed().zones()).containsExactlyInAnyOrderElementsOf(beforePacking.zones());
        assertThat(index.packed()).isSameAs(index);
    }

    private static void assertAnswersAsPacked(
            ZoneIndex index, Map<UUID, CompiledZone> zones, Set<UUID> gone, List<GeoPoint> points) {
        ZoneIndex packed = ZoneIndex.of(zones.values());
        assertThat(index.size()).isEqualTo(zones.size());
        assertThat(index.zones()).containsExactlyInAnyOrderElementsOf(zones.values());
        zones.forEach((id, zone) -> assertThat(index.get(id)).contains(zone));
        gone.stream()
                .filter(id -> !zones.containsKey(id))
                .forEach(id -> assertThat(index.get(id)).isEmpty());
        List<GeoPoint> probes = new ArrayList<>(points);
        for (CompiledZone zone : zones.values()) {
            var box = zone.shape().bounds().getFirst();
            probes.add(new GeoPoint((box.west() + box.east()) / 2, (box.south() + box.north()) / 2));
            probes.add(new GeoPoint(box.east(), box.north()));
        }
        for (GeoPoint p : probes) {
            List<CompiledZone> found = new ArrayList<>();
            index.candidates(p.lon(), p.lat(), found::add);
            List<CompiledZone> expected = new ArrayList<>();
            packed.candidates(p.lon(), p.lat(), expected::add);
            assertThat(found).as("candidates of %s", p).doesNotHaveDuplicates();
            assertThat(found).as("candidates of %s", p).containsExactlyInAnyOrderElementsOf(expected);
        }
    }

    @Test
    void a_zone_split_at_the_antimeridian_is_found_once_on_either_side_and_on_the_seam() {
        CompiledZone pacific = zone(
                new PolygonShape(Shapes.multiPolygon(Shapes.box(170, -10, 180, 10), Shapes.box(-180, -10, -170, 10))),
                0);
        CompiledZone world = zone(new PolygonShape(Shapes.box(-180, -1, 180, 1)), 0);
        ZoneIndex index = ZoneIndex.of(List.of(pacific, world));

        for (double lon : new double[] {175, -175, 180, -180}) {
            List<CompiledZone> found = new ArrayList<>();
            index.candidates(lon, 0, found::add);
            assertThat(found).as("at %s", lon).containsExactlyInAnyOrder(pacific, world);
        }
    }

    @Test
    void the_margin_grows_the_area_a_zone_is_found_in() {
        CompiledZone plain = zone(Shapes.circle(10, 50, 100), 0);
        CompiledZone margined = zone(Shapes.circle(10, 50, 100), 1000);
        ZoneIndex index = ZoneIndex.of(List.of(plain, margined));
        // 500 m north of the circles' edge.
        double lat = 50 + 600 / 111_195.0;

        List<CompiledZone> found = new ArrayList<>();
        index.candidates(10, lat, found::add);

        assertThat(found).containsExactly(margined);
        assertThat(index.size()).isEqualTo(2);
        assertThat(index.get(margined.id())).contains(margined);
        assertThat(index.get(UUID.randomUUID())).isEmpty();
        assertThat(ZoneIndex.empty().size()).isZero();
    }

    @Provide
    Arbitrary<List<CompiledZone>> zoneSets() {
        Arbitrary<Double> margins = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(2, Arbitraries.just(0.0)),
                net.jqwik.api.Tuple.of(1, Arbitraries.doubles().between(0, 1000)));
        Arbitrary<ZoneShape> shapes = Arbitraries.oneOf(circles(), boxes(), corridors());
        return Combinators.combine(shapes, margins)
                .as(ZoneIndexTest::zone)
                .list()
                .ofMinSize(1)
                .ofMaxSize(30);
    }

    @Provide
    Arbitrary<List<Change>> changeLists() {
        Arbitrary<Integer> kinds = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(3, Arbitraries.just(0)),
                net.jqwik.api.Tuple.of(3, Arbitraries.just(1)),
                net.jqwik.api.Tuple.of(2, Arbitraries.just(2)),
                net.jqwik.api.Tuple.of(1, Arbitraries.just(3)));
        Arbitrary<CompiledZone> zones = Combinators.combine(
                        Arbitraries.oneOf(circles(), boxes(), corridors()),
                        Arbitraries.doubles().between(0, 1000))
                .as(ZoneIndexTest::zone);
        return Combinators.combine(kinds, Arbitraries.integers().between(0, 1000), zones)
                .as(Change::new)
                .list()
                .ofMaxSize(150);
    }

    @Provide
    Arbitrary<List<GeoPoint>> points() {
        return GeoArbitraries.points().list().ofMaxSize(20);
    }

    private static Arbitrary<ZoneShape> circles() {
        return Combinators.combine(
                        GeoArbitraries.points(), Arbitraries.doubles().between(1, 300_000))
                .as(CircleShape::new);
    }

    /** Longitude/latitude boxes up to 30 degrees wide, split into a MultiPolygon across the antimeridian. */
    private static Arbitrary<ZoneShape> boxes() {
        return Combinators.combine(
                        GeoArbitraries.longitudes(),
                        Arbitraries.doubles().between(-89, 85),
                        Arbitraries.doubles().between(0.001, 30).ofScale(6),
                        Arbitraries.doubles().between(0.001, 5).ofScale(6))
                .as((west, south, width, height) -> {
                    double north = Math.min(90, south + height);
                    double east = west + width;
                    if (east <= 180) {
                        return new PolygonShape(Shapes.box(west, south, east, north));
                    }
                    Polygon westPart = Shapes.box(west, south, 180, north);
                    Polygon eastPart = Shapes.box(-180, south, east - 360, north);
                    return west == 180
                            ? new PolygonShape(eastPart)
                            : new PolygonShape(Shapes.multiPolygon(westPart, eastPart));
                });
    }

    private static Arbitrary<ZoneShape> corridors() {
        return Combinators.combine(
                        GeoArbitraries.longitudes(),
                        Arbitraries.doubles().between(-80, 80),
                        Arbitraries.doubles().between(-2, 2),
                        Arbitraries.doubles().between(-2, 2),
                        Arbitraries.doubles().between(1, 10_000))
                .as((lon, lat, dLon, dLat, width) -> new CorridorShape(
                        Shapes.line(lon, lat, wrap(lon + dLon), lat + dLat, wrap(lon + dLon / 2), lat + 0.5), width));
    }

    private static double wrap(double lon) {
        return lon > 180 ? lon - 360 : lon < -180 ? lon + 360 : lon;
    }

    private static CompiledZone zone(ZoneShape shape, double margin) {
        return new CompiledZone(
                UUID.randomUUID(),
                TENANT,
                1,
                "zone",
                List.of(),
                shape,
                null,
                new FenceSettings(margin, 1, Duration.ZERO, null, null, null));
    }
}
