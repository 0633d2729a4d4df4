package io.sextant.zone;

import io.sextant.shared.geo.GeoJsonGeometries;
import io.sextant.shared.geo.GeoPoint;
import io.sextant.shared.geo.Geodesy;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import org.locationtech.jts.algorithm.Orientation;
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.CoordinateFilter;
import org.locationtech.jts.geom.Envelope;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.GeometryFactory;
import org.locationtech.jts.geom.LineString;
import org.locationtech.jts.geom.LinearRing;
import org.locationtech.jts.geom.Polygon;
import org.locationtech.jts.operation.buffer.BufferOp;
import org.locationtech.jts.operation.buffer.BufferParameters;

/**
 * Polygons that draw circles and corridors in longitude/latitude, for clients that know only GeoJSON
 * geometries (GIS applications reading the zones as features). They are drawings, not the fence's
 * test: a circle is a polygon of {@value #CIRCLE_VERTICES} vertices on its great-circle boundary, a
 * corridor its line buffered in the corridor's own local plane with rounded ends. Both are split at
 * the antimeridian (RFC 7946, section 3.1.9), and a circle around a pole runs along the antimeridian
 * to the pole and back. Exterior rings run counterclockwise (section 3.1.6).
 */
final class Outlines {

    static final int CIRCLE_VERTICES = 64;

    /** Segments per quarter circle at a corridor's ends and bends. */
    private static final int QUADRANT_SEGMENTS = 8;

    private static final GeometryFactory FACTORY = GeoJsonGeometries.FACTORY;

    private Outlines() {}

    static Geometry circle(GeoPoint center, double radiusMeters) {
        Coordinate[] ring = new Coordinate[CIRCLE_VERTICES + 1];
        double previous = Geodesy.destination(center, 0, radiusMeters).lon();
        for (int i = 0; i < CIRCLE_VERTICES; i++) {
            // Clockwise bearings from north; the ring's orientation is settled below.
            GeoPoint point = Geodesy.destination(center, 360.0 * i / CIRCLE_VERTICES, radiusMeters);
            double lon = unwrap(point.lon(), previous);
            ring[i] = new Coordinate(lon, point.lat());
            previous = lon;
        }
        double winding = unwrap(ring[0].x, previous) - ring[0].x;
        if (Math.abs(winding) < 180) {
            ring[CIRCLE_VERTICES] = ring[0].copy();
            return wrapped(FACTORY.createPolygon(ring));
        }
        double pole = Geodesy.distanceMeters(center.lon(), center.lat(), 0, 90) <= radiusMeters ? 90 : -90;
        return cap(Arrays.copyOf(ring, CIRCLE_VERTICES), winding > 0, pole);
    }

    /**
     * The boundary of a circle around a pole, which goes once round it, as one polygon from -180 to
     * 180: the boundary in order of longitude, met at both names of the antimeridian, closed along
     * it through the pole.
     */
    private static Geometry cap(Coordinate[] boundary, boolean eastward, double pole) {
        List<Coordinate> points = new ArrayList<>();
        for (Coordinate c : boundary) {
            points.add(new Coordinate(Geodesy.normalizeLongitude(c.x), c.y));
        }
        if (!eastward) {
            Collections.reverse(points);
        }
        int seam = 0;
        for (int i = 1; i < points.size(); i++) {
            if (points.get(i).x < points.get(i - 1).x) {
                seam = i;
            }
        }
        Collections.rotate(points, -seam);
        Coordinate west = points.getFirst();
        Coordinate east = points.getLast();
        double span = west.x + 360 - east.x;
        double seamLat = span == 0 ? east.y : east.y + (180 - east.x) / span * (west.y - east.y);
        List<Coordinate> ring = new ArrayList<>();
        ring.add(new Coordinate(-180, seamLat));
        ring.addAll(points);
        ring.add(new Coordinate(180, seamLat));
        ring.add(new Coordinate(180, pole));
        ring.add(new Coordinate(-180, pole));
        ring.add(new Coordinate(-180, seamLat));
        return counterclockwise(FACTORY.createPolygon(ring.toArray(Coordinate[]::new)));
    }

