package io.sextant.shared.geo;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;
import net.jqwik.api.Tuple.Tuple2;

/**
 * Generators of coordinates that favour the places where spherical code breaks: the antimeridian, the poles and the
 * exact values on them, besides anywhere on the globe.
 */
public final class GeoArbitraries {

    private GeoArbitraries() {}

    public static Arbitrary<Double> longitudes() {
        return Arbitraries.frequencyOf(List.of(
                weighted(5, Arbitraries.doubles().between(-180, 180).ofScale(9)),
                weighted(2, Arbitraries.doubles().between(179, 180).ofScale(9)),
                weighted(2, Arbitraries.doubles().between(-180, -179).ofScale(9)),
                weighted(1, Arbitraries.of(-180.0, 180.0, 0.0, 179.9999999, -179.9999999))));
    }

    public static Arbitrary<Double> latitudes() {
        return Arbitraries.frequencyOf(List.of(
                weighted(5, Arbitraries.doubles().between(-90, 90).ofScale(9)),
                weighted(2, Arbitraries.doubles().between(85, 90).ofScale(9)),
                weighted(2, Arbitraries.doubles().between(-90, -85).ofScale(9)),
                weighted(1, Arbitraries.of(-90.0, 90.0, 0.0, 89.9999999, -89.9999999))));
    }

    public static Arbitrary<GeoPoint> points() {
        return Combinators.combine(longitudes(), latitudes()).as(GeoPoint::new);
    }

    /** Radii from zero through city and continent scale to more than half the globe's circumference. */
    public static Arbitrary<Double> radiiMeters() {
        return Arbitraries.frequencyOf(List.of(
                weighted(3, Arbitraries.doubles().between(0, 10_000).ofScale(9)),
                weighted(3, Arbitraries.doubles().between(10_000, 2_000_000).ofScale(9)),
                weighted(2, Arbitraries.doubles().between(2_000_000, 21_000_000).ofScale(9)),
                weighted(1, Arbitraries.of(0.0, Geodesy.MAX_DISTANCE_METERS))));
    }

    private static <T> Tuple2<Integer, Arbitrary<T>> weighted(int weight, Arbitrary<T> arbitrary) {
        return Tuple.of(weight, arbitrary);
    }
}
