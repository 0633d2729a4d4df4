package io.sextant.tracking.web;

import io.sextant.shared.TimeBounds;
import io.sextant.shared.geo.BoundingBox;
import io.sextant.shared.geo.GeoJsonGeometries;
import io.sextant.shared.geo.GeoPoint;
import io.sextant.shared.web.JsonFields;
import io.sextant.shared.web.Problems;
import io.sextant.tracking.PositionCriteria;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.locationtech.jts.geom.Geometry;
import tools.jackson.databind.JsonNode;

/** Parsing of the query parameters position queries share, each failure a 400 naming the parameter. */
final class QueryParameters {

    private static final int MAX_POLYGON_VERTICES = 10_000;

    private QueryParameters() {}

    static Instant instant(String name, String value) {
        try {
            return TimeBounds.parseInstant(value);
        } catch (IllegalArgumentException e) {
            throw Problems.invalid(name, "'" + value + "' " + e.getMessage());
        }
    }

    static Duration duration(String name, String value) {
        try {
            return TimeBounds.parseDuration(value);
        } catch (IllegalArgumentException e) {
            throw Problems.invalid(name, "'" + value + "' " + e.getMessage());
        }
    }

    /** {@code west,south,east,north}; west greater than east crosses the antimeridian. */
    static BoundingBox bbox(String value) {
        double[] numbers = numbers("bbox", value, 4, "west,south,east,north");
        try {
            return new BoundingBox(numbers[0], numbers[1], numbers[2], numbers[3]);
        } catch (IllegalArgumentException e) {
            throw Problems.invalid("bbox", String.valueOf(e.getMessage()));
        }
    }

    /** {@code lon,lat}. */
    static GeoPoint point(String name, String value) {
        double[] numbers = numbers(name, value, 2, "lon,lat");
        try {
            return new GeoPoint(numbers[0], numbers[1]);
        } catch (IllegalArgumentException e) {
            throw Problems.invalid(name, String.valueOf(e.getMessage()));
        }
    }

    private static double[] numbers(String name, String value, int count, String shape) {
        String[] parts = value.split(",");
        if (parts.length != count) {
            throw Problems.invalid(name, "must be " + shape);
        }
        double[] numbers = new double[count];
        for (int i = 0; i < count; i++) {
            try {
                numbers[i] = Double.parseDouble(parts[i].trim());
            } catch (NumberFormatException e) {
                throw Problems.invalid(name, "must be " + shape + " (numbers)");
            }
            if (!Double.isFinite(numbers[i])) {
                throw Problems.invalid(name, "must be finite numbers");
            }
        }
        return numbers;
    }

    /**
     * The Polygon or MultiPolygon in a search body's {@code geometry} member, read by the one GeoJSON
     * reader zones use too; a fault is a 400 naming its path, such as {@code geometry.coordinates[0][3]}.
     */
    static Geometry geometry(JsonNode body) {
        try {
            return GeoJsonGeometries.polygonal(body.get("geometry"), "geometry", MAX_POLYGON_VERTICES);
        } catch (GeoJsonGeometries.Invalid e) {
            throw Problems.invalid(e.field(), e.reason());
        }
    }

    /** The asset filters of query parameters. */
    static PositionCriteria criteria(@Nullable String type, @Nullable List<String> tags) {
        return new PositionCriteria(blankToNull(type), tags == null ? List.of() : tags);
    }

    /** The asset filters of a search body: {@code type} and {@code tags}. */
    static PositionCriteria criteria(JsonNode body) {
        return criteria(JsonFields.optionalString(body, "type"), JsonFields.strings(body, "tags"));
    }

    static @Nullable String blankToNull(@Nullable String value) {
        return value == null || value.isBlank() ? null : value;
    }
}
