package io.sextant.zone;

import io.sextant.shared.JsonNumbers;
import io.sextant.shared.TimeBounds;
import io.sextant.shared.geo.GeoJsonGeometries;
import io.sextant.shared.geo.GeoPoint;
import io.sextant.shared.geo.Geodesy;
import io.sextant.shared.problem.FieldError;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.LineString;
import org.locationtech.jts.geom.Polygon;
import tools.jackson.databind.JsonNode;

/**
 * Reads the JSON members of a zone — its shape, schedule and fence settings — into their compiled
 * form, refusing anything malformed with the path of the fault: the member, and in a geometry the
 * ring or position by index, with the coordinate where it helps.
 */
final class ZoneJson {

    static final int MAX_WINDOWS = 50;

    private static final Pattern TIME_OF_DAY = Pattern.compile("^([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9])?$");
    private static final Map<String, DayOfWeek> DAYS = Map.of(
            "MON", DayOfWeek.MONDAY,
            "TUE", DayOfWeek.TUESDAY,
            "WED", DayOfWeek.WEDNESDAY,
            "THU", DayOfWeek.THURSDAY,
            "FRI", DayOfWeek.FRIDAY,
            "SAT", DayOfWeek.SATURDAY,
            "SUN", DayOfWeek.SUNDAY);

    private ZoneJson() {}

    /** One invalid place in the JSON of a zone, and why. */
    static final class Invalid extends RuntimeException {

        private static final long serialVersionUID = 1L;

        private final String field;

        Invalid(String field, String reason) {
            super(reason, null, false, false);
            this.field = field;
        }

        FieldError error() {
            return new FieldError(field, String.valueOf(getMessage()));
        }
    }

    // --- shapes ------------------------------------------------------------------------------

    /**
     * A GeoJSON Polygon or MultiPolygon at {@code path}. With {@code validate}, also its topology
     * (JTS's IsValidOp: self-intersections, holes outside their shell, ...) and its area.
     */
    static PolygonShape polygon(JsonNode geometry, String path, ZoneLimits limits, boolean validate) {
        Geometry result;
        try {
            result = GeoJsonGeometries.polygonal(geometry, path, limits.maxVertices(), validate);
        } catch (GeoJsonGeometries.Invalid e) {
            throw new Invalid(e.field(), e.reason());
        }
        if (validate) {
            double area = areaKm2(result);
            if (area > limits.maxAreaKm2()) {
                throw new Invalid(
                        path,
                        "covers about " + Math.round(area) + " km², more than the limit of "
                                + Math.round(limits.maxAreaKm2()) + " km²");
            }
        }
        return new PolygonShape(result);
    }

    /** {@code {"center": [lon, lat], "radiusMeters": r}} at {@code circle}. */
    static CircleShape circle(JsonNode circle, ZoneLimits limits) {
        if (!circle.isObject()) {
            throw new Invalid("circle", "must be an object {\"center\": [lon, lat], \"radiusMeters\": r}");
        }
        onlyMembers(circle, "circle", Set.of("center", "radiusMeters"));
        Coordinate center = position(required(circle, "center", "circle"), "circle.center");
        double radius = number(required(circle, "radiusMeters", "circle"), "circle.radiusMeters");
        if (!(radius > 0)) {
            throw new Invalid("circle.radiusMeters", "must be more than 0 (was " + radius + ")");
        }
        if (radius > limits.maxRadiusMeters()) {
            throw new Invalid(
                    "circle.radiusMeters",
                    "must be at most " + Math.round(limits.maxRadiusMeters()) + " (was " + radius + ")");
        }
        double area = Math.PI * radius * radius / 1e6;
        if (area > limits.maxAreaKm2()) {
            throw new Invalid(
                    "circle.radiusMeters",
                    "the circle covers about " + Math.round(area) + " km², more than the limit of "
                            + Math.round(limits.maxAreaKm2()) + " km²");
        }
        return new CircleShape(new GeoPoint(center.x, center.y), radius);
    }

