package io.sextant.tracking.protocol;

import io.sextant.shared.JsonNumbers;
import io.sextant.tracking.PositionReport;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads the three batch formats of {@code POST /api/v1/positions} (and of MQTT messages, {@link
 * #message}) into {@link PositionReport}s, item by item from the stream (a JSON array and NDJSON are
 * never held whole). An item that cannot be read becomes a report carrying the reason, so the batch
 * still answers for every item; a body that is not the format at all is {@link Malformed} (HTTP
 * answers 400), more items than the limit {@link TooManyPositions} (413).
 */
public final class PositionFormats {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    // Reads one element at a time out of a larger document, so what follows an element is expected.
    private static final JsonMapper ELEMENTS = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();
    private static final Set<String> FIELDS = Set.of(
            "assetId", "externalId", "time", "lon", "lat", "altitude", "accuracy", "speed", "heading", "attributes");

    private PositionFormats() {}

    /** A JSON array of position objects. */
    public static List<PositionReport> jsonArray(InputStream body, int maxItems) throws IOException {
        List<PositionReport> reports = new ArrayList<>();
        try (JsonParser parser = ELEMENTS.createParser(body)) {
            if (parser.nextToken() != JsonToken.START_ARRAY) {
                throw malformed("the body must be a JSON array of positions");
            }
            while (parser.nextToken() != JsonToken.END_ARRAY) {
                checkCount(reports.size(), maxItems);
                reports.add(readObject(parser));
            }
        } catch (JacksonException e) {
            throw new Malformed("the body is not valid JSON: " + e.getOriginalMessage(), e);
        }
        return reports;
    }

    /** Newline-delimited JSON: one position object per line; blank lines are skipped. */
    public static List<PositionReport> ndjson(InputStream body, int maxItems) throws IOException {
        List<PositionReport> reports = new ArrayList<>();
        BufferedReader reader = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8));
        String line;
        int lineNumber = 0;
        while ((line = reader.readLine()) != null) {
            lineNumber++;
            if (line.isBlank()) {
                continue;
            }
            checkCount(reports.size(), maxItems);
            try {
                reports.add(fromObject(JSON.readTree(line)));
            } catch (JacksonException e) {
                reports.add(PositionReport.unreadable("line " + lineNumber + " is not a JSON object"));
            }
        }
        return reports;
    }

    /** A GeoJSON FeatureCollection of Point features (RFC 7946); properties carry the rest. */
    public static List<PositionReport> geoJson(InputStream body, int maxItems) throws IOException {
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (JacksonException e) {
            throw new Malformed("the body is not valid JSON: " + e.getOriginalMessage(), e);
        }
        if (root == null
                || !"FeatureCollection".equals(text(root, "type"))
                || !root.path("features").isArray()) {
            throw malformed("the body must be a GeoJSON FeatureCollection");
        }
        List<PositionReport> reports = new ArrayList<>();
        for (JsonNode feature : root.get("features")) {
            checkCount(reports.size(), maxItems);
            reports.add(fromFeature(feature));
        }
        return reports;
    }

    /**
     * One element of a JSON array read straight from the parser, without a tree: the values of the
     * known fields are collected as they come, then judged exactly as {@link #fromObject} judges a
     * tree (same order, same messages; {@code PositionFormatsProperties} compares the two). Only
     * {@code attributes} becomes a tree, as its map needs one. Ingest reads one per position.
     */
    public static PositionReport readObject(JsonParser parser) {
        if (parser.currentToken() != JsonToken.START_OBJECT) {
            parser.skipChildren();
            return PositionReport.unreadable("not a JSON object");
        }
        Object[] values = new Object[SCALARS.size()];
        @Nullable JsonNode attributes = null;
        while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
            String name = parser.currentName();
            JsonToken token = parser.nextToken();
            if ("attributes".equals(name)) {
                attributes = ELEMENTS.readTree(parser);
                continue;
            }
            Integer slot = SCALARS.get(name);
            if (slot == null) {
                parser.skipChildren();
                continue;
            }
            values[slot] = switch (token) {
                case VALUE_NULL -> JSON_NULL;
                case VALUE_STRING -> parser.getString();
                case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> parser.getDoubleValue();
                default -> {
                    parser.skipChildren();
                    yield OTHER;
                }
            };
        }
        try {
            Map<String, Object> read = attributes != null ? attributes(attributes) : Map.of();
            UUID asset = uuid("assetId", text(values, "assetId"));
            String externalId = text(values, "externalId");
            Instant eventTime = time("time", text(values, "time"));
            return new PositionReport(
                    asset,
                    externalId,
                    eventTime,
                    number(values, "lon"),
                    number(values, "lat"),
                    number(values, "altitude"),
                    number(values, "accuracy"),
                    number(values, "speed"),
                    number(values, "heading"),
                    read,
                    null);
        } catch (IllegalArgumentException e) {
            return PositionReport.unreadable(String.valueOf(e.getMessage()));
        }
    }

    private static final Map<String, Integer> SCALARS = Map.of(
            "assetId",
            0,
            "externalId",
            1,
            "time",
            2,
            "lon",
            3,
            "lat",
            4,
            "altitude",
            5,
            "accuracy",
            6,
            "speed",
            7,
            "heading",
            8);
    private static final Object JSON_NULL = new Object();
    private static final Object OTHER = new Object();

    private static @Nullable String text(Object[] values, String field) {
        Object value = values[java.util.Objects.requireNonNull(SCALARS.get(field), field)];
        if (value == null || value == JSON_NULL) {
            return null;
        }
        if (!(value instanceof String text)) {
            throw new IllegalArgumentException(field + " must be a string");
        }
        return text;
    }

    private static @Nullable Double number(Object[] values, String field) {
        Object value = values[java.util.Objects.requireNonNull(SCALARS.get(field), field)];
        if (value == null || value == JSON_NULL) {
            return null;
        }
        if (!(value instanceof Double number)) {
            throw new IllegalArgumentException(field + " must be a number");
        }
        return number;
    }

    public static PositionReport fromObject(JsonNode item) {
        if (!item.isObject()) {
            return PositionReport.unreadable("not a JSON object");
        }
        try {
            Map<String, Object> attributes = item.has("attributes") ? attributes(item.get("attributes")) : Map.of();
            return new PositionReport(
                    uuid(item, "assetId"),
                    text(item, "externalId"),
                    time(item, "time"),
                    number(item, "lon"),
                    number(item, "lat"),
                    number(item, "altitude"),
                    number(item, "accuracy"),
                    number(item, "speed"),
                    number(item, "heading"),
                    attributes,
                    null);
        } catch (IllegalArgumentException e) {
            return PositionReport.unreadable(String.valueOf(e.getMessage()));
        }
    }

    private static PositionReport fromFeature(JsonNode feature) {
        if (!"Feature".equals(text(feature, "type"))) {
            return PositionReport.unreadable("not a GeoJSON Feature");
        }
        JsonNode geometry = feature.path("geometry");
        JsonNode coordinates = geometry.path("coordinates");
        if (!"Point".equals(text(geometry, "type")) || !coordinates.isArray() || coordinates.size() < 2) {
            return PositionReport.unreadable("geometry must be a GeoJSON Point [lon, lat] or [lon, lat, altitude]");
        }
        JsonNode properties = feature.path("properties");
        if (!properties.isObject()) {
            return PositionReport.unreadable("properties must name the asset and the time");
        }
        try {
            Map<String, Object> attributes = new LinkedHashMap<>();
            if (properties.has("attributes")) {
                attributes.putAll(attributes(properties.get("attributes")));
            }
            for (var entry : properties.properties()) {
                if (!FIELDS.contains(entry.getKey())) {
                    attributes.put(entry.getKey(), JSON.treeToValue(entry.getValue(), Object.class));
                }
            }
            return new PositionReport(
                    uuid(properties, "assetId"),
                    text(properties, "externalId"),
                    time(properties, "time"),
                    coordinate(coordinates.get(0), "longitude"),
                    coordinate(coordinates.get(1), "latitude"),
                    coordinates.size() > 2
                            ? coordinate(coordinates.get(2), "altitude")
                            : number(properties, "altitude"),
                    number(properties, "accuracy"),
                    number(properties, "speed"),
                    number(properties, "heading"),
                    attributes,
                    null);
        } catch (IllegalArgumentException e) {
            return PositionReport.unreadable(String.valueOf(e.getMessage()));
        }
    }

    private static void checkCount(int count, int maxItems) {
        if (count >= maxItems) {
            throw new TooManyPositions("a batch holds at most " + maxItems + " positions; split it");
        }
    }

    private static Malformed malformed(String detail) {
        return new Malformed(detail, null);
    }

    /**
     * One MQTT message's payload, whichever of the formats it is: a JSON array of positions, a
     * single position object, a GeoJSON FeatureCollection or a single Point Feature, or NDJSON (a
     * message has no content type to tell them apart, so the first character and {@code type} do).
     */
    public static List<PositionReport> message(byte[] payload, int maxItems) throws IOException {
        int first = 0;
        while (first < payload.length && Character.isWhitespace(payload[first])) {
            first++;
        }
        if (first == payload.length) {
            throw malformed("the message is empty");
        }
        if (payload[first] == '[') {
            return jsonArray(new java.io.ByteArrayInputStream(payload), maxItems);
        }
        if (payload[first] == '{') {
            JsonNode root;
            try {
                root = JSON.readTree(payload);
            } catch (JacksonException e) {
                // Several objects, one per line: NDJSON.
                return ndjson(new java.io.ByteArrayInputStream(payload), maxItems);
            }
            if (root != null && "FeatureCollection".equals(text(root, "type"))) {
                return geoJson(new java.io.ByteArrayInputStream(payload), maxItems);
            }
            if (root != null && "Feature".equals(text(root, "type"))) {
                return List.of(fromFeature(root));
            }
            return List.of(fromObject(java.util.Objects.requireNonNull(root)));
        }
        throw malformed("the message is no JSON object, array or NDJSON");
    }

    /** A body or message that is not the format at all. */
    public static final class Malformed extends RuntimeException {

        private static final long serialVersionUID = 1L;

        Malformed(String detail, @Nullable Throwable cause) {
            super(detail, cause);
        }
    }

    /** More positions than one batch may hold. */
    public static final class TooManyPositions extends RuntimeException {

        private static final long serialVersionUID = 1L;

        TooManyPositions(String detail) {
            super(detail);
        }
    }

    private static @Nullable String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isString()) {
            throw new IllegalArgumentException(field + " must be a string");
        }
        return value.asString();
    }

    private static @Nullable UUID uuid(JsonNode node, String field) {
        return uuid(field, text(node, field));
    }

    private static @Nullable UUID uuid(String field, @Nullable String value) {
        if (value == null) {
            return null;
        }
        try {
            return UUID.fromString(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(field + " '" + value + "' is not a UUID");
        }
    }

    private static @Nullable Instant time(JsonNode node, String field) {
        return time(field, text(node, field));
    }

    private static @Nullable Instant time(String field, @Nullable String value) {
        if (value == null) {
            return null;
        }
        try {
            return Rfc3339.parse(value);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(field + " '" + value + "' is not an RFC 3339 timestamp");
        }
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

    private static Double coordinate(JsonNode value, String what) {
        if (value == null || !value.isNumber()) {
            throw new IllegalArgumentException(what + " must be a number");
        }
        return JsonNumbers.toDouble(value);
    }

    private static Map<String, Object> attributes(JsonNode value) {
        if (!value.isObject()) {
            throw new IllegalArgumentException("attributes must be a JSON object");
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> map = JSON.treeToValue(value, Map.class);
        return map;
    }
}
