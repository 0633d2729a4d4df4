package io.sextant.tracking.live;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sextant.shared.geo.BoundingBox;
import io.sextant.shared.geo.GeoArbitraries;
import io.sextant.shared.geo.GeoPoint;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import org.junit.jupiter.api.Test;
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.GeometryFactory;
import org.locationtech.jts.geom.LinearRing;
import org.locationtech.jts.geom.Polygon;

class LiveIndexTest {

    private static final GeometryFactory GEOMETRIES = new GeometryFactory();

    private final LiveIndex<String> index = new LiveIndex<>();

    private static boolean any(Object payload) {
        return true;
    }

    @Test
    void putting_an_id_again_moves_it_and_replaces_its_payload() {
        UUID truck = UUID.randomUUID();
        index.put(truck, 2.35, 48.85, "in Paris");
        index.put(truck, -0.13, 51.51, "in London");

        assertThat(index.size()).isEqualTo(1);
        assertThat(index.get(truck)).contains(new LivePosition<>(truck, -0.13, 51.51, "in London"));
        assertThat(index.withinRadius(new GeoPoint(2.35, 48.85), 50_000, LiveIndexTest::any, 10))
                .isEmpty();
        assertThat(index.withinRadius(new GeoPoint(-0.13, 51.51), 1, LiveIndexTest::any, 10))
                .extracting(NearbyPosition::payload)
                .containsExactly("in London");
    }

    @Test
    void an_update_sees_the_current_payload_and_declining_changes_nothing() {
        UUID truck = UUID.randomUUID();
        assertThat(index.update(truck, 2.35, 48.85, current -> null)).isFalse();
        assertThat(index.get(truck)).isEmpty();
        assertThat(index.update(truck, 2.35, 48.85, current -> current == null ? "first" : null))
                .isTrue();

        assertThat(index.update(truck, -0.13, 51.51, current -> current.equals("first") ? null : "other"))
                .isFalse();
        assertThat(index.get(truck)).contains(new LivePosition<>(truck, 2.35, 48.85, "first"));
        assertThat(index.update(truck, -0.13, 51.51, current -> current + ", then London"))
                .isTrue();
        assertThat(index.get(truck)).contains(new LivePosition<>(truck, -0.13, 51.51, "first, then London"));
        assertThat(index.size()).isEqualTo(1);
    }

    @Test
    void a_removed_entry_is_gone_and_removing_it_again_removes_nothing() {
        UUID truck = UUID.randomUUID();
        index.put(truck, 10, 10, "truck");

        assertThat(index.remove(truck)).isTrue();
        assertThat(index.remove(truck)).isFalse();
        assertThat(index.get(truck)).isEmpty();
        assertThat(index.size()).isZero();
        assertThat(index.withinBox(BoundingBox.WORLD, LiveIndexTest::any, 10)).isEmpty();
    }

    @Test
    void a_position_that_is_not_on_the_globe_is_rejected_and_changes_nothing() {
        UUID truck = UUID.randomUUID();
        index.put(truck, 10, 10, "truck");

        assertThatThrownBy(() -> index.put(truck, 10, 91, "lost")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> index.put(truck, Double.NaN, 0, "lost")).isInstanceOf(IllegalArgumentException.class);
        assertThat(index.get(truck)).map(LivePosition::payload).contains("truck");
    }

    @Test
    void entries_the_filter_rejects_do_not_take_the_place_of_farther_ones_it_accepts() {
        for (int i = 0; i < 100; i++) {
            index.put(UUID.randomUUID(), 0.0001 * i, 0, "hidden");
        }
        index.put(UUID.randomUUID(), 1, 0, "visible near");
        index.put(UUID.randomUUID(), 2, 0, "visible far");
        Predicate<String> visible = payload -> payload.startsWith("visible");

        assertThat(index.nearest(new GeoPoint(0, 0), 2, Double.POSITIVE_INFINITY, visible))
                .extracting(NearbyPosition::payload)
                .containsExactly("visible near", "visible far");
        assertThat(index.withinRadius(new GeoPoint(0, 0), 500_000, visible, 1))
                .extracting(NearbyPosition::payload)
                .containsExactly("visible near");
        assertThat(index.withinBox(new BoundingBox(-1, -1, 3, 1), visible, 2)).hasSize(2);
    }

