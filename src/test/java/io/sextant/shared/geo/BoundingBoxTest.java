package io.sextant.shared.geo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.DoubleRange;
import org.junit.jupiter.api.Test;

class BoundingBoxTest {

    private static final double R = Geodesy.EARTH_RADIUS_METERS;

    @Property(tries = 3000)
    void the_box_around_a_circle_contains_every_point_of_the_circle(
            @ForAll("points") GeoPoint center,
            @ForAll("radii") double radius,
            @ForAll @DoubleRange(min = 0, max = 360) double bearing,
            @ForAll("fractions") double fraction,
            @ForAll("points") GeoPoint anywhere) {
        BoundingBox box = BoundingBox.around(center, radius);
        GeoPoint onPath = Geodesy.destination(center, bearing, fraction * radius);
        for (GeoPoint point : new GeoPoint[] {onPath, anywhere}) {
            if (Geodesy.distanceMeters(center, point) <= radius) {
                assertThat(box.contains(point))
                        .as("%s within %s m of %s", point, radius, center)
                        .isTrue();
            }
        }
    }

    @Property(tries = 300)
    void the_box_around_a_circle_away_from_the_poles_is_no_larger_than_the_circle(
            @ForAll("points") GeoPoint center, @ForAll @DoubleRange(min = 0, max = 3_000_000) double radius) {
        double angle = Math.toDegrees(radius / R);
        Assume.that(Math.abs(center.lat()) + angle < 89.9);
        BoundingBox box = BoundingBox.around(center, radius);

        // The box may exceed the circle by its rounding margin of well under a metre, but not by more.
        double grownAngle = Math.toDegrees((radius + 1) / R);
        assertThat(box.north()).isBetween(center.lat() + angle, center.lat() + grownAngle);
        assertThat(box.south()).isBetween(center.lat() - grownAngle, center.lat() - angle);
        double halfWidth = Math.abs(Geodesy.normalizeLongitude(box.east() - center.lon()));
        assertThat(halfWidth).isGreaterThanOrEqualTo(widestLongitudeOffset(center, radius));
        assertThat(halfWidth).isLessThanOrEqualTo(widestLongitudeOffset(center, radius + 1) * 1.0001);
    }

    private static double widestLongitudeOffset(GeoPoint center, double radius) {
        double widest = 0;
        for (int tenth = 0; tenth < 3600; tenth++) {
            GeoPoint onCircle = Geodesy.destination(center, tenth / 10.0, radius);
            widest = Math.max(widest, Math.abs(Geodesy.normalizeLongitude(onCircle.lon() - center.lon())));
        }
        return widest;
    }

    @Property(tries = 500)
    void a_circle_containing_a_pole_gets_a_box_spanning_all_longitudes_up_to_that_pole(
            @ForAll("polarPoints") GeoPoint center,
            @ForAll @DoubleRange(min = 0, max = 1_000_000) double beyondThePole) {
        double pole = center.lat() >= 0 ? 90 : -90;
        // Reaching the pole by construction: assuming it of a random radius rejected so many tries
        // (jqwik's doubles favour small values) that the property was sometimes exhausted.
        double radius = Geodesy.distanceMeters(center.lon(), center.lat(), 0, pole) + beyondThePole;
        BoundingBox box = BoundingBox.around(center, radius);
        assertThat(box.west()).isEqualTo(-180);
        assertThat(box.east()).isEqualTo(180);
        assertThat(pole > 0 ? box.north() : box.south()).isEqualTo(pole);
    }

    @Test
    void a_small_circle_at_the_north_pole_covers_every_longitude_down_to_its_radius() {
        BoundingBox box = BoundingBox.around(new GeoPoint(17, 90), 1_000);
        assertThat(box.west()).isEqualTo(-180);
        assertThat(box.east()).isEqualTo(180);
        assertThat(box.north()).isEqualTo(90);
        // The box is widened by a rounding margin of well under a metre.
        assertThat(box.south()).isBetween(90 - Math.toDegrees(1_001 / R), 90 - Math.toDegrees(1_000 / R));
    }

