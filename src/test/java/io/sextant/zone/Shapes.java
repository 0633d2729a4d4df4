package io.sextant.zone;

import io.sextant.shared.geo.GeoJsonGeometries;
import io.sextant.shared.geo.GeoPoint;
import java.util.Arrays;
import java.util.List;
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.LineString;
import org.locationtech.jts.geom.LinearRing;
import org.locationtech.jts.geom.Polygon;

/** Test fixtures: shapes written as coordinate lists, the way GeoJSON writes them. */
final class Shapes {

    private Shapes() {}

    /** A polygon from its rings, each a list of lon, lat pairs (closed by the caller). */
    static Polygon polygon(double[]... rings) {
        LinearRing shell = ring(rings[0]);
        LinearRing[] holes = Arrays.stream(rings).skip(1).map(Shapes::ring).toArray(LinearRing[]::new);
        return GeoJsonGeometries.FACTORY.createPolygon(shell, holes);
    }

    static Geometry multiPolygon(Polygon... polygons) {
        return GeoJsonGeometries.FACTORY.createMultiPolygon(polygons);
    }

    /** A box from west to east (west < east here), closed. */
    static Polygon box(double west, double south, double east, double north) {
        return polygon(new double[] {west, south, east, south, east, north, west, north, west, south});
    }

    static LineString line(double... lonLats) {
        return GeoJsonGeometries.FACTORY.createLineString(coordinates(lonLats));
    }

    static PolygonShape polygonShape(Geometry geometry) {
        return new PolygonShape(geometry);
    }

    static CircleShape circle(double lon, double lat, double radiusMeters) {
        return new CircleShape(new GeoPoint(lon, lat), radiusMeters);
    }

    /**
     * A star-shaped polygon around (lon, lat), vertex {@code i} at distance {@code radii[i]} degrees
     * and angle 2πi/n: valid by construction. With a hole, the square ±0.2° around the center (so
     * every radius must exceed 0.29).
     */
    static Polygon star(double lon, double lat, List<Double> radii, boolean withHole) {
        int n = radii.size();
        Coordinate[] shell = new Coordinate[n + 1];
        for (int i = 0; i < n; i++) {
            double angle = 2 * Math.PI * i / n;
            shell[i] = new Coordinate(lon + radii.get(i) * Math.cos(angle), lat + radii.get(i) * Math.sin(angle));
        }
        shell[n] = shell[0];
        var factory = GeoJsonGeometries.FACTORY;
        if (!withHole) {
            return factory.createPolygon(shell);
        }
        LinearRing hole = ring(new double[] {
            lon - 0.2, lat - 0.2, lon - 0.2, lat + 0.2, lon + 0.2, lat + 0.2, lon + 0.2, lat - 0.2, lon - 0.2, lat - 0.2
        });
        return factory.createPolygon(factory.createLinearRing(shell), new LinearRing[] {hole});
    }

    private static LinearRing ring(double[] lonLats) {
        return GeoJsonGeometries.FACTORY.createLinearRing(coordinates(lonLats));
    }

    private static Coordinate[] coordinates(double[] lonLats) {
        Coordinate[] coordinates = new Coordinate[lonLats.length / 2];
        for (int i = 0; i < coordinates.length; i++) {
            coordinates[i] = new Coordinate(lonLats[2 * i], lonLats[2 * i + 1]);
        }
        return coordinates;
    }
}