    @Test
    void a_crowd_at_one_spot_larger_than_a_leaf_is_found_whole() {
        for (int i = 0; i < 1_000; i++) {
            index.put(UUID.randomUUID(), 13.404954, 52.520008, "parked");
        }
        assertThat(index.withinRadius(new GeoPoint(13.404954, 52.520008), 0, LiveIndexTest::any, Integer.MAX_VALUE))
                .hasSize(1_000);
        assertThat(index.nearest(new GeoPoint(13.4, 52.5), 1_001, Double.POSITIVE_INFINITY, LiveIndexTest::any))
                .hasSize(1_000);
    }

    @Test
    void a_circle_around_a_pole_finds_entries_on_every_side_of_it() {
        for (int lon = -180; lon < 180; lon += 30) {
            index.put(UUID.randomUUID(), lon, 89.99, "lon " + lon);
        }
        index.put(UUID.randomUUID(), 0, 89.9, "too far");

        assertThat(index.withinRadius(new GeoPoint(123, 90), 1_200, LiveIndexTest::any, 100))
                .hasSize(12);
        assertThat(index.nearest(new GeoPoint(-45, 89.999), 12, Double.POSITIVE_INFINITY, LiveIndexTest::any))
                .extracting(NearbyPosition::payload)
                .doesNotContain("too far");
    }

    @Test
    void the_edges_and_corners_of_an_area_and_of_its_holes_are_inside_it_and_a_hole_is_not() {
        Polygon shell = square(0, 0, 10);
        Polygon hole = square(4, 4, 2);
        Geometry area = GEOMETRIES.createPolygon(shell.getExteriorRing(), new LinearRing[] {hole.getExteriorRing()});
        index.put(UUID.randomUUID(), 0, 0, "shell corner");
        index.put(UUID.randomUUID(), 5, 0, "shell edge");
        index.put(UUID.randomUUID(), 4, 5, "hole edge");
        index.put(UUID.randomUUID(), 6, 6, "hole corner");
        index.put(UUID.randomUUID(), 2, 2, "inside");
        index.put(UUID.randomUUID(), 5, 5, "in the hole");
        index.put(UUID.randomUUID(), 10.000001, 5, "just outside");

        assertThat(index.withinGeometry(area, LiveIndexTest::any, 100))
                .extracting(LivePosition::payload)
                .containsExactlyInAnyOrder("shell corner", "shell edge", "hole edge", "hole corner", "inside");
    }

    @Test
    void an_entry_on_the_antimeridian_is_in_an_area_touching_it_from_either_side() {
        index.put(UUID.randomUUID(), 180, 5, "at +180");
        index.put(UUID.randomUUID(), -180, 6, "at -180");
        index.put(UUID.randomUUID(), 179.5, 5, "east of the line");

        assertThat(index.withinGeometry(square(-180, 0, 10), LiveIndexTest::any, 10))
                .extracting(LivePosition::payload)
                .containsExactlyInAnyOrder("at +180", "at -180");
        assertThat(index.withinGeometry(square(170, 0, 10), LiveIndexTest::any, 10))
                .extracting(LivePosition::payload)
                .containsExactlyInAnyOrder("at +180", "at -180", "east of the line");
        assertThat(index.withinBox(new BoundingBox(179, 0, -179, 10), LiveIndexTest::any, 10))
                .hasSize(3);
    }

    @Test
    void a_crowd_on_the_antimeridian_is_in_an_area_reaching_it_only_from_the_east() {
        for (int i = 0; i < 100; i++) {
            index.put(UUID.randomUUID(), 180, 5, "at +180");
        }
        // Filed at -180, where the area's western part does not reach: the crowd must still be found.
        Geometry area = GEOMETRIES.createMultiPolygon(new Polygon[] {square(170, 0, 10), square(-180, 40, 10)});

        assertThat(index.withinGeometry(area, LiveIndexTest::any, Integer.MAX_VALUE))
                .hasSize(100);
    }

    @Test
    void only_polygonal_areas_can_be_searched() {
        Geometry line = GEOMETRIES.createLineString(new Coordinate[] {new Coordinate(0, 0), new Coordinate(1, 1)});
        assertThatThrownBy(() -> index.withinGeometry(line, LiveIndexTest::any, 10))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("LineString");
    }

