package io.sextant.shared.geo;

/**
 * Great-circle geometry on a sphere.
 *
 * <p>The Earth is modelled as a sphere of radius {@value #EARTH_RADIUS_METERS} m, the IUGG mean radius R1 = (2a + b) / 3
 * of the WGS 84 ellipsoid. Against the ellipsoid its distances are off by at most about 0.5 %, which is far below what
 * "what is near here" questions care about, and in exchange every formula here is closed-form, fast and exactly
 * reproducible: a spatial index and a brute-force scan calling {@link #distanceMeters} on the same numbers agree to
 * the last bit.
 */
public final class Geodesy {

    /** Mean Earth radius R1 of WGS 84, in metres. */
    public static final double EARTH_RADIUS_METERS = 6_371_008.8;

    /** Half the circumference of the sphere: no two points are farther apart. */
    public static final double MAX_DISTANCE_METERS = Math.PI * EARTH_RADIUS_METERS;

    private Geodesy() {}

    /** Great-circle distance between two points, in metres. */
    public static double distanceMeters(GeoPoint from, GeoPoint to) {
        return distanceMeters(from.lon(), from.lat(), to.lon(), to.lat());
    }

    /**
     * Great-circle distance between two points given in degrees, in metres, by the haversine formula.
     *
     * <p>The haversine is well conditioned for short distances, where precision matters most; its rounding error grows
     * towards antipodal points but stays below 0.3 m there.
     */
    public static double distanceMeters(double fromLon, double fromLat, double toLon, double toLat) {
        double fromPhi = Math.toRadians(fromLat);
        double toPhi = Math.toRadians(toLat);
        double sinHalfDeltaPhi = Math.sin((toPhi - fromPhi) / 2);
        double sinHalfDeltaLambda = Math.sin(Math.toRadians(toLon - fromLon) / 2);
        double haversine = sinHalfDeltaPhi * sinHalfDeltaPhi
                + Math.cos(fromPhi) * Math.cos(toPhi) * sinHalfDeltaLambda * sinHalfDeltaLambda;
        return 2 * EARTH_RADIUS_METERS * Math.asin(Math.min(1, Math.sqrt(haversine)));
    }

    /**
     * The point reached by travelling along a great circle from a start point.
     *
     * <p>Computed with unit vectors rather than the textbook {@code asin} formula, which loses centimetres near the
     * poles where its argument approaches 1.
     *
     * @param bearingDegrees initial bearing, clockwise from true north (at a pole: from the meridian of the start's
     *     longitude)
     * @param meters distance to travel; may exceed half the circumference, the path then continues round the globe
     */
    public static GeoPoint destination(GeoPoint from, double bearingDegrees, double meters) {
        double phi = Math.toRadians(from.lat());
        double lambda = Math.toRadians(from.lon());
        double angle = meters / EARTH_RADIUS_METERS;
        double bearing = Math.toRadians(bearingDegrees);
        double cosPhi = Math.cos(phi);
        double sinPhi = Math.sin(phi);
        double cosLambda = Math.cos(lambda);
        double sinLambda = Math.sin(lambda);
        // Start, local north and local east as unit vectors; the destination is start·cos(angle) + heading·sin(angle).
        double northward = Math.cos(bearing) * Math.sin(angle);
        double eastward = Math.sin(bearing) * Math.sin(angle);
        double cosAngle = Math.cos(angle);
        double x = cosPhi * cosLambda * cosAngle - sinPhi * cosLambda * northward - sinLambda * eastward;
        double y = cosPhi * sinLambda * cosAngle - sinPhi * sinLambda * northward + cosLambda * eastward;
        double z = sinPhi * cosAngle + cosPhi * northward;
        double lat = Math.clamp(Math.toDegrees(Math.atan2(z, Math.hypot(x, y))), -90.0, 90.0);
        double lon = Math.clamp(Math.toDegrees(Math.atan2(y, x)), -180.0, 180.0);
        return new GeoPoint(lon, lat);
    }

    /**
     * Brings a longitude into [-180, 180]. Values already in that range come back unchanged (so {@code 180} stays
     * {@code 180}); others are wrapped into [-180, 180).
     *
     * @throws IllegalArgumentException if the longitude is not finite
     */
    public static double normalizeLongitude(double lon) {
        if (lon >= -180 && lon <= 180) {
            return lon;
        }
        if (!Double.isFinite(lon)) {
            throw new IllegalArgumentException("longitude must be finite, was " + lon);
        }
        double shifted = (lon + 180) % 360;
        if (shifted < 0) {
            shifted += 360;
        }
        return shifted - 180;
    }

    /**
     * The smallest great-circle distance, in metres, from a point to any point of a longitude/latitude box (zero if
     * the box contains the point). The box may cross the antimeridian ({@code west > east}).
     *
     * <p>On each parallel the distance grows with the longitude difference, so the nearest point of the box lies on
     * its edge meridian nearest in longitude, or straight north or south when the point's longitude is inside the box.
     * Along a meridian the distance has a single minimum, found in closed form; the box's corners are the only other
     * candidates.
     */
    public static double distanceToBoxMeters(
            double lon, double lat, double west, double south, double east, double north) {
        if (longitudeWithin(lon, west, east)) {
            if (lat >= south && lat <= north) {
                return 0;
            }
            return distanceMeters(lon, lat, lon, Math.clamp(lat, south, north));
        }
        double edgeLon = longitudeGap(lon, west) <= longitudeGap(lon, east) ? west : east;
        double nearest = Math.min(distanceMeters(lon, lat, edgeLon, south), distanceMeters(lon, lat, edgeLon, north));
        double phi = Math.toRadians(lat);
        double nearestLatOnMeridian =
                Math.toDegrees(Math.atan2(Math.sin(phi), Math.cos(phi) * Math.cos(Math.toRadians(edgeLon - lon))));
        if (nearestLatOnMeridian > south && nearestLatOnMeridian < north) {
            nearest = Math.min(nearest, distanceMeters(lon, lat, edgeLon, nearestLatOnMeridian));
        }
        return nearest;
    }

    /** Whether a longitude lies in [west, east], wrapping when {@code west > east}; -180 and 180 are one meridian. */
    static boolean longitudeWithin(double lon, double west, double east) {
        if (Math.abs(lon) == 180) {
            return longitudeWithinAsGiven(180, west, east) || longitudeWithinAsGiven(-180, west, east);
        }
        return longitudeWithinAsGiven(lon, west, east);
    }

    private static boolean longitudeWithinAsGiven(double lon, double west, double east) {
        return west <= east ? lon >= west && lon <= east : lon >= west || lon <= east;
    }

    /** Absolute difference between two longitudes the short way round, in [0, 180] degrees. */
    private static double longitudeGap(double a, double b) {
        double gap = Math.abs(a - b) % 360;
        return gap > 180 ? 360 - gap : gap;
    }
}