    @Test
    void a_circle_near_but_clear_of_a_pole_keeps_a_bounded_longitude_span() {
        // 200 km around a point 111 km from the pole reaches it; 100 km around a point 1,100 km away does not.
        assertThat(BoundingBox.around(new GeoPoint(0, 89), 200_000).east()).isEqualTo(180);
        BoundingBox clear = BoundingBox.around(new GeoPoint(0, 80), 100_000);
        assertThat(clear.north()).isLessThan(90);
        assertThat(clear.east()).isCloseTo(5.18, within(0.01));
        assertThat(clear.west()).isCloseTo(-5.18, within(0.01));
    }

    @Test
    void a_circle_on_the_antimeridian_gets_a_box_crossing_it() {
        BoundingBox box = BoundingBox.around(new GeoPoint(179.9, 0), 50_000);
        assertThat(box.crossesAntimeridian()).isTrue();
        assertThat(box.contains(-179.9, 0)).isTrue();
        assertThat(box.contains(179.6, 0)).isTrue();
        assertThat(box.contains(0, 0)).isFalse();
        BoundingBox west = BoundingBox.around(new GeoPoint(-180, 10), 10_000);
        assertThat(west.crossesAntimeridian()).isTrue();
        assertThat(west.contains(180, 10)).isTrue();
    }

    @Test
    void a_radius_reaching_round_the_globe_gets_the_whole_world() {
        assertThat(BoundingBox.around(new GeoPoint(3, 4), Geodesy.MAX_DISTANCE_METERS))
                .isEqualTo(BoundingBox.WORLD);
        assertThat(BoundingBox.around(new GeoPoint(3, 4), Double.POSITIVE_INFINITY))
                .isEqualTo(BoundingBox.WORLD);
    }

    @Test
    void a_negative_or_undefined_radius_is_rejected() {
        assertThatThrownBy(() -> BoundingBox.around(new GeoPoint(0, 0), -1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("radius");
        assertThatThrownBy(() -> BoundingBox.around(new GeoPoint(0, 0), Double.NaN))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void both_spellings_of_the_antimeridian_are_inside_a_box_touching_either() {
        assertThat(new BoundingBox(170, 0, 180, 10).contains(-180, 5)).isTrue();
        assertThat(new BoundingBox(-180, 0, -170, 10).contains(180, 5)).isTrue();
        BoundingBox crossing = new BoundingBox(170, 0, -170, 10);
        assertThat(crossing.contains(180, 5)).isTrue();
        assertThat(crossing.contains(-180, 5)).isTrue();
        assertThat(crossing.contains(175, 5)).isTrue();
        assertThat(crossing.contains(-175, 10)).isTrue();
        assertThat(crossing.contains(0, 5)).isFalse();
        assertThat(crossing.contains(175, 10.000001)).isFalse();
    }

    @Test
    void a_box_with_inverted_latitudes_or_out_of_range_edges_is_rejected() {
        assertThatThrownBy(() -> new BoundingBox(0, 10, 1, 5)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new BoundingBox(-181, 0, 1, 5)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new BoundingBox(0, -91, 1, 5)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new BoundingBox(0, 0, Double.NaN, 5)).isInstanceOf(IllegalArgumentException.class);
    }

    @Provide
    Arbitrary<GeoPoint> points() {
        return GeoArbitraries.points();
    }

    @Provide
    Arbitrary<GeoPoint> polarPoints() {
        return Combinators.combine(
                        GeoArbitraries.longitudes(),
                        Arbitraries.oneOf(
                                Arbitraries.doubles().between(80, 90).ofScale(9),
                                Arbitraries.doubles().between(-90, -80).ofScale(9)))
                .as(GeoPoint::new);
    }

    @Provide
    Arbitrary<Double> radii() {
        return GeoArbitraries.radiiMeters();
    }

    @Provide
    Arbitrary<Double> fractions() {
        return Arbitraries.oneOf(Arbitraries.doubles().between(0, 1).ofScale(9), Arbitraries.of(1.0, 0.999999999));
    }
}
