package io.sextant.shared.geo;

/**
 * A longitude/latitude rectangle in degrees, edges included. When {@code west > east} the box crosses the antimeridian
 * and covers the longitudes from {@code west} east to 180 and on from -180 to {@code east}. As everywhere in this
 * package, longitudes -180 and 180 are the same meridian.
 */
public record BoundingBox(double west, double south, double east, double north) {

    /** The whole globe. */
    public static final BoundingBox WORLD = new BoundingBox(-180, -90, 180, 90);

    /**
     * Extra angle added to every radius, about 0.64 m. The haversine rounds by up to about 0.3 m near antipodal
     * points, so without this margin a point that {@link Geodesy#distanceMeters} reports inside a radius could fall
     * just outside its box; an index pruning by the box would then disagree with a scan.
     */
    private static final double ROUNDING_MARGIN_RADIANS = 1e-7;

    public BoundingBox {
        if (!(west >= -180 && west <= 180 && east >= -180 && east <= 180)) {
            throw new IllegalArgumentException(
                    "west and east must be finite longitudes in [-180, 180], were " + west + " and " + east);
        }
        if (!(south >= -90 && north <= 90 && south <= north)) {
            throw new IllegalArgumentException(
                    "south and north must be finite latitudes in [-90, 90] with south <= north, were " + south + " and "
                            + north);
        }
    }

    /**
     * The smallest box (up to a sub-metre margin for rounding) that contains every point within a great-circle
     * distance of a center.
     *
     * <p>The latitude range is the center's latitude plus and minus the angular radius. If that reaches a pole, the
     * circle contains the pole, so the box spans all longitudes and extends to it. Otherwise the widest longitude
     * extent is where the meridians are tangent to the circle, {@code asin(sin(r) / cos(lat))} either side of the
     * center, wrapping across the antimeridian when it must.
     *
     * @throws IllegalArgumentException if the radius is negative or NaN
     */
    public static BoundingBox around(GeoPoint center, double radiusMeters) {
        if (!(radiusMeters >= 0)) {
            throw new IllegalArgumentException("radius must be a non-negative number of metres, was " + radiusMeters);
        }
        double angle = radiusMeters / Geodesy.EARTH_RADIUS_METERS + ROUNDING_MARGIN_RADIANS;
        if (angle >= Math.PI) {
            return WORLD;
        }
        double phi = Math.toRadians(center.lat());
        double south = Math.max(-90, Math.toDegrees(phi - angle));
        double north = Math.min(90, Math.toDegrees(phi + angle));
        if (phi + angle >= Math.PI / 2 || phi - angle <= -Math.PI / 2) {
            return new BoundingBox(-180, south, 180, north);
        }
        // The factor covers the rounding of sin, cos and the division, which matters when the ratio is near 1.
        double ratio = Math.sin(angle) / Math.cos(phi) * (1 + 1e-15);
        if (ratio >= 1) {
            return new BoundingBox(-180, south, 180, north);
        }
        double halfWidth = Math.toDegrees(Math.asin(ratio)) + 1e-9;
        return new BoundingBox(
                Geodesy.normalizeLongitude(center.lon() - halfWidth),
                south,
                Geodesy.normalizeLongitude(center.lon() + halfWidth),
                north);
    }

    /** Whether the two boxes share a point, edges included; either may cross the antimeridian. */
    public boolean intersects(BoundingBox other) {
        return south <= other.north && other.south <= north && longitudesOverlap(west, east, other.west, other.east);
    }

    private static boolean longitudesOverlap(double w1, double e1, double w2, double e2) {
        if (w1 > e1) {
            return longitudesOverlap(w1, 180, w2, e2) || longitudesOverlap(-180, e1, w2, e2);
        }
        if (w2 > e2) {
            return longitudesOverlap(w1, e1, w2, 180) || longitudesOverlap(w1, e1, -180, e2);
        }
        return w1 <= e2 && w2 <= e1;
    }

    /**
     * The box's area on the sphere of {@link Geodesy#EARTH_RADIUS_METERS}, in square kilometres: what the explicit
     * area limits of queries and exports compare against.
     */
    public double areaKm2() {
        double width = crossesAntimeridian() ? east + 360 - west : east - west;
        double radiusKm = Geodesy.EARTH_RADIUS_METERS / 1000;
        return radiusKm
                * radiusKm
                * Math.toRadians(width)
                * Math.abs(Math.sin(Math.toRadians(north)) - Math.sin(Math.toRadians(south)));
    }

    /** Whether the box crosses the antimeridian, that is {@code west > east}. */
    public boolean crossesAntimeridian() {
        return west > east;
    }

    /** Whether the box contains a point, edges included. */
    public boolean contains(double lon, double lat) {
        return lat >= south && lat <= north && Geodesy.longitudeWithin(lon, west, east);
    }

    /** Whether the box contains a point, edges included. */
    public boolean contains(GeoPoint point) {
        return contains(point.lon(), point.lat());
    }

    /** The smallest great-circle distance from a point to the box, in metres; zero if the box contains the point. */
    public double distanceMeters(GeoPoint point) {
        return Geodesy.distanceToBoxMeters(point.lon(), point.lat(), west, south, east, north);
    }
}
