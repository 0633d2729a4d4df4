package io.sextant.tracking;

import org.jspecify.annotations.Nullable;

/** Ranges a reported position's numbers must fall in; the first violation is the reason. */
final class PositionRules {

    private PositionRules() {}

    static @Nullable String rangeProblem(PositionReport report) {
        Double lon = report.lon();
        Double lat = report.lat();
        if (lon == null || !Double.isFinite(lon) || lon < -180 || lon > 180) {
            return "lon must be a number in [-180, 180]";
        }
        if (lat == null || !Double.isFinite(lat) || lat < -90 || lat > 90) {
            return "lat must be a number in [-90, 90]";
        }
        if (outside(report.altitude(), -12_000, 100_000)) {
            return "altitude must be in [-12000, 100000] meters";
        }
        if (outside(report.accuracy(), 0, 1_000_000)) {
            return "accuracy must be in [0, 1000000] meters";
        }
        if (outside(report.speed(), 0, 1_000)) {
            return "speed must be in [0, 1000] m/s";
        }
        Double heading = report.heading();
        if (heading != null && (!Double.isFinite(heading) || heading < 0 || heading >= 360)) {
            return "heading must be in [0, 360) degrees";
        }
        return null;
    }

    private static boolean outside(@Nullable Double value, double min, double max) {
        return value != null && (!Double.isFinite(value) || value < min || value > max);
    }
}
