package io.sextant.zone;

import io.sextant.shared.geo.BoundingBox;
import java.util.ArrayList;
import java.util.List;
import org.locationtech.jts.algorithm.locate.PointOnGeometryLocator;
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.LineString;
import org.locationtech.jts.geom.Location;
import org.locationtech.jts.geom.Polygonal;
import org.locationtech.jts.geom.prep.PreparedPolygon;
import org.locationtech.jts.geom.util.LinearComponentExtracter;

/**
 * A Polygon or MultiPolygon, holes included, drawn in longitude/latitude: its edges are straight
 * lines in degrees, as GeoJSON (RFC 7946) reads them. A polygon across the antimeridian must be a
 * MultiPolygon split at ±180; the halves then behave as one zone (the seam is no boundary).
 *
 * <p>{@link #contains} is exact in longitude/latitude (JTS's prepared-polygon point locator).
 * {@link #boundaryDistanceMeters} finds the nearest boundary point in a local equirectangular plane
 * around the center of the zone's bounds and returns the great-circle distance to it. The point
 * picked can be slightly off where the plane distorts, so the distance is accurate to well under a
 * metre within a few kilometres of the boundary of a zone of city size; for zones spanning hundreds
 * of kilometres, or near the poles, expect errors of a few per cent.
 */
public final class PolygonShape implements ZoneShape {

    private final Geometry geometry;
    private final PointOnGeometryLocator locator;
    private final List<BoundingBox> bounds;
    private final LocalPlane plane;
    private final PlanarSegments boundary;

    /**
     * @param geometry a Polygon or MultiPolygon in longitude/latitude degrees, valid by JTS's rules
     *     (not checked again here: validation is costly, and zones are validated when written)
     * @throws IllegalArgumentException if it is not polygonal or is empty
     */
    public PolygonShape(Geometry geometry) {
        if (!(geometry instanceof Polygonal) || geometry.isEmpty()) {
            throw new IllegalArgumentException("a zone polygon must be a non-empty Polygon or MultiPolygon");
        }
        this.geometry = geometry.copy();
        this.locator = new PreparedPolygon((Polygonal) this.geometry).getPointLocator();
        // Builds the locator's index now, so that no caller ever waits on its lazy initialisation.
        locator.locate(new Coordinate(this.geometry.getEnvelopeInternal().getMinX(), 0));
        this.bounds = partBounds(this.geometry);
        BoundingBox cover = Bounds.cover(bounds);
        double centerLon = cover.crossesAntimeridian()
                ? (cover.west() + cover.east() + 360) / 2
                : (cover.west() + cover.east()) / 2;
        this.plane = new LocalPlane(centerLon > 180 ? centerLon - 360 : centerLon, (cover.south() + cover.north()) / 2);
        this.boundary = new PlanarSegments(boundarySegments(this.geometry, plane));
    }

    /** The polygon as given, in longitude/latitude. */
    public Geometry geometry() {
        return geometry.copy();
    }

    @Override
    public boolean contains(double lon, double lat) {
        if (!inBounds(lon, lat)) {
            return false;
        }
        if (Math.abs(lon) == 180) {
            return locator.locate(new Coordinate(180, lat)) != Location.EXTERIOR
                    || locator.locate(new Coordinate(-180, lat)) != Location.EXTERIOR;
        }
        return locator.locate(new Coordinate(lon, lat)) != Location.EXTERIOR;
    }

    /** The distance to the nearest edge of a ring (shell or hole); see the class for its accuracy. */
    @Override
    public double boundaryDistanceMeters(double lon, double lat) {
        return boundary.distanceMeters(plane, lon, lat);
    }

    @Override
    public List<BoundingBox> bounds() {
        return bounds;
    }

    @Override
    public String kind() {
        return "polygon";
    }

    private boolean inBounds(double lon, double lat) {
        for (BoundingBox box : bounds) {
            if (box.contains(lon, lat)) {
                return true;
            }
        }
        return false;
    }

    /** The envelopes of the polygons, merged into at most two boxes split at the antimeridian. */
    private static List<BoundingBox> partBounds(Geometry geometry) {
        List<BoundingBox> parts = new ArrayList<>();
        for (int i = 0; i < geometry.getNumGeometries(); i++) {
            var envelope = geometry.getGeometryN(i).getEnvelopeInternal();
            parts.add(new BoundingBox(envelope.getMinX(), envelope.getMinY(), envelope.getMaxX(), envelope.getMaxY()));
        }
        BoundingBox cover = Bounds.cover(parts);
        if (!cover.crossesAntimeridian()) {
            return List.of(cover);
        }
        double westSouth = 90;
        double westNorth = -90;
        double eastSouth = 90;
        double eastNorth = -90;
        for (BoundingBox part : parts) {
            // A part west of the seam (in the eastern hemisphere) starts at or after the cover's west.
            if (part.west() >= cover.west()) {
                westSouth = Math.min(westSouth, part.south());
                westNorth = Math.max(westNorth, part.north());
            } else {
                eastSouth = Math.min(eastSouth, part.south());
                eastNorth = Math.max(eastNorth, part.north());
            }
        }
        return List.of(
                new BoundingBox(cover.west(), westSouth, 180, westNorth),
                new BoundingBox(-180, eastSouth, cover.east(), eastNorth));
    }

    /**
     * The edges of every ring in the plane. The halves of a zone split at the antimeridian share
     * edges on the seam; their union in the plane (where both sides of the seam coincide) drops them.
     */
    private static double[] boundarySegments(Geometry geometry, LocalPlane plane) {
        boolean touchesSeam = false;
        for (Coordinate c : geometry.getCoordinates()) {
            touchesSeam |= Math.abs(c.x) == 180;
        }
        Geometry projected = geometry.copy();
        projected.apply((org.locationtech.jts.geom.CoordinateFilter) c -> {
            double x = plane.x(c.x);
            c.y = plane.y(c.y);
            c.x = x;
        });
        projected.geometryChanged();
        if (touchesSeam) {
            projected = projected.union();
        }
        List<double[]> segments = new ArrayList<>();
        for (Object line : LinearComponentExtracter.getLines(projected)) {
            Coordinate[] points = ((LineString) line).getCoordinates();
            for (int i = 1; i < points.length; i++) {
                segments.add(new double[] {points[i - 1].x, points[i - 1].y, points[i].x, points[i].y});
            }
        }
        double[] xy = new double[4 * segments.size()];
        for (int i = 0; i < segments.size(); i++) {
            System.arraycopy(segments.get(i), 0, xy, 4 * i, 4);
        }
        return xy;
    }
}