    /** {@code {"line": <GeoJSON LineString>, "widthMeters": w}} at {@code corridor}. */
    static CorridorShape corridor(JsonNode corridor, ZoneLimits limits) {
        if (!corridor.isObject()) {
            throw new Invalid("corridor", "must be an object {\"line\": <GeoJSON LineString>, \"widthMeters\": w}");
        }
        onlyMembers(corridor, "corridor", Set.of("line", "widthMeters"));
        JsonNode line = required(corridor, "line", "corridor");
        if (!line.isObject()) {
            throw new Invalid("corridor.line", "must be a GeoJSON LineString object");
        }
        JsonNode type = line.path("type");
        if (!type.isString() || !type.asString().equals("LineString")) {
            throw new Invalid("corridor.line.type", "must be LineString (was " + describe(type) + ")");
        }
        JsonNode positions = line.path("coordinates");
        if (!positions.isArray()) {
            throw new Invalid("corridor.line.coordinates", "must be an array of positions");
        }
        if (positions.size() < 2) {
            throw new Invalid(
                    "corridor.line.coordinates", "a line needs at least 2 positions, has " + positions.size());
        }
        if (positions.size() > limits.maxVertices()) {
            throw new Invalid(
                    "corridor.line.coordinates",
                    "has " + positions.size() + " positions, more than the limit of " + limits.maxVertices());
        }
        Coordinate[] points = new Coordinate[positions.size()];
        boolean distinct = false;
        double lengthMeters = 0;
        for (int i = 0; i < points.length; i++) {
            points[i] = position(positions.get(i), "corridor.line.coordinates[" + i + "]");
            distinct |= !points[i].equals2D(points[0]);
            if (i > 0) {
                lengthMeters += Geodesy.distanceMeters(points[i - 1].x, points[i - 1].y, points[i].x, points[i].y);
            }
        }
        if (!distinct) {
            throw new Invalid("corridor.line.coordinates", "all positions are the same point; a line needs two");
        }
        double[] lons = CorridorShape.unwrappedLongitudes(points);
        double west = Double.POSITIVE_INFINITY;
        double east = Double.NEGATIVE_INFINITY;
        for (double lon : lons) {
            west = Math.min(west, lon);
            east = Math.max(east, lon);
        }
        if (east - west >= 180) {
            throw new Invalid(
                    "corridor.line",
                    "spans 180 degrees of longitude or more (each step is taken the short way round);"
                            + " split it into several corridors");
        }
        double width = number(required(corridor, "widthMeters", "corridor"), "corridor.widthMeters");
        if (!(width > 0)) {
            throw new Invalid("corridor.widthMeters", "must be more than 0 (was " + width + ")");
        }
        if (width > limits.maxCorridorWidthMeters()) {
            throw new Invalid(
                    "corridor.widthMeters",
                    "must be at most " + Math.round(limits.maxCorridorWidthMeters()) + " (was " + width + ")");
        }
        double area = (lengthMeters * width + Math.PI * width * width / 4) / 1e6;
        if (area > limits.maxAreaKm2()) {
            throw new Invalid(
                    "corridor",
                    "covers about " + Math.round(area) + " km², more than the limit of "
                            + Math.round(limits.maxAreaKm2()) + " km²");
        }
        LineString lineString = GeoJsonGeometries.FACTORY.createLineString(points);
        return new CorridorShape(lineString, width);
    }

    /** A GeoJSON position: [lon, lat] or [lon, lat, altitude], finite and in range. */
    static Coordinate position(JsonNode position, String path) {
        try {
            return GeoJsonGeometries.position(position, path);
        } catch (GeoJsonGeometries.Invalid e) {
            throw new Invalid(e.field(), e.reason());
        }
    }

    /**
     * The area on the sphere of a polygonal geometry in longitude/latitude, in km²: each ring by the
     * spherical-excess sum over its edges (as in Chamberlain and Duquette, "Some algorithms for
     * polygons on a sphere"), holes subtracted.
     */
    static double areaKm2(Geometry geometry) {
        double area = 0;
        for (int p = 0; p < geometry.getNumGeometries(); p++) {
            Polygon polygon = (Polygon) geometry.getGeometryN(p);
            area += ringAreaKm2(polygon.getExteriorRing().getCoordinates());
            for (int h = 0; h < polygon.getNumInteriorRing(); h++) {
                area -= ringAreaKm2(polygon.getInteriorRingN(h).getCoordinates());
            }
        }
        return Math.max(0, area);
    }

    private static double ringAreaKm2(Coordinate[] ring) {
        double sum = 0;
        for (int i = 1; i < ring.length; i++) {
            sum += Math.toRadians(ring[i].x - ring[i - 1].x)
                    * (2 + Math.sin(Math.toRadians(ring[i - 1].y)) + Math.sin(Math.toRadians(ring[i].y)));
        }
        double radiusKm = Geodesy.EARTH_RADIUS_METERS / 1000;
        return Math.abs(sum) * radiusKm * radiusKm / 2;
    }

    // --- schedule ----------------------------------------------------------------------------

