package io.sextant.zone;

import io.sextant.shared.geo.BoundingBox;
import java.util.List;
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.LineString;

/**
 * A buffered line: every point within half the width of a line string. Each segment is a straight
 * line in longitude/latitude taken the short way round (so a corridor may cross the antimeridian);
 * the whole line must span less than 180 degrees of longitude.
 *
 * <p>The distance to the line is found as for {@link PolygonShape}: the nearest point in a local
 * equirectangular plane around the center of the line's bounds, then the great-circle distance to
 * it. A point is inside iff that distance is at most half the width. The result is accurate to well
 * under a metre near a line of a few tens of kilometres; on lines hundreds of kilometres long the
 * nearest point can be picked a little off, and near the poles the plane is poor.
 */
public final class CorridorShape implements ZoneShape {

    private final LineString line;
    private final double widthMeters;
    private final double halfWidth;
    private final LocalPlane plane;
    private final PlanarSegments segments;
    private final List<BoundingBox> bounds;

    /**
     * @param line at least two distinct positions in longitude/latitude degrees
     * @param widthMeters the corridor's full width; the line runs down its middle
     * @throws IllegalArgumentException if the line has fewer than two distinct positions or spans
     *     180 degrees of longitude or more, or the width is not a positive finite number
     */
    public CorridorShape(LineString line, double widthMeters) {
        if (!(widthMeters > 0 && Double.isFinite(widthMeters))) {
            throw new IllegalArgumentException("width must be a positive number of metres, was " + widthMeters);
        }
        Coordinate[] points = line.getCoordinates();
        double[] lons = unwrappedLongitudes(points);
        double west = Double.POSITIVE_INFINITY;
        double east = Double.NEGATIVE_INFINITY;
        double south = Double.POSITIVE_INFINITY;
        double north = Double.NEGATIVE_INFINITY;
        boolean distinct = false;
        for (int i = 0; i < points.length; i++) {
            west = Math.min(west, lons[i]);
            east = Math.max(east, lons[i]);
            south = Math.min(south, points[i].y);
            north = Math.max(north, points[i].y);
            distinct |= !points[i].equals2D(points[0]);
        }
        if (!distinct) {
            throw new IllegalArgumentException("a corridor line needs at least two distinct positions");
        }
        if (east - west >= 180) {
            throw new IllegalArgumentException("a corridor line must span less than 180 degrees of longitude");
        }
        this.line = (LineString) line.copy();
        this.widthMeters = widthMeters;
        this.halfWidth = widthMeters / 2;
        double centerLon = (west + east) / 2;
        this.plane = new LocalPlane(
                centerLon > 180 ? centerLon - 360 : centerLon < -180 ? centerLon + 360 : centerLon,
                (south + north) / 2);
        double[] xy = new double[4 * (points.length - 1)];
        for (int i = 1; i < points.length; i++) {
            xy[4 * (i - 1)] = plane.x(points[i - 1].x);
            xy[4 * (i - 1) + 1] = plane.y(points[i - 1].y);
            xy[4 * (i - 1) + 2] = plane.x(points[i].x);
            xy[4 * (i - 1) + 3] = plane.y(points[i].y);
        }
        this.segments = new PlanarSegments(xy);
        this.bounds = Bounds.grow(west, south, east, north, halfWidth);
    }

    /** The center line as given. */
    public LineString line() {
        return (LineString) line.copy();
    }

    public double widthMeters() {
        return widthMeters;
    }

    /** A polygon that draws the corridor, for GeoJSON clients ({@link Outlines#corridor}). */
    public org.locationtech.jts.geom.Geometry outline() {
        return Outlines.corridor(line, plane, halfWidth);
    }

    /** The distance from the point to the center line, in metres; see the class for its accuracy. */
    public double distanceToLineMeters(double lon, double lat) {
        return segments.distanceMeters(plane, lon, lat);
    }

    @Override
    public boolean contains(double lon, double lat) {
        return inBounds(lon, lat) && distanceToLineMeters(lon, lat) <= halfWidth;
    }

    /** {@code |distance to the line - width / 2|}. */
    @Override
    public double boundaryDistanceMeters(double lon, double lat) {
        return Math.abs(distanceToLineMeters(lon, lat) - halfWidth);
    }

    @Override
    public List<BoundingBox> bounds() {
        return bounds;
    }

    @Override
    public String kind() {
        return "corridor";
    }

    private boolean inBounds(double lon, double lat) {
        for (BoundingBox box : bounds) {
            if (box.contains(lon, lat)) {
                return true;
            }
        }
        return false;
    }

    /** Longitudes with each step taken the short way round, so they may leave [-180, 180]. */
    static double[] unwrappedLongitudes(Coordinate[] points) {
        double[] lons = new double[points.length];
        lons[0] = points[0].x;
        for (int i = 1; i < points.length; i++) {
            double step = points[i].x - points[i - 1].x;
            if (step > 180) {
                step -= 360;
            } else if (step < -180) {
                step += 360;
            }
            lons[i] = lons[i - 1] + step;
        }
        return lons;
    }
}
