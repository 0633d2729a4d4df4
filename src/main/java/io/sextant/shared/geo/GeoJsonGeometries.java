package io.sextant.shared.geo;

import io.sextant.shared.JsonNumbers;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.locationtech.jts.algorithm.PointLocation;
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.CoordinateXY;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.GeometryFactory;
import org.locationtech.jts.geom.LinearRing;
import org.locationtech.jts.geom.MultiPolygon;
import org.locationtech.jts.geom.Polygon;
import org.locationtech.jts.geom.PrecisionModel;
import org.locationtech.jts.operation.valid.IsValidOp;
import org.locationtech.jts.operation.valid.TopologyValidationError;
import tools.jackson.databind.JsonNode;

/**
 * The one reader of GeoJSON (RFC 7946) Polygon and MultiPolygon geometries and positions, into JTS
 * geometries in longitude / latitude degrees. Every endpoint that takes a polygon reads it here, so
 * all refuse the same input the same way: an {@link Invalid} naming the JSON path of the fault (the
 * member, and in a geometry the ring or position by index, such as {@code
 * geometry.coordinates[0][3]}) and why, with the coordinate where it helps. Positions are [lon, lat]
 * or [lon, lat, altitude], finite and in range; rings are closed and have at least four positions;
 * the whole geometry holds at most a given number of positions and is valid by JTS's rules (no
 * self-intersection, holes inside their shell, ...).
 */
public final class GeoJsonGeometries {

    /** Double precision, longitude/latitude; SRID 4326 by convention. */
    public static final GeometryFactory FACTORY = new GeometryFactory(new PrecisionModel(), 4326);

    private GeoJsonGeometries() {}

    /** One invalid place in a GeoJSON geometry: its JSON path ({@link #field()}) and why ({@link #reason()}). */
    public static final class Invalid extends IllegalArgumentException {

        private static final long serialVersionUID = 1L;

        private final String field;
        private final String reason;

        Invalid(String field, String reason) {
            super(field + ": " + reason);
            this.field = field;
            this.reason = reason;
        }

        /** The JSON path of the fault, such as {@code geometry.coordinates[0][3]}. */
        public String field() {
            return field;
        }

        /** Why the value there is refused, without the path. */
        public String reason() {
            return reason;
        }

        @Override
        public synchronized Throwable fillInStackTrace() {
            return this; // an answer to bad input, not a failure to trace
        }
    }

    /**
     * A valid Polygon or MultiPolygon at {@code path} (topology checked).
     *
     * @throws Invalid naming what is wrong and where
     */
    public static Geometry polygonal(@Nullable JsonNode geometry, String path, int maxVertices) {
        return polygonal(geometry, path, maxVertices, true);
    }

    /**
     * A Polygon or MultiPolygon at {@code path}; with {@code checkTopology}, also valid by JTS's rules
     * (self-intersections, holes outside their shell, ...). Without, for geometry that was checked
     * when it was stored.
     *
     * @throws Invalid naming what is wrong and where
     */
    public static Geometry polygonal(@Nullable JsonNode geometry, String path, int maxVertices, boolean checkTopology) {
        if (geometry == null || !geometry.isObject()) {
            throw new Invalid(path, "must be a GeoJSON Polygon or MultiPolygon object");
        }
        JsonNode type = geometry.path("type");
        JsonNode coordinates = geometry.path("coordinates");
        if (!coordinates.isArray()) {
            throw new Invalid(path + ".coordinates", "must be an array");
        }
        int[] vertices = {0};
        Geometry result = switch (type.isString() ? type.asString() : "") {
            case "Polygon" -> polygon(coordinates, path + ".coordinates", vertices, maxVertices);
            case "MultiPolygon" -> {
                if (coordinates.isEmpty()) {
                    throw new Invalid(path + ".coordinates", "must hold at least one polygon");
                }
                Polygon[] polygons = new Polygon[coordinates.size()];
                for (int i = 0; i < polygons.length; i++) {
                    polygons[i] = polygon(coordinates.get(i), path + ".coordinates[" + i + "]", vertices, maxVertices);
                }
                yield FACTORY.createMultiPolygon(polygons);
            }
            default ->
                throw new Invalid(path + ".type", "must be Polygon or MultiPolygon (was " + describe(type) + ")");
        };
        if (checkTopology) {
            checkTopology(result, path);
        }
        return result;
    }

    /**
     * A GeoJSON position at {@code path}: [lon, lat] or [lon, lat, altitude], finite and in range.
     *
     * @throws Invalid naming what is wrong
     */
    public static Coordinate position(JsonNode position, String path) {
        if (!position.isArray() || position.size() < 2 || position.size() > 3) {
            throw new Invalid(path, "must be a position [lon, lat]");
        }
        for (JsonNode value : position) {
            if (!value.isNumber()) {
                throw new Invalid(path, "must be a position [lon, lat] of numbers (found " + describe(value) + ")");
            }
        }
        double lon = JsonNumbers.toDouble(position.get(0));
        double lat = JsonNumbers.toDouble(position.get(1));
        if (!Double.isFinite(lon)) {
            throw new Invalid(path, "longitude " + lon + " is not a finite number");
        }
        if (!Double.isFinite(lat)) {
            throw new Invalid(path, "latitude " + lat + " is not a finite number");
        }
        if (lon < -180 || lon > 180) {
            throw new Invalid(path, "longitude " + lon + " is outside [-180, 180]");
        }
        if (lat < -90 || lat > 90) {
            throw new Invalid(path, "latitude " + lat + " is outside [-90, 90]");
        }
        return new CoordinateXY(lon, lat);
    }

