package io.sextant.tracking.protocol;

import io.sextant.shared.JsonNumbers;
import io.sextant.tracking.PositionReport;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.TemporalAccessor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The OsmAnd protocol as Traccar Client and many other apps speak it (<a
 * href="https://www.traccar.org/osmand/">traccar.org/osmand</a>), in both of its formats. The device
 * id is the asset's external id. Without a timestamp, a position is taken to be from when it was
 * received, as Traccar does.
 *
 * <p>Query or form parameters: {@code id} (or {@code deviceid}); {@code lat} and {@code lon}, or
 * {@code location=<lat>,<lon>}; {@code timestamp} as epoch seconds, epoch milliseconds (above
 * 10<sup>12</sup>), ISO 8601 or {@code yyyy-MM-dd HH:mm:ss} (UTC); {@code speed} in knots (stored as
 * m/s); {@code bearing} or {@code heading} in degrees; {@code altitude} and {@code accuracy} in
 * meters. Every other parameter ({@code batt}, {@code hdop}, {@code charge}, {@code valid}, …) becomes
 * an attribute: a number, {@code true}/{@code false}, or else text.
 *
 * <p>JSON (Traccar Client 9 and later): {@code {"device_id", "location": {"timestamp", "coords":
 * {"latitude", "longitude", "accuracy", "speed" (m/s), "heading", "altitude"}, "battery": {"level"
 * (0–1), "is_charging"}, "is_moving", "odometer", "event", "activity": {"type"}, "extras"}}}. The
 * battery becomes the same {@code batt} (percent) and {@code charge} attributes as in the query
 * format.
 */
public final class OsmAndDecoder {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    // Read into the position's own fields; every other parameter is an attribute.
    private static final Set<String> FIELDS = Set.of(
            "id",
            "deviceid",
            "lat",
            "lon",
            "location",
            "timestamp",
            "speed",
            "bearing",
            "heading",
            "altitude",
            "accuracy");
    private static final Pattern EPOCH_TIME = Pattern.compile("^\\d{1,15}$");
    // Attribute values that read as numbers; "007" (an id, say) stays text.
    private static final Pattern INTEGER = Pattern.compile("^-?(0|[1-9]\\d{0,17})$");
    private static final Pattern DECIMAL = Pattern.compile("^-?(0|[1-9]\\d*)(\\.\\d+)?([eE][-+]?\\d+)?$");
    private static final long MILLISECONDS_ABOVE = 1_000_000_000_000L;

    private OsmAndDecoder() {}

    /**
     * A position sent as query or form parameters.
     *
     * @param parameters every parameter's values, in the order sent
     * @param receivedAt the position's time when it carries no timestamp
     */
    public static Decoded decodeParameters(Map<String, List<String>> parameters, Instant receivedAt) {
        String id = first(parameters, "id");
        if (id == null || id.isBlank()) {
            id = first(parameters, "deviceid");
        }
        if (id == null || id.isBlank()) {
            return new Decoded.Unusable("id is required: the device's identifier");
        }
        try {
            double[] latLon = latLon(parameters);
            String timestamp = first(parameters, "timestamp");
            Double bearing = number(parameters, "bearing");
            Double knots = Readings.known(number(parameters, "speed"));
            return new Decoded.Report(new PositionReport(
                    null,
                    id.strip(),
                    timestamp == null ? receivedAt : time(timestamp),
                    latLon[1],
                    latLon[0],
                    number(parameters, "altitude"),
                    Readings.known(number(parameters, "accuracy")),
                    knots == null ? null : knots * Readings.KNOT,
                    Readings.heading(bearing != null ? bearing : number(parameters, "heading")),
                    attributes(parameters),
                    null));
        } catch (IllegalArgumentException e) {
            return new Decoded.Unusable(String.valueOf(e.getMessage()));
        }
    }

    /**
     * A position sent as the JSON body of Traccar Client 9 and later.
     *
     * @param receivedAt the position's time when it carries no timestamp
     */
    public static Decoded decodeJson(byte[] body, Instant receivedAt) {
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (JacksonException e) {
            return new Decoded.Unusable("the body is not JSON: " + e.getOriginalMessage());
        }
        if (root == null || !root.isObject()) {
            return new Decoded.Unusable("the body is not a JSON object");
        }
        JsonNode deviceId = root.path("device_id");
        if (!deviceId.isString() || deviceId.asString().isBlank()) {
            return new Decoded.Unusable("device_id is required: the device's identifier");
        }
        JsonNode location = root.path("location");
        if (!location.isObject()) {
            return new Decoded.Unusable("location must be one location object (batches are not supported)");
        }
        JsonNode coords = location.path("coords");
        try {
            Double lat = number(coords, "latitude");
            Double lon = number(coords, "longitude");
            if (lat == null || lon == null) {
                throw new IllegalArgumentException("location.coords needs latitude and longitude");
            }
            return new Decoded.Report(new PositionReport(
                    null,
                    deviceId.asString().strip(),
                    time(location.path("timestamp"), receivedAt),
                    lon,
                    lat,
                    number(coords, "altitude"),
                    Readings.known(number(coords, "accuracy")),
                    Readings.known(number(coords, "speed")),
                    Readings.heading(number(coords, "heading")),
                    attributes(location),
                    null));
        } catch (IllegalArgumentException e) {
            return new Decoded.Unusable(String.valueOf(e.getMessage()));
        }
    }

