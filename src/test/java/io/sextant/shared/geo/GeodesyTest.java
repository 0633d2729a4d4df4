package io.sextant.shared.geo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.assertj.core.api.Assertions.withinPercentage;

import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.DoubleRange;
import org.junit.jupiter.api.Test;

class GeodesyTest {

    private static final double R = Geodesy.EARTH_RADIUS_METERS;

    @Test
    void paris_to_london_is_about_343_and_a_half_kilometres() {
        GeoPoint paris = new GeoPoint(2.3522, 48.8566);
        GeoPoint london = new GeoPoint(-0.1276, 51.5072);
        assertThat(Geodesy.distanceMeters(paris, london)).isCloseTo(343_500, withinPercentage(0.5));
    }

    @Test
    void a_quarter_meridian_and_half_the_equator_have_their_exact_spherical_lengths() {
        assertThat(Geodesy.distanceMeters(10, 0, 10, 90)).isCloseTo(Math.PI / 2 * R, within(1e-6));
        assertThat(Geodesy.distanceMeters(-90, 0, 90, 0)).isCloseTo(Math.PI * R, within(1e-6));
        assertThat(Geodesy.distanceMeters(0, 90, 0, -90)).isCloseTo(Geodesy.MAX_DISTANCE_METERS, within(1e-6));
    }

    @Test
    void distances_are_measured_the_short_way_across_the_antimeridian() {
        assertThat(Geodesy.distanceMeters(179.5, 0, -179.5, 0)).isCloseTo(Math.PI / 180 * R, within(1e-6));
        assertThat(Geodesy.distanceMeters(180, 45, -180, 45)).isCloseTo(0, within(1e-6));
    }

    @Test
    void all_longitudes_at_a_pole_are_the_same_place() {
        assertThat(Geodesy.distanceMeters(-120, 90, 45, 90)).isCloseTo(0, within(1e-6));
    }

    @Property
    void travelling_a_distance_from_a_point_ends_that_far_from_it(
            @ForAll("points") GeoPoint from,
            @ForAll @DoubleRange(min = 0, max = 360) double bearing,
            @ForAll @DoubleRange(min = 0, max = 19_900_000) double meters) {
        GeoPoint to = Geodesy.destination(from, bearing, meters);
        assertThat(Geodesy.distanceMeters(from, to)).isCloseTo(meters, within(1e-6));
    }

    @Test
    void travelling_north_along_a_meridian_changes_only_the_latitude() {
        GeoPoint to = Geodesy.destination(new GeoPoint(30, 10), 0, Math.PI / 180 * R);
        assertThat(to.lon()).isCloseTo(30, within(1e-9));
        assertThat(to.lat()).isCloseTo(11, within(1e-9));
    }

    @Test
    void travelling_east_from_the_antimeridian_wraps_to_negative_longitudes() {
        GeoPoint to = Geodesy.destination(new GeoPoint(179.5, 0), 90, Math.PI / 180 * R);
        assertThat(to.lon()).isCloseTo(-179.5, within(1e-9));
        assertThat(to.lat()).isCloseTo(0, within(1e-9));
    }

    @Property
    void normalising_a_longitude_keeps_its_meridian_and_brings_it_into_range(
            @ForAll @DoubleRange(min = -10_000, max = 10_000) double lon) {
        double normalized = Geodesy.normalizeLongitude(lon);
        assertThat(normalized).isBetween(-180.0, 180.0);
        double turns = (lon - normalized) / 360;
        assertThat(turns).isCloseTo(Math.rint(turns), within(1e-9));
        if (lon >= -180 && lon <= 180) {
            assertThat(normalized).isEqualTo(lon);
        }
    }

    @Test
    void a_non_finite_longitude_cannot_be_normalised() {
        assertThatThrownBy(() -> Geodesy.normalizeLongitude(Double.NaN)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Geodesy.normalizeLongitude(Double.POSITIVE_INFINITY))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Property(tries = 300)
    void the_distance_to_a_box_is_the_least_distance_to_any_of_its_points(
            @ForAll("points") GeoPoint point,
            @ForAll("longitudes") double west,
            @ForAll @DoubleRange(min = 0, max = 60) double width,
            @ForAll("latitudes") double south,
            @ForAll @DoubleRange(min = 0, max = 40) double height) {
        double east = Geodesy.normalizeLongitude(west + width);
        double north = Math.min(90, south + height);
        double distance = Geodesy.distanceToBoxMeters(point.lon(), point.lat(), west, south, east, north);

        int steps = 60;
        double lonStep = width / steps;
        double latStep = (north - south) / steps;
        double nearestSample = Double.POSITIVE_INFINITY;
        for (int i = 0; i <= steps; i++) {
            for (int j = 0; j <= steps; j++) {
                double lon = Geodesy.normalizeLongitude(west + i * lonStep);
                double lat = Math.min(north, south + j * latStep);
                double sample = Geodesy.distanceMeters(point.lon(), point.lat(), lon, lat);
                assertThat(sample).isGreaterThanOrEqualTo(distance - 1e-6);
                nearestSample = Math.min(nearestSample, sample);
            }
        }
        // Every point of the box is within half a grid diagonal of a sample, which bounds how far below the nearest
        // sample the true least distance can be.
        double halfDiagonal = Math.toRadians(lonStep + latStep) / 2 * R;
        assertThat(distance).isGreaterThanOrEqualTo(nearestSample - halfDiagonal - 1e-6);
    }

    @Test
    void the_distance_to_a_box_seen_across_a_pole_is_measured_over_the_pole() {
        // From longitude 180 the nearest part of the box [0, 10] x [80, 85] is its north-east corner, over the pole.
        double expected = Geodesy.distanceMeters(180, 85, 10, 85);
        assertThat(Geodesy.distanceToBoxMeters(180, 85, 0, 80, 10, 85)).isCloseTo(expected, within(1e-6));
        assertThat(expected).isLessThan(Math.toRadians(10) * R);
    }

    @Test
    void the_distance_to_a_box_that_contains_the_point_is_zero() {
        assertThat(Geodesy.distanceToBoxMeters(-179.5, 3, 170, 0, -170, 10)).isZero();
        assertThat(Geodesy.distanceToBoxMeters(180, 3, -180, 0, -170, 10)).isZero();
    }

    @Provide
    Arbitrary<GeoPoint> points() {
        return GeoArbitraries.points();
    }

    @Provide
    Arbitrary<Double> longitudes() {
        return GeoArbitraries.longitudes();
    }

    @Provide
    Arbitrary<Double> latitudes() {
        return GeoArbitraries.latitudes();
    }
}
