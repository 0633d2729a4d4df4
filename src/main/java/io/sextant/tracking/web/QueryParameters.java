package io.sextant.tracking.web;

import io.sextant.shared.geo.BoundingBox;
import io.sextant.shared.geo.GeoPoint;
import io.sextant.shared.web.Problems;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import org.jspecify.annotations.Nullable;

/** Parsing of the query parameters position queries share, each failure a 400 naming the parameter. */
final class QueryParameters {

    private QueryParameters() {}

    static Instant instant(String name, String value) {
        try {
            return OffsetDateTime.parse(value).toInstant();
        } catch (DateTimeParseException e) {
            throw Problems.invalid(name, "'" + value + "' is not an RFC 3339 timestamp");
        }
    }

    static Duration duration(String name, String value) {
        try {
            return Duration.parse(value);
        } catch (DateTimeParseException e) {
            throw Problems.invalid(name, "'" + value + "' is not an ISO 8601 duration such as PT1H");
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

    static @Nullable String blankToNull(@Nullable String value) {
        return value == null || value.isBlank() ? null : value;
    }
}
