package io.sextant.zone;

import io.sextant.shared.geo.BoundingBox;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.locationtech.jts.algorithm.RayCrossingCounter;
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.LineString;
import org.locationtech.jts.geom.Location;
import org.locationtech.jts.geom.Polygonal;
import org.locationtech.jts.geom.util.LinearComponentExtracter;

/**
 * A Polygon or MultiPolygon, holes included, drawn in longitude/latitude: its edges are straight
 * lines in degrees, as GeoJSON (RFC 7946) reads them. A polygon across the antimeridian must be a
 * MultiPolygon split at ±180; the halves then behave as one zone (the seam is no boundary).
 *
 * <p>{@link #contains} is exact in longitude/latitude: JTS's robust ray-crossing count (the test
 * its prepared-polygon locator makes) over the edges whose box the ray meets, found in a packed
 * R-tree. That locator is not used itself because its interval index enters a synchronized method
 * on every query, which threads testing the same busy zone would contend on. Before it, a {@link
 * CellGrid} settles most points of a polygon with many edges in one lookup.
 * {@link #boundaryDistanceMeters} finds the nearest boundary point in a local equirectangular plane
 * around the center of the zone's bounds and returns the great-circle distance to it. The point
 * picked can be slightly off where the plane distorts, so the distance is accurate to well under a
 * metre within a few kilometres of the boundary of a zone of city size; for zones spanning hundreds
 * of kilometres, or near the poles, expect errors of a few per cent.
 */
public final class PolygonShape implements ZoneShape {

    private final Geometry geometry;
    /** Edge {@code i} of every ring runs from {@code edgeStart[i]} to {@code edgeEnd[i]}. */
    private final Coordinate[] edgeStart;

    private final Coordinate[] edgeEnd;
    private final PackedTree edges;
    /** Settles most points without an edge; null for small polygons and those across the antimeridian. */
    private final @Nullable CellGrid grid;

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
        List<Coordinate[]> rings = new ArrayList<>();
        for (Object ring : LinearComponentExtracter.getLines(this.geometry)) {
            rings.add(((LineString) ring).getCoordinates());
        }
        int edgeCount = rings.stream().mapToInt(r -> r.length - 1).sum();
        this.edgeStart = new Coordinate[edgeCount];
        this.edgeEnd = new Coordinate[edgeCount];
        double[] boxes = new double[4 * edgeCount];
        int e = 0;
        for (Coordinate[] ring : rings) {
            for (int i = 1; i < ring.length; i++, e++) {
                edgeStart[e] = ring[i - 1];
                edgeEnd[e] = ring[i];
                boxes[4 * e] = Math.min(ring[i - 1].x, ring[i].x);
                boxes[4 * e + 1] = Math.min(ring[i - 1].y, ring[i].y);
                boxes[4 * e + 2] = Math.max(ring[i - 1].x, ring[i].x);
                boxes[4 * e + 3] = Math.max(ring[i - 1].y, ring[i].y);
            }
        }
        this.edges = PackedTree.of(boxes);
        this.bounds = partBounds(this.geometry);
        var envelope = this.geometry.getEnvelopeInternal();
        this.grid = bounds.size() == 1
                ? CellGrid.of(
                        envelope.getMinX(),
                        envelope.getMinY(),
                        envelope.getMaxX(),
                        envelope.getMaxY(),
                        boxes,
                        (lon, lat) -> locate(lon, lat) != Location.EXTERIOR)
                : null;
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
            return locate(180, lat) != Location.EXTERIOR || locate(-180, lat) != Location.EXTERIOR;
        }
        int known = grid == null ? CellGrid.UNKNOWN : grid.state(lon, lat);
        if (known != CellGrid.UNKNOWN) {
            return known == CellGrid.INSIDE;
        }
        return locate(lon, lat) != Location.EXTERIOR;
    }

    /** Where the point lies: counts the edges crossing the ray from it towards positive x. */
    private int locate(double lon, double lat) {
        RayCrossingCounter counter = new RayCrossingCounter(new Coordinate(lon, lat));
        if (edges.reachesRay(0, lon, lat)) {
            countCrossings(0, lon, lat, counter);
        }
        return counter.getLocation();
    }

    /**
     * Only edges in boxes that reach the point's latitude, at its longitude or east of it, can cross
     * the ray or hold the point; the counter itself tests each edge of a leaf exactly.
     */
    private void countCrossings(int node, double lon, double lat, RayCrossingCounter counter) {
        int from = edges.first[node];
        int to = from + edges.count[node];
        if (edges.leaf[node]) {
            for (int i = from; i < to; i++) {
                counter.countSegment(edgeStart[edges.items[i]], edgeEnd[edges.items[i]]);
            }
            return;
        }
        for (int child = from; child < to; child++) {
            if (edges.reachesRay(child, lon, lat)) {
                countCrossings(child, lon, lat, counter);
            }
        }
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
