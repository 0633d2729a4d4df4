package io.sextant.zone;

import io.sextant.shared.geo.Geodesy;

/**
 * An equirectangular plane in metres around an origin: x east along the origin's parallel, y north
 * along its meridian. Distances measured in it are exact north–south; east–west they are off by the
 * ratio of the cosines of the point's and the origin's latitudes (about 0.4 % 20 km north or south
 * of the origin at 50°, 2 % at 100 km), and it is meaningless near the poles. Longitudes are taken
 * the short way round from the origin, so shapes on both sides of the antimeridian stay together.
 */
final class LocalPlane {

    private static final double METERS_PER_DEGREE = Math.toRadians(Geodesy.EARTH_RADIUS_METERS);

    private final double originLon;
    private final double originLat;
    private final double metersPerDegreeLon;

    LocalPlane(double originLon, double originLat) {
        this.originLon = originLon;
        this.originLat = originLat;
        // Bounded away from zero so that a zone at a pole still gets a (poor but finite) plane.
        this.metersPerDegreeLon = METERS_PER_DEGREE * Math.max(1e-6, Math.cos(Math.toRadians(originLat)));
    }

    double x(double lon) {
        // Both names of the antimeridian map to the same x, so the halves of a split zone meet exactly.
        double east = Math.abs(lon) == 180 ? Math.copySign(180, originLon) : lon;
        double delta = east - originLon;
        if (delta > 180) {
            delta -= 360;
        } else if (delta < -180) {
            delta += 360;
        }
        return delta * metersPerDegreeLon;
    }

    double y(double lat) {
        return (lat - originLat) * METERS_PER_DEGREE;
    }

    double lon(double x) {
        return Geodesy.normalizeLongitude(originLon + x / metersPerDegreeLon);
    }

    /** {@link #lon} without bringing it into [-180, 180]: a shape that crosses the antimeridian stays in one piece. */
    double unwrappedLon(double x) {
        return originLon + x / metersPerDegreeLon;
    }

    double lat(double y) {
        return Math.clamp(originLat + y / METERS_PER_DEGREE, -90.0, 90.0);
    }
}