    @Test
    void negative_limits_and_distances_are_rejected_and_zero_limits_find_nothing() {
        index.put(UUID.randomUUID(), 0, 0, "here");
        GeoPoint here = new GeoPoint(0, 0);
        assertThatThrownBy(() -> index.withinBox(BoundingBox.WORLD, LiveIndexTest::any, -1))
                .hasMessageContaining("limit");
        assertThatThrownBy(() -> index.nearest(here, -1, 1, LiveIndexTest::any)).hasMessageContaining("k");
        assertThatThrownBy(() -> index.withinRadius(here, -1, LiveIndexTest::any, 1))
                .hasMessageContaining("distance");
        assertThatThrownBy(() -> index.nearest(here, 1, Double.NaN, LiveIndexTest::any))
                .hasMessageContaining("distance");
        assertThat(index.nearest(here, 0, 1, LiveIndexTest::any)).isEmpty();
        assertThat(index.withinBox(BoundingBox.WORLD, LiveIndexTest::any, 0)).isEmpty();
    }

    /** One step of a random history: put (at a crowded spot or anywhere) or remove, for one of a few ids. */
    record Step(boolean remove, int entry, GeoPoint position) {}

    @Property(tries = 200)
    void after_any_history_of_puts_and_removes_the_index_holds_what_a_map_holds(
            @ForAll("histories") List<Step> history) {
        LiveIndex<Integer> live = new LiveIndex<>();
        Map<UUID, GeoPoint> expected = new HashMap<>();
        for (Step step : history) {
            UUID id = Scene.idOf(step.entry());
            if (step.remove()) {
                assertThat(live.remove(id)).isEqualTo(expected.remove(id) != null);
            } else {
                live.put(id, step.position().lon(), step.position().lat(), step.entry());
                expected.put(id, step.position());
            }
        }

        assertThat(live.size()).isEqualTo(expected.size());
        for (int entry = 0; entry < 150; entry++) {
            UUID id = Scene.idOf(entry);
            GeoPoint at = expected.get(id);
            assertThat(live.get(id).map(p -> new GeoPoint(p.lon(), p.lat())).orElse(null))
                    .isEqualTo(at);
        }
        Map<UUID, GeoPoint> indexed = new HashMap<>();
        live.withinBox(BoundingBox.WORLD, payload -> true, Integer.MAX_VALUE)
                .forEach(p -> indexed.put(p.id(), new GeoPoint(p.lon(), p.lat())));
        assertThat(indexed).isEqualTo(expected);
        assertThat(live.nearest(new GeoPoint(0, 0), 1_000, Double.POSITIVE_INFINITY, payload -> true))
                .hasSize(expected.size());

        // Draining the index one entry at a time takes every crowded subtree back down through the merge size.
        for (UUID id : List.copyOf(expected.keySet())) {
            assertThat(live.remove(id)).isTrue();
            expected.remove(id);
            assertThat(live.withinBox(BoundingBox.WORLD, payload -> true, Integer.MAX_VALUE))
                    .extracting(LivePosition::id)
                    .containsExactlyInAnyOrderElementsOf(expected.keySet());
        }
        assertThat(live.size()).isZero();
    }

    @Provide
    Arbitrary<List<Step>> histories() {
        // Most positions fall in a few metres so that leaves split and, as entries leave, merge again.
        Arbitrary<GeoPoint> crowded = Combinators.combine(
                        Arbitraries.doubles().between(0, 0.0001).ofScale(9),
                        Arbitraries.doubles().between(0, 0.0001).ofScale(9))
                .as(GeoPoint::new);
        Arbitrary<GeoPoint> positions =
                Arbitraries.frequencyOf(Tuple.of(4, crowded), Tuple.of(1, GeoArbitraries.points()));
        Arbitrary<Step> steps = Combinators.combine(
                        Arbitraries.integers().between(0, 3).map(kind -> kind == 0),
                        Arbitraries.integers().between(0, 149),
                        positions)
                .as(Step::new);
        return steps.list().ofMaxSize(1_500);
    }

    private static Polygon square(double west, double south, double side) {
        return GEOMETRIES.createPolygon(new Coordinate[] {
            new Coordinate(west, south),
            new Coordinate(west + side, south),
            new Coordinate(west + side, south + side),
            new Coordinate(west, south + side),
            new Coordinate(west, south)
        });
    }
}