    /**
     * A Polygon or MultiPolygon as a GeoJSON geometry object (RFC 7946), its rings as they are, each
     * coordinate rounded to 1e-7 degrees (about a centimetre).
     *
     * @throws IllegalArgumentException for any other kind of geometry
     */
    public static Map<String, Object> toJson(Geometry polygonal) {
        Map<String, Object> json = new LinkedHashMap<>();
        if (polygonal instanceof Polygon polygon) {
            json.put("type", "Polygon");
            json.put("coordinates", rings(polygon));
        } else if (polygonal instanceof MultiPolygon multi) {
            List<Object> polygons = new ArrayList<>();
            for (int i = 0; i < multi.getNumGeometries(); i++) {
                polygons.add(rings((Polygon) multi.getGeometryN(i)));
            }
            json.put("type", "MultiPolygon");
            json.put("coordinates", polygons);
        } else {
            throw new IllegalArgumentException("not a Polygon or MultiPolygon: " + polygonal.getGeometryType());
        }
        return json;
    }

    private static List<Object> rings(Polygon polygon) {
        List<Object> rings = new ArrayList<>();
        rings.add(positions(polygon.getExteriorRing().getCoordinates()));
        for (int i = 0; i < polygon.getNumInteriorRing(); i++) {
            rings.add(positions(polygon.getInteriorRingN(i).getCoordinates()));
        }
        return rings;
    }

    private static List<Object> positions(Coordinate[] coordinates) {
        List<Object> positions = new ArrayList<>(coordinates.length);
        for (Coordinate c : coordinates) {
            positions.add(List.of(Math.round(c.x * 1e7) / 1e7, Math.round(c.y * 1e7) / 1e7));
        }
        return positions;
    }

    private static Polygon polygon(JsonNode rings, String coordinatesPath, int[] vertices, int maxVertices) {
        if (!rings.isArray() || rings.isEmpty()) {
            throw new Invalid(coordinatesPath, "must be an array of linear rings, the shell first");
        }
        LinearRing shell = ring(rings.get(0), coordinatesPath + "[0]", vertices, maxVertices);
        LinearRing[] holes = new LinearRing[rings.size() - 1];
        for (int i = 1; i < rings.size(); i++) {
            holes[i - 1] = ring(rings.get(i), coordinatesPath + "[" + i + "]", vertices, maxVertices);
        }
        return FACTORY.createPolygon(shell, holes);
    }

    private static LinearRing ring(JsonNode positions, String path, int[] vertices, int maxVertices) {
        if (!positions.isArray()) {
            throw new Invalid(path, "must be an array of positions (a linear ring)");
        }
        if (positions.size() < 4) {
            throw new Invalid(path, "a linear ring needs at least 4 positions, has " + positions.size());
        }
        vertices[0] += positions.size();
        if (vertices[0] > maxVertices) {
            throw new Invalid(path, "the geometry has more than the limit of " + maxVertices + " positions");
        }
        Coordinate[] coordinates = new Coordinate[positions.size()];
        for (int i = 0; i < coordinates.length; i++) {
            coordinates[i] = position(positions.get(i), path + "[" + i + "]");
        }
        Coordinate first = coordinates[0];
        Coordinate last = coordinates[coordinates.length - 1];
        if (!first.equals2D(last)) {
            throw new Invalid(
                    path,
                    "is not closed: its first position " + format(first) + " and its last position " + format(last)
                            + " differ");
        }
        return FACTORY.createLinearRing(coordinates);
    }

    private static void checkTopology(Geometry geometry, String path) {
        TopologyValidationError error = new IsValidOp(geometry).getValidationError();
        if (error == null) {
            return;
        }
        Coordinate at = error.getCoordinate();
        List<String> rings = new ArrayList<>();
        if (at != null) {
            for (int p = 0; p < geometry.getNumGeometries(); p++) {
                Polygon polygon = (Polygon) geometry.getGeometryN(p);
                String polygonPath = path + ".coordinates" + (geometry instanceof Polygon ? "" : "[" + p + "]");
                for (int r = 0; r <= polygon.getNumInteriorRing(); r++) {
                    LinearRing ring = r == 0 ? polygon.getExteriorRing() : polygon.getInteriorRingN(r - 1);
                    if (PointLocation.isOnLine(at, ring.getCoordinates())) {
                        rings.add(polygonPath + "[" + r + "]");
                    }
                }
            }
        }
        String reason = describe(error) + (at == null ? "" : " at " + format(at));
        if (rings.size() > 1) {
            reason += " (where it meets " + String.join(", ", rings.subList(1, rings.size())) + ")";
        }
        throw new Invalid(rings.isEmpty() ? path : rings.getFirst(), reason);
    }

    private static String describe(TopologyValidationError error) {
        return switch (error.getErrorType()) {
            case TopologyValidationError.SELF_INTERSECTION -> "self-intersection";
            case TopologyValidationError.RING_SELF_INTERSECTION -> "ring self-intersection";
            case TopologyValidationError.HOLE_OUTSIDE_SHELL -> "hole lies outside its shell";
            case TopologyValidationError.NESTED_HOLES -> "hole lies inside another hole";
            case TopologyValidationError.DISCONNECTED_INTERIOR -> "the holes cut the polygon's interior apart";
            case TopologyValidationError.NESTED_SHELLS -> "polygon lies inside another polygon of the MultiPolygon";
            case TopologyValidationError.DUPLICATE_RINGS -> "duplicate ring";
            case TopologyValidationError.TOO_FEW_POINTS -> "ring has fewer than 4 distinct positions";
            default -> error.getMessage().toLowerCase(Locale.ROOT);
        };
    }

    private static String format(Coordinate c) {
        return "[" + c.x + ", " + c.y + "]";
    }

    private static String describe(JsonNode node) {
        if (node.isMissingNode()) {
            return "missing";
        }
        return node.isString() ? "'" + node.asString() + "'" : node.toString();
    }
}
