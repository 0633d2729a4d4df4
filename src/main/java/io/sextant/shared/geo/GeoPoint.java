package io.sextant.shared.geo;

/**
 * A position on the Earth in WGS 84 degrees, longitude first as in GeoJSON.
 *
 * <p>Longitudes {@code -180} and {@code 180} name the same meridian; both are accepted so that callers need not
 * normalise what devices report.
 */
public record GeoPoint(double lon, double lat) {

    public GeoPoint {
        requireValid(lon, lat);
    }

    /**
     * Checks a coordinate pair without creating a point, for code that keeps coordinates as primitives.
     *
     * @throws IllegalArgumentException if the longitude is not a finite number in [-180, 180] or the latitude is not
     *     a finite number in [-90, 90]
     */
    public static void requireValid(double lon, double lat) {
        // The negated comparisons also reject NaN, which fails every comparison.
        if (!(lon >= -180 && lon <= 180)) {
            throw new IllegalArgumentException("longitude must be a finite number in [-180, 180], was " + lon);
        }
        if (!(lat >= -90 && lat <= 90)) {
            throw new IllegalArgumentException("latitude must be a finite number in [-90, 90], was " + lat);
        }
    }
}