    /** The schedule at {@code schedule}; every fault found is added to {@code errors}. */
    static @Nullable ZoneSchedule schedule(JsonNode schedule, List<FieldError> errors) {
        if (!schedule.isObject()) {
            errors.add(new FieldError("schedule", "must be an object {\"timeZone\": ..., \"windows\": [...]}"));
            return null;
        }
        int before = errors.size();
        check(
                errors,
                () -> onlyMembers(schedule, "schedule", Set.of("timeZone", "windows", "validFrom", "validUntil")));
        ZoneId timeZone = collect(errors, () -> timeZone(required(schedule, "timeZone", "schedule")));
        List<ZoneSchedule.Window> windows = new ArrayList<>();
        JsonNode windowsNode = schedule.path("windows");
        if (!windowsNode.isMissingNode() && !windowsNode.isNull()) {
            if (!windowsNode.isArray()) {
                errors.add(new FieldError("schedule.windows", "must be an array of windows"));
            } else if (windowsNode.size() > MAX_WINDOWS) {
                errors.add(new FieldError(
                        "schedule.windows", "at most " + MAX_WINDOWS + " windows (was " + windowsNode.size() + ")"));
            } else {
                for (int i = 0; i < windowsNode.size(); i++) {
                    JsonNode window = windowsNode.get(i);
                    String path = "schedule.windows[" + i + "]";
                    ZoneSchedule.Window read = collect(errors, () -> window(window, path));
                    if (read != null) {
                        windows.add(read);
                    }
                }
            }
        }
        Instant validFrom = collect(errors, () -> optionalInstant(schedule, "validFrom"));
        Instant validUntil = collect(errors, () -> optionalInstant(schedule, "validUntil"));
        if (validFrom != null && validUntil != null && !validUntil.isAfter(validFrom)) {
            errors.add(new FieldError("schedule.validUntil", "must be after validFrom"));
        }
        if (errors.size() > before || timeZone == null) {
            return null;
        }
        return new ZoneSchedule(windows, timeZone, validFrom, validUntil);
    }

    private static ZoneId timeZone(JsonNode node) {
        if (!node.isString() || !ZoneId.getAvailableZoneIds().contains(node.asString())) {
            throw new Invalid(
                    "schedule.timeZone",
                    describe(node) + " is not an IANA time zone such as Europe/Berlin or America/New_York");
        }
        return ZoneId.of(node.asString());
    }

    private static ZoneSchedule.Window window(JsonNode window, String path) {
        if (!window.isObject()) {
            throw new Invalid(path, "must be an object {\"days\": [...], \"from\": \"HH:MM\", \"to\": \"HH:MM\"}");
        }
        onlyMembers(window, path, Set.of("days", "from", "to"));
        JsonNode days = required(window, "days", path);
        if (!days.isArray() || days.isEmpty()) {
            throw new Invalid(path + ".days", "must be a non-empty array of days such as [\"MON\", \"TUE\"]");
        }
        Set<DayOfWeek> read = EnumSet.noneOf(DayOfWeek.class);
        for (int i = 0; i < days.size(); i++) {
            JsonNode day = days.get(i);
            DayOfWeek value = day.isString() ? DAYS.get(day.asString()) : null;
            if (value == null) {
                throw new Invalid(
                        path + ".days[" + i + "]",
                        describe(day) + " is not a day: use MON, TUE, WED, THU, FRI, SAT or SUN");
            }
            if (!read.add(value)) {
                throw new Invalid(path + ".days[" + i + "]", "repeats " + day.asString());
            }
        }
        LocalTime from = timeOfDay(required(window, "from", path), path + ".from", false);
        LocalTime to = timeOfDay(required(window, "to", path), path + ".to", true);
        return new ZoneSchedule.Window(read, from, to);
    }

    private static LocalTime timeOfDay(JsonNode node, String path, boolean endOfDayAllowed) {
        if (endOfDayAllowed && node.isString() && node.asString().equals("24:00")) {
            return LocalTime.MIDNIGHT;
        }
        if (!node.isString() || !TIME_OF_DAY.matcher(node.asString()).matches()) {
            throw new Invalid(
                    path,
                    describe(node) + " is not a time of day HH:MM (00:00-23:59" + (endOfDayAllowed ? ", or 24:00" : "")
                            + ")");
        }
        return LocalTime.parse(node.asString());
    }

    private static @Nullable Instant optionalInstant(JsonNode parent, String name) {
        JsonNode node = parent.path(name);
        if (node.isMissingNode() || node.isNull()) {
            return null;
        }
        if (!node.isString()) {
            throw new Invalid("schedule." + name, describe(node) + " is not an RFC 3339 timestamp");
        }
        try {
            return TimeBounds.parseInstant(node.asString());
        } catch (IllegalArgumentException e) {
            throw new Invalid("schedule." + name, describe(node) + " " + e.getMessage());
        }
    }

    // --- fence settings ----------------------------------------------------------------------

