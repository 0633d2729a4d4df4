package io.sextant.ogc.web;

import io.sextant.shared.TimeBounds;
import io.sextant.shared.features.TimeInterval;
import io.sextant.shared.geo.BoundingBox;
import io.sextant.shared.web.Problems;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * The query parameters of OGC API – Features as its Core part defines them, each refused with a 400
 * problem naming it when it is not well formed; and the rule that a parameter the operation does not
 * define is a 400 too (requirement {@code /req/core/query-param-unknown}).
 */
final class FeatureParameters {

    /** The page size when the client names none (the standard's example default). */
    static final int DEFAULT_LIMIT = 10;

    private FeatureParameters() {}

    /** The rules every operation shares: only {@code defined} parameters, and JSON. */
    static void check(Map<String, String[]> parameters, Set<String> defined, @Nullable String f) {
        onlyDefined(parameters, defined);
        format(f);
    }

    /** A 400 naming every parameter of the request that is not in {@code defined}. */
    static void onlyDefined(Map<String, String[]> parameters, Set<String> defined) {
        Set<String> unknown = new TreeSet<>(parameters.keySet());
        unknown.removeAll(defined);
        if (!unknown.isEmpty()) {
            throw Problems.invalid(
                    unknown.iterator().next(),
                    "is not a parameter of this operation (unknown: " + String.join(", ", unknown) + "; defined: "
                            + String.join(", ", new TreeSet<>(defined)) + ")");
        }
    }

    /** {@code f}: the only encoding served is JSON (GeoJSON for features). */
    static void format(@Nullable String f) {
        if (f != null && !f.equals("json") && !f.equals("geojson")) {
            throw Problems.invalid("f", "must be json or geojson (was '" + f + "'): no other encoding is served");
        }
    }

    /**
     * At least 1; more than {@code max} is served as {@code max}, as the standard requires (a larger
     * limit is not an error).
     */
    static int limit(@Nullable String limit, int max) {
        if (limit == null) {
            return Math.min(DEFAULT_LIMIT, max);
        }
        long value;
        try {
            value = Long.parseLong(limit.trim());
        } catch (NumberFormatException e) {
            if (limit.trim().matches("\\+?[0-9]+")) {
                return max; // a whole number too large for a long is still more than the maximum
            }
            throw Problems.invalid("limit", "must be a whole number from 1 (was '" + limit + "')");
        }
        if (value < 1) {
            throw Problems.invalid("limit", "must be at least 1 (was " + value + ")");
        }
        return (int) Math.min(value, max);
    }

    /**
     * {@code minLon,minLat,maxLon,maxLat} in CRS84 degrees, or six numbers with the heights third and
     * sixth (ignored: positions and zones are filtered in two dimensions). A west edge greater than
     * the east crosses the antimeridian.
     */
    static @Nullable BoundingBox bbox(@Nullable String bbox) {
        if (bbox == null) {
            return null;
        }
        String[] parts = bbox.split(",", -1);
        if (parts.length != 4 && parts.length != 6) {
            throw Problems.invalid(
                    "bbox", "must be 4 numbers (minLon,minLat,maxLon,maxLat) or 6 (with heights); has " + parts.length);
        }
        double[] numbers = new double[parts.length];
        for (int i = 0; i < parts.length; i++) {
            try {
                numbers[i] = Double.parseDouble(parts[i].trim());
            } catch (NumberFormatException e) {
                throw Problems.invalid("bbox", "'" + parts[i] + "' is not a number");
            }
            if (!Double.isFinite(numbers[i])) {
                throw Problems.invalid("bbox", "'" + parts[i] + "' is not a finite number");
            }
        }
        boolean threeD = parts.length == 6;
        try {
            return new BoundingBox(numbers[0], numbers[1], numbers[threeD ? 3 : 2], numbers[threeD ? 4 : 3]);
        } catch (IllegalArgumentException e) {
            throw Problems.invalid("bbox", String.valueOf(e.getMessage()));
        }
    }

    /**
     * An instant or a closed interval {@code start/end}, each an RFC 3339 date-time or a date (a
     * date as an instant is that whole day), either end {@code ..} or empty for open.
     */
    static @Nullable TimeInterval datetime(@Nullable String datetime) {
        if (datetime == null) {
            return null;
        }
        String[] ends = datetime.split("/", -1);
        if (ends.length > 2) {
            throw Problems.invalid("datetime", "must be an instant or an interval start/end (was '" + datetime + "')");
        }
        try {
            String first = ends[0];
            String last = ends[ends.length - 1];
            if (ends.length == 1 && open(first)) {
                throw new IllegalArgumentException("'" + datetime + "' is not an instant");
            }
            return new TimeInterval(open(first) ? null : start(first), open(last) ? null : end(last));
        } catch (IllegalArgumentException e) {
            throw Problems.invalid("datetime", String.valueOf(e.getMessage()));
        }
    }

    /** The first instant an end names: a date's midnight (UTC), or the date-time itself. */
    private static Instant start(String end) {
        return isDate(end) ? dayStart(end) : instant(end);
    }

    /** The last instant an end names: a date's last nanosecond, or the date-time itself. */
    private static Instant end(String end) {
        return isDate(end) ? dayEnd(end) : instant(end);
    }

    private static boolean isDate(String end) {
        return end.length() == 10;
    }

    private static boolean open(String end) {
        return end.isEmpty() || end.equals("..");
    }

    private static Instant instant(String text) {
        try {
            return TimeBounds.parseInstant(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("'" + text + "' " + e.getMessage());
        }
    }

    private static Instant dayStart(String date) {
        try {
            return TimeBounds.check(
                    LocalDate.parse(date).atStartOfDay(ZoneOffset.UTC).toInstant());
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("'" + date + "' is not a date (YYYY-MM-DD) nor an RFC 3339 date-time");
        }
    }

    private static Instant dayEnd(String date) {
        return dayStart(date).plusSeconds(86_400).minusNanos(1);
    }
}