    /** The line buffered by half the width in {@code plane}, back in (unwrapped) longitude/latitude, then split. */
    static Geometry corridor(LineString line, LocalPlane plane, double halfWidthMeters) {
        Coordinate[] points = line.getCoordinates();
        Coordinate[] planar = new Coordinate[points.length];
        for (int i = 0; i < points.length; i++) {
            planar[i] = new Coordinate(plane.x(points[i].x), plane.y(points[i].y));
        }
        BufferParameters parameters = new BufferParameters(QUADRANT_SEGMENTS, BufferParameters.CAP_ROUND);
        Geometry band = BufferOp.bufferOp(FACTORY.createLineString(planar), halfWidthMeters, parameters);
        band.apply((CoordinateFilter) c -> {
            c.x = plane.unwrappedLon(c.x);
            c.y = plane.lat(c.y);
        });
        band.geometryChanged();
        return wrapped(band);
    }

    /**
     * The geometry cut into the 360-degree windows it reaches and each piece moved into
     * [-180, 180]: one polygon, or a MultiPolygon when it crossed the antimeridian.
     */
    static Geometry wrapped(Geometry unwrapped) {
        Envelope bounds = unwrapped.getEnvelopeInternal();
        if (bounds.getMinX() >= -180 && bounds.getMaxX() <= 180) {
            return counterclockwise(unwrapped);
        }
        List<Polygon> pieces = new ArrayList<>();
        int first = (int) Math.floor((bounds.getMinX() + 180) / 360);
        int last = (int) Math.floor((bounds.getMaxX() + 180) / 360);
        for (int shift = first; shift <= last; shift++) {
            double west = -180 + 360.0 * shift;
            Geometry window = FACTORY.toGeometry(new Envelope(west, west + 360, -90, 90));
            Geometry piece = unwrapped.intersection(window);
            double offset = -360.0 * shift;
            for (int i = 0; i < piece.getNumGeometries(); i++) {
                if (piece.getGeometryN(i) instanceof Polygon polygon && !polygon.isEmpty()) {
                    Polygon moved = (Polygon) polygon.copy();
                    moved.apply((CoordinateFilter) c -> c.x += offset);
                    moved.geometryChanged();
                    pieces.add(moved);
                }
            }
        }
        Geometry split =
                pieces.size() == 1 ? pieces.getFirst() : FACTORY.createMultiPolygon(pieces.toArray(Polygon[]::new));
        return counterclockwise(split);
    }

    /** {@code lon} moved by whole turns to within half a turn of {@code previous}. */
    private static double unwrap(double lon, double previous) {
        double step = lon - previous;
        return lon - 360 * Math.round(step / 360);
    }

    private static Geometry counterclockwise(Geometry polygonal) {
        List<Polygon> oriented = new ArrayList<>();
        for (int i = 0; i < polygonal.getNumGeometries(); i++) {
            Polygon polygon = (Polygon) polygonal.getGeometryN(i);
            var shell = polygon.getExteriorRing();
            var exterior = Orientation.isCCW(shell.getCoordinateSequence()) ? shell : shell.reverse();
            var holes = new LinearRing[polygon.getNumInteriorRing()];
            for (int h = 0; h < holes.length; h++) {
                var hole = polygon.getInteriorRingN(h);
                holes[h] = Orientation.isCCW(hole.getCoordinateSequence()) ? hole.reverse() : hole;
            }
            oriented.add(FACTORY.createPolygon((LinearRing) exterior, holes));
        }
        return oriented.size() == 1
                ? oriented.getFirst()
                : FACTORY.createMultiPolygon(oriented.toArray(Polygon[]::new));
    }
}