    private static double[] latLon(Map<String, List<String>> parameters) {
        String lat = first(parameters, "lat");
        String lon = first(parameters, "lon");
        if (lat != null || lon != null) {
            if (lat == null || lon == null) {
                throw new IllegalArgumentException("lat and lon are required");
            }
            return new double[] {parse("lat", lat), parse("lon", lon)};
        }
        String location = first(parameters, "location");
        if (location == null) {
            throw new IllegalArgumentException("lat and lon are required");
        }
        String[] parts = location.split(",", -1);
        if (parts.length != 2) {
            throw new IllegalArgumentException("location '" + location + "' is not <lat>,<lon>");
        }
        return new double[] {parse("location latitude", parts[0]), parse("location longitude", parts[1])};
    }

    private static Instant time(JsonNode timestamp, Instant receivedAt) {
        if (timestamp.isMissingNode() || timestamp.isNull()) {
            return receivedAt;
        }
        if (!timestamp.isString()) {
            throw new IllegalArgumentException("timestamp must be an ISO 8601 time");
        }
        return time(timestamp.asString());
    }

    /** Epoch seconds, epoch milliseconds (above 10^12), ISO 8601, or {@code yyyy-MM-dd HH:mm:ss} in UTC. */
    private static Instant time(String value) {
        String text = value.strip();
        if (EPOCH_TIME.matcher(text).matches()) {
            long number = Long.parseLong(text);
            return number > MILLISECONDS_ABOVE ? Instant.ofEpochMilli(number) : Instant.ofEpochSecond(number);
        }
        try {
            TemporalAccessor parsed = DateTimeFormatter.ISO_DATE_TIME.parseBest(
                    text.replace(' ', 'T'), ZonedDateTime::from, LocalDateTime::from);
            return parsed instanceof ZonedDateTime zoned
                    ? zoned.toInstant()
                    : ((LocalDateTime) parsed).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(
                    "timestamp '" + value + "' is neither epoch seconds, epoch milliseconds nor an ISO 8601 time");
        }
    }

    private static @Nullable String first(Map<String, List<String>> parameters, String name) {
        List<String> values = parameters.get(name);
        return values == null || values.isEmpty() ? null : values.getFirst();
    }

    private static @Nullable Double number(Map<String, List<String>> parameters, String name) {
        String value = first(parameters, name);
        return value == null || value.isBlank() ? null : parse(name, value);
    }

    private static double parse(String name, String value) {
        if (!Readings.NUMBER.matcher(value.strip()).matches()) {
            throw new IllegalArgumentException(name + " '" + value + "' is not a number");
        }
        return Double.parseDouble(value.strip());
    }

    private static @Nullable Double number(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isNumber()) {
            throw new IllegalArgumentException(field + " must be a number");
        }
        return JsonNumbers.toDouble(value);
    }

    private static Map<String, Object> attributes(Map<String, List<String>> parameters) {
        Map<String, Object> attributes = new LinkedHashMap<>();
        parameters.forEach((name, values) -> {
            if (FIELDS.contains(name) || values.isEmpty()) {
                return;
            }
            List<Object> typed = new ArrayList<>();
            values.forEach(value -> typed.add(typed(value)));
            attributes.put(name, typed.size() == 1 ? typed.getFirst() : typed);
        });
        return attributes;
    }

    /** A parameter's value as a JSON value: a number, a boolean, or else the text itself. */
    private static Object typed(String value) {
        if (INTEGER.matcher(value).matches()) {
            return Long.parseLong(value);
        }
        if (DECIMAL.matcher(value).matches() && Double.isFinite(Double.parseDouble(value))) {
            return Double.parseDouble(value);
        }
        return switch (value) {
            case "true" -> true;
            case "false" -> false;
            default -> value;
        };
    }

    private static Map<String, Object> attributes(JsonNode location) {
        Map<String, Object> attributes = new LinkedHashMap<>();
        JsonNode extras = location.path("extras");
        if (extras.isObject()) {
            for (var extra : extras.properties()) {
                attributes.put(extra.getKey(), JSON.treeToValue(extra.getValue(), Object.class));
            }
        }
        for (String field : List.of("event", "is_moving", "odometer", "mock")) {
            JsonNode value = location.get(field);
            if (value != null && value.isValueNode() && !value.isNull()) {
                attributes.put(field, JSON.treeToValue(value, Object.class));
            }
        }
        JsonNode activity = location.path("activity").path("type");
        if (activity.isString()) {
            attributes.put("activity", activity.asString());
        }
        JsonNode battery = location.path("battery");
        JsonNode level = battery.path("level");
        if (level.isNumber() && Double.isFinite(JsonNumbers.toDouble(level)) && JsonNumbers.toDouble(level) >= 0) {
            attributes.put("batt", Math.round(JsonNumbers.toDouble(level) * 100));
        }
        JsonNode charging = battery.path("is_charging");
        if (charging.isBoolean()) {
            attributes.put("charge", charging.asBoolean());
        }
        return attributes;
    }
}
