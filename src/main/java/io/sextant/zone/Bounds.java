package io.sextant.zone;

import io.sextant.shared.geo.BoundingBox;
import io.sextant.shared.geo.Geodesy;
import java.util.ArrayList;
import java.util.List;

/**
 * Longitude/latitude boxes as zones and the zone index use them: never crossing the antimeridian (a
 * crossing box is its two halves), and grown by a distance in metres.
 */
final class Bounds {

    /** Extra angle added when growing a box, about 0.64 m, so that rounding never shrinks it. */
    private static final double ROUNDING_MARGIN_RADIANS = 1e-7;

    private Bounds() {}

    /**
     * The boxes covering longitudes {@code west..east} and latitudes {@code south..north}, where the
     * longitudes may lie outside [-180, 180] (unwrapped, {@code west <= east}): one box, or two when
     * the range passes the antimeridian, or the whole band of latitudes when it spans 360 degrees.
     */
    static List<BoundingBox> split(double west, double south, double east, double north) {
        if (east - west >= 360) {
            return List.of(new BoundingBox(-180, south, 180, north));
        }
        if (west < -180) {
            return List.of(new BoundingBox(west + 360, south, 180, north), new BoundingBox(-180, south, east, north));
        }
        if (east > 180) {
            return List.of(new BoundingBox(west, south, 180, north), new BoundingBox(-180, south, east - 360, north));
        }
        return List.of(new BoundingBox(west, south, east, north));
    }

    /** {@link #split} of a box given the usual way, where {@code west > east} crosses the antimeridian. */
    static List<BoundingBox> split(BoundingBox box) {
        return box.crossesAntimeridian() ? split(box.west() - 360, box.south(), box.east(), box.north()) : List.of(box);
    }

    /**
     * The boxes covering every point within {@code meters} (great-circle) of a point of the unwrapped
     * box {@code west..east} × {@code south..north}. The latitudes grow by the angle; the longitudes by
     * the widest longitude extent of a circle of that radius anywhere in the box, which is at its
     * latitude farthest from the equator; a circle that may reach a pole takes every longitude.
     */
    static List<BoundingBox> grow(double west, double south, double east, double north, double meters) {
        if (meters <= 0) {
            return split(west, south, east, north);
        }
        double angle = meters / Geodesy.EARTH_RADIUS_METERS + ROUNDING_MARGIN_RADIANS;
        double grownSouth = south - Math.toDegrees(angle);
        double grownNorth = north + Math.toDegrees(angle);
        if (angle >= Math.PI / 2 || grownSouth <= -90 || grownNorth >= 90) {
            return List.of(new BoundingBox(-180, Math.max(-90, grownSouth), 180, Math.min(90, grownNorth)));
        }
        double farthestFromEquator = Math.toRadians(Math.max(Math.abs(south), Math.abs(north)));
        double ratio = Math.sin(angle) / Math.cos(farthestFromEquator) * (1 + 1e-12);
        if (ratio >= 1) {
            return List.of(new BoundingBox(-180, grownSouth, 180, grownNorth));
        }
        double halfWidth = Math.toDegrees(Math.asin(ratio)) + 1e-9;
        return split(west - halfWidth, grownSouth, east + halfWidth, grownNorth);
    }

    /** {@link #grow} of each box. */
    static List<BoundingBox> grow(List<BoundingBox> boxes, double meters) {
        if (meters <= 0) {
            return boxes;
        }
        List<BoundingBox> grown = new ArrayList<>();
        for (BoundingBox box : boxes) {
            grown.addAll(grow(box.west(), box.south(), box.east(), box.north(), meters));
        }
        return List.copyOf(grown);
    }

    /**
     * One box covering boxes that do not cross the antimeridian, crossing it when that is narrower:
     * the smallest longitude arc that holds every box (the complement of the widest gap between them
     * on the circle of longitudes), and the latitudes of them all.
     */
    static BoundingBox cover(List<BoundingBox> boxes) {
        List<BoundingBox> byWest = new ArrayList<>(boxes);
        byWest.sort((a, b) -> Double.compare(a.west(), b.west()));
        double south = 90;
        double north = -90;
        for (BoundingBox box : byWest) {
            south = Math.min(south, box.south());
            north = Math.max(north, box.north());
        }
        // Merge overlapping longitude intervals, then find the widest gap, the wrap-around one included.
        List<double[]> merged = new ArrayList<>();
        for (BoundingBox box : byWest) {
            double[] last = merged.isEmpty() ? null : merged.getLast();
            if (last != null && box.west() <= last[1]) {
                last[1] = Math.max(last[1], box.east());
            } else {
                merged.add(new double[] {box.west(), box.east()});
            }
        }
        double wrapGap = merged.getFirst()[0] + 360 - merged.getLast()[1];
        double widestGap = wrapGap;
        int afterGap = 0;
        for (int i = 1; i < merged.size(); i++) {
            double gap = merged.get(i)[0] - merged.get(i - 1)[1];
            if (gap > widestGap) {
                widestGap = gap;
                afterGap = i;
            }
        }
        if (afterGap == 0) {
            return new BoundingBox(merged.getFirst()[0], south, merged.getLast()[1], north);
        }
        return new BoundingBox(merged.get(afterGap)[0], south, merged.get(afterGap - 1)[1], north);
    }
}