    /** The fence settings at {@code fence}; every fault found is added to {@code errors}. */
    static @Nullable FenceSettings fence(JsonNode fence, List<FieldError> errors) {
        if (!fence.isObject()) {
            errors.add(new FieldError("fence", "must be an object of fence settings"));
            return null;
        }
        int before = errors.size();
        check(
                errors,
                () -> onlyMembers(
                        fence,
                        "fence",
                        Set.of(
                                "marginMeters",
                                "minFixes",
                                "minDuration",
                                "maxAccuracyMeters",
                                "dwell",
                                "speedLimitKmh")));
        FenceSettings defaults = FenceSettings.DEFAULTS;
        Double margin = collect(errors, () -> optionalNumber(fence, "marginMeters"));
        Integer minFixes = collect(errors, () -> optionalInteger(fence, "minFixes"));
        Duration minDuration = collect(errors, () -> optionalDuration(fence, "minDuration"));
        Double maxAccuracy = collect(errors, () -> optionalNumber(fence, "maxAccuracyMeters"));
        Duration dwell = collect(errors, () -> optionalDuration(fence, "dwell"));
        Double speedLimit = collect(errors, () -> optionalNumber(fence, "speedLimitKmh"));
        if (errors.size() > before) {
            return null;
        }
        double marginValue = margin == null ? defaults.marginMeters() : margin;
        int minFixesValue = minFixes == null ? defaults.minFixes() : minFixes;
        Duration minDurationValue = minDuration == null ? defaults.minDuration() : minDuration;
        List<FieldError> violations =
                FenceSettings.violations(marginValue, minFixesValue, minDurationValue, maxAccuracy, dwell, speedLimit);
        for (FieldError violation : violations) {
            errors.add(new FieldError("fence." + violation.field(), violation.reason()));
        }
        if (!violations.isEmpty()) {
            return null;
        }
        return new FenceSettings(marginValue, minFixesValue, minDurationValue, maxAccuracy, dwell, speedLimit);
    }

    private static @Nullable Double optionalNumber(JsonNode parent, String name) {
        JsonNode node = parent.path(name);
        if (node.isMissingNode() || node.isNull()) {
            return null;
        }
        return number(node, "fence." + name);
    }

    private static @Nullable Integer optionalInteger(JsonNode parent, String name) {
        JsonNode node = parent.path(name);
        if (node.isMissingNode() || node.isNull()) {
            return null;
        }
        if (!node.isIntegralNumber() || !node.canConvertToInt()) {
            throw new Invalid("fence." + name, "must be a whole number (was " + describe(node) + ")");
        }
        return node.intValue();
    }

    private static @Nullable Duration optionalDuration(JsonNode parent, String name) {
        JsonNode node = parent.path(name);
        if (node.isMissingNode() || node.isNull()) {
            return null;
        }
        if (!node.isString()) {
            throw new Invalid("fence." + name, describe(node) + " is not an ISO 8601 duration such as PT5M");
        }
        try {
            return TimeBounds.parseDuration(node.asString());
        } catch (IllegalArgumentException e) {
            throw new Invalid("fence." + name, describe(node) + " " + e.getMessage());
        }
    }

    // --- common ------------------------------------------------------------------------------

    private static double number(JsonNode node, String path) {
        if (!node.isNumber()) {
            throw new Invalid(path, "must be a number (was " + describe(node) + ")");
        }
        double value = JsonNumbers.toDouble(node);
        if (!Double.isFinite(value)) {
            throw new Invalid(path, value + " is not a finite number");
        }
        return value;
    }

    private static JsonNode required(JsonNode parent, String name, String parentPath) {
        JsonNode node = parent.path(name);
        if (node.isMissingNode() || node.isNull()) {
            throw new Invalid(parentPath + "." + name, "is required");
        }
        return node;
    }

    private static void onlyMembers(JsonNode object, String path, Set<String> allowed) {
        for (String name : object.propertyNames()) {
            if (!allowed.contains(name)) {
                throw new Invalid(
                        path + "." + name,
                        "is not a member here; use "
                                + String.join(", ", allowed.stream().sorted().toList()));
            }
        }
    }

    private static <T> @Nullable T collect(List<FieldError> errors, java.util.function.Supplier<T> read) {
        try {
            return read.get();
        } catch (Invalid e) {
            errors.add(e.error());
            return null;
        }
    }

    private static void check(List<FieldError> errors, Runnable check) {
        try {
            check.run();
        } catch (Invalid e) {
            errors.add(e.error());
        }
    }

    private static String describe(JsonNode node) {
        if (node.isMissingNode()) {
            return "missing";
        }
        return node.isString() ? "'" + node.asString() + "'" : node.toString();
    }
}
