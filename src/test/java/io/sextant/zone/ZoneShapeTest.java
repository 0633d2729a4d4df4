package io.sextant.zone;

import static io.sextant.zone.Shapes.box;
import static io.sextant.zone.Shapes.circle;
import static io.sextant.zone.Shapes.line;
import static io.sextant.zone.Shapes.multiPolygon;
import static io.sextant.zone.Shapes.polygon;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.within;

import io.sextant.shared.geo.BoundingBox;
import io.sextant.shared.geo.Geodesy;
import org.junit.jupiter.api.Test;

class ZoneShapeTest {

    /** A one-degree square at the equator with a 0.2-degree hole in its middle. */
    private final PolygonShape square = new PolygonShape(polygon(
            new double[] {0, 0, 1, 0, 1, 1, 0, 1, 0, 0},
            new double[] {0.4, 0.4, 0.4, 0.6, 0.6, 0.6, 0.6, 0.4, 0.4, 0.4}));

    @Test
    void a_polygon_contains_its_interior_and_boundary_but_not_its_hole() {
        assertThat(square.contains(0.2, 0.2)).isTrue();
        assertThat(square.contains(0, 0.5)).as("on the shell").isTrue();
        assertThat(square.contains(0.4, 0.5)).as("on the hole's edge").isTrue();
        assertThat(square.contains(0.5, 0.5)).as("in the hole").isFalse();
        assertThat(square.contains(1.0001, 0.5)).isFalse();
        assertThat(square.contains(-179, 0.5)).isFalse();
    }

    @Test
    void a_polygon_measures_the_distance_to_the_nearest_ring_inside_outside_and_in_the_hole() {
        assertThat(square.boundaryDistanceMeters(0.5, 0.5))
                .as("from the hole's middle to its edge")
                .isCloseTo(Geodesy.distanceMeters(0.5, 0.5, 0.4, 0.5), within(0.01));
        assertThat(square.boundaryDistanceMeters(0.1, 0.5))
                .as("inside, to the west edge")
                .isCloseTo(Geodesy.distanceMeters(0.1, 0.5, 0, 0.5), within(0.01));
        assertThat(square.boundaryDistanceMeters(2, 0.5))
                .as("outside, to the east edge")
                .isCloseTo(Geodesy.distanceMeters(2, 0.5, 1, 0.5), within(1.0));
        assertThat(square.boundaryDistanceMeters(1, 0.3)).isCloseTo(0, within(1e-6));
    }

    @Test
    void a_polygon_split_at_the_antimeridian_is_one_zone_with_two_boxes() {
        PolygonShape pacific = new PolygonShape(multiPolygon(box(170, -10, 180, 10), box(-180, -10, -170, 10)));

        assertThat(pacific.contains(175, 0)).isTrue();
        assertThat(pacific.contains(-175, 0)).isTrue();
        assertThat(pacific.contains(180, 5)).isTrue();
        assertThat(pacific.contains(-180, 5)).isTrue();
        assertThat(pacific.contains(169.9, 0)).isFalse();
        assertThat(pacific.contains(0, 0)).isFalse();
        assertThat(pacific.bounds())
                .containsExactly(new BoundingBox(170, -10, 180, 10), new BoundingBox(-180, -10, -170, 10));
        // The seam is inside the zone, not its boundary: the nearest edge is the western one, 9.9° away.
        assertThat(pacific.boundaryDistanceMeters(179.9, 0))
                .isCloseTo(Geodesy.distanceMeters(179.9, 0, 170, 0), within(1.0));
        assertThat(pacific.boundaryDistanceMeters(-179.9, 0))
                .isCloseTo(Geodesy.distanceMeters(-179.9, 0, -170, 0), within(1.0));
    }

    @Test
    void a_circle_across_the_antimeridian_holds_both_sides_and_has_two_boxes() {
        CircleShape circle = circle(179.9, 0, 50_000);

        assertThat(circle.contains(-179.8, 0)).isTrue();
        assertThat(circle.contains(180, 0)).isTrue();
        assertThat(circle.contains(-179.4, 0)).isFalse();
        assertThat(circle.bounds()).hasSize(2);
        assertThat(circle.bounds()).allMatch(box -> !box.crossesAntimeridian());
        assertThat(circle.bounds().stream().anyMatch(box -> box.contains(-179.8, 0)))
                .isTrue();
        assertThat(circle.boundaryDistanceMeters(179.9, 0)).isCloseTo(50_000, within(1e-6));
        assertThat(circle.boundaryDistanceMeters(-179.8, 0))
                .isCloseTo(50_000 - Geodesy.distanceMeters(179.9, 0, -179.8, 0), within(1e-6));
    }

    @Test
    void a_circle_near_the_pole_holds_the_pole_and_every_longitude_beyond_it() {
        CircleShape circle = circle(0, 89.9, 50_000);

        assertThat(circle.contains(0, 90)).isTrue();
        assertThat(circle.contains(180, 89.9)).as("22 km away across the pole").isTrue();
        assertThat(circle.contains(-123, 89.7)).isTrue();
        assertThat(circle.contains(180, 89.5)).isFalse();
        assertThat(circle.bounds())
                .containsExactly(
                        new BoundingBox(-180, circle.bounds().getFirst().south(), 180, 90));
    }

    @Test
    void a_corridor_holds_what_is_within_half_its_width_of_the_line() {
        CorridorShape corridor = new CorridorShape(line(0, 0, 1, 0), 200);

        assertThat(corridor.contains(0.5, 0.0008)).as("89 m north").isTrue();
        assertThat(corridor.contains(0.5, -0.0008)).isTrue();
        assertThat(corridor.contains(0.5, 0.001)).as("111 m north").isFalse();
        assertThat(corridor.contains(1.0005, 0)).as("56 m beyond its end").isTrue();
        assertThat(corridor.contains(1.001, 0)).isFalse();
        assertThat(corridor.boundaryDistanceMeters(0.5, 0)).isCloseTo(100, within(1e-6));
        assertThat(corridor.boundaryDistanceMeters(0.5, 0.001))
                .isCloseTo(Geodesy.distanceMeters(0.5, 0.001, 0.5, 0) - 100, within(0.01));
    }

    @Test
    void a_corridor_may_cross_the_antimeridian_the_short_way() {
        CorridorShape corridor = new CorridorShape(line(179.5, 0, -179.5, 0), 1000);

        assertThat(corridor.contains(180, 0)).isTrue();
        assertThat(corridor.contains(-179.9, 0.002)).isTrue();
        assertThat(corridor.contains(0, 0)).isFalse();
        assertThat(corridor.bounds()).hasSize(2);
        assertThat(corridor.distanceToLineMeters(-180, 0.004))
                .isCloseTo(Geodesy.distanceMeters(180, 0.004, 180, 0), within(0.01));
    }

    @Test
    void a_corridor_line_spanning_half_the_globe_or_a_single_point_is_refused() {
        assertThatIllegalArgumentException().isThrownBy(() -> new CorridorShape(line(0, 0, 100, 0, -170, 0), 10));
        assertThatIllegalArgumentException().isThrownBy(() -> new CorridorShape(line(5, 5, 5, 5), 10));
        assertThatIllegalArgumentException().isThrownBy(() -> new CorridorShape(line(5, 5, 6, 5), 0));
    }

    @Test
    void shapes_name_their_kind() {
        assertThat(square.kind()).isEqualTo("polygon");
        assertThat(circle(0, 0, 1).kind()).isEqualTo("circle");
        assertThat(new CorridorShape(line(0, 0, 1, 1), 1).kind()).isEqualTo("corridor");
    }
}
