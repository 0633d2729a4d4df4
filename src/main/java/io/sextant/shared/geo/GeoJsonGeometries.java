package io.sextant.shared.geo;

import java.util.ArrayList;
import java.util.List;
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.GeometryFactory;
import org.locationtech.jts.geom.LinearRing;
import org.locationtech.jts.geom.Polygon;
import org.locationtech.jts.geom.PrecisionModel;
import tools.jackson.databind.JsonNode;

/**
 * Reads GeoJSON (RFC 7946) Polygon and MultiPolygon geometries into JTS geometries in longitude /
 * latitude degrees, refusing anything malformed with the JSON path of the offending part: rings
 * must be closed, have at least four positions, and hold longitudes in [-180, 180] and latitudes in
 * [-90, 90]; the polygon must be valid (no self-intersection).
 */
public final class GeoJsonGeometries {

    /** Double precision, longitude/latitude; SRID 4326 by convention. */
    public static final GeometryFactory FACTORY = new GeometryFactory(new PrecisionModel(), 4326);

    private GeoJsonGeometries() {}

    /** A Polygon or MultiPolygon; {@link IllegalArgumentException} names what is wrong and where. */
    public static Geometry polygonal(JsonNode geometry, String path, int maxVertices) {
        if (geometry == null || !geometry.isObject()) {
            throw new IllegalArgumentException(path + " must be a GeoJSON geometry object");
        }
        String type = geometry.path("type").asString("");
        JsonNode coordinates = geometry.path("coordinates");
        if (!coordinates.isArray()) {
            throw new IllegalArgumentException(path + ".coordinates must be an array");
        }
        int[] vertices = {0};
        Geometry result = switch (type) {
            case "Polygon" -> polygon(coordinates, path + ".coordinates", vertices, maxVertices);
            case "MultiPolygon" -> {
                List<Polygon> polygons = new ArrayList<>();
                for (int i = 0; i < coordinates.size(); i++) {
                    polygons.add(polygon(coordinates.get(i), path + ".coordinates[" + i + "]", vertices, maxVertices));
                }
                if (polygons.isEmpty()) {
                    throw new IllegalArgumentException(path + ".coordinates must hold at least one polygon");
                }
                yield FACTORY.createMultiPolygon(polygons.toArray(Polygon[]::new));
            }
            default ->
                throw new IllegalArgumentException(path + ".type must be Polygon or MultiPolygon, was '" + type + "'");
        };
        if (!result.isValid()) {
            throw new IllegalArgumentException(
                    path + " is not a valid polygon (self-intersecting or overlapping rings)");
        }
        return result;
    }

    private static Polygon polygon(JsonNode rings, String path, int[] vertices, int maxVertices) {
        if (!rings.isArray() || rings.isEmpty()) {
            throw new IllegalArgumentException(path + " must be an array of linear rings");
        }
        LinearRing shell = ring(rings.get(0), path + "[0]", vertices, maxVertices);
        LinearRing[] holes = new LinearRing[rings.size() - 1];
        for (int i = 1; i < rings.size(); i++) {
            holes[i - 1] = ring(rings.get(i), path + "[" + i + "]", vertices, maxVertices);
        }
        return FACTORY.createPolygon(shell, holes);
    }

    private static LinearRing ring(JsonNode positions, String path, int[] vertices, int maxVertices) {
        if (!positions.isArray() || positions.size() < 4) {
            throw new IllegalArgumentException(path + " must be a closed ring of at least 4 positions");
        }
        Coordinate[] coordinates = new Coordinate[positions.size()];
        for (int i = 0; i < positions.size(); i++) {
            JsonNode position = positions.get(i);
            if (!position.isArray()
                    || position.size() < 2
                    || !position.get(0).isNumber()
                    || !position.get(1).isNumber()) {
                throw new IllegalArgumentException(path + "[" + i + "] must be a position [lon, lat]");
            }
            double lon = position.get(0).asDouble();
            double lat = position.get(1).asDouble();
            if (!(lon >= -180 && lon <= 180 && lat >= -90 && lat <= 90)) {
                throw new IllegalArgumentException(
                        path + "[" + i + "] is out of range: lon must be in [-180, 180], lat in [-90, 90]");
            }
            coordinates[i] = new Coordinate(lon, lat);
        }
        if (!coordinates[0].equals2D(coordinates[coordinates.length - 1])) {
            throw new IllegalArgumentException(path + " is not closed: its first and last positions differ");
        }
        vertices[0] += coordinates.length;
        if (vertices[0] > maxVertices) {
            throw new IllegalArgumentException("the geometry has more than " + maxVertices + " vertices");
        }
        return FACTORY.createLinearRing(coordinates);
    }
}
