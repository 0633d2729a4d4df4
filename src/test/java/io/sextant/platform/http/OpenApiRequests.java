package io.sextant.platform.http;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Requests for the operations of an OpenAPI document, drawn from a seeded {@link Random}: path,
 * query and header parameters and JSON bodies derived from the document's schemas, each either
 * plausible or hostile (NUL, invalid UTF-8 escapes, huge numbers, far-future and negative
 * instants, wrong types, empty and very long strings, unicode), bodies mutated (nulls in arrays
 * and objects, wrong types, missing and extra members, deep nesting, huge numbers) or replaced,
 * and sent with wrong content types (multipart without a boundary, text/plain, none).
 */
final class OpenApiRequests {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final String DEEP = "__deep__";

    /** Strings that have broken servers before; each is sent as a value of every kind. */
    private static final List<String> HOSTILE = List.of(
            "",
            " ",
            "\u0000",
            "a\u0000b",
            "\u00ff\u00fe",
            "\uffff",
            "\ud83d\ude00",
            "é€𝔘",
            "a".repeat(5_000),
            "'; drop table asset; --",
            "../../etc/passwd",
            "<script>alert(1)</script>",
            "null",
            "true",
            "-1",
            "0",
            "1e309",
            "NaN",
            "-Infinity",
            "99999999999999999999999999999999",
            "+999999999-12-31T23:59:59Z",
            "-999999999-01-01T00:00:00Z",
            "-0001-01-01T00:00:00Z",
            "0000-01-01T00:00:00Z",
            "9999-12-31T23:59:59.999999999Z",
            "+10000-01-01T00:00:00Z",
            "2026-02-30T25:61:00Z",
            "1970-01-01T00:00:00Z",
            "P999999999D",
            "PT-1S",
            "-PT1H",
            "PT9223372036854775807S",
            "P106751991167300D",
            "PT0S",
            "00000000-0000-0000-0000-000000000000",
            "{}",
            "[]",
            ",,,",
            "1,2,3,4",
            "-180,-90,180,90",
            "181,91,-181,-91",
            "NaN,0,1,1",
            "AAAA",
            "////",
            Base64.getUrlEncoder().encodeToString("\u0000\u0000{\"x\":1}".getBytes(StandardCharsets.UTF_8)),
            // Cursors as the API encodes them, holding values it never would.
            cursor("+999999999-12-31T23:59:59Z|00000000-0000-0000-0000-000000000000"),
            cursor("-999999999-01-01T00:00:00Z|01a2056c-8720-756b-b54a-068b601cfe97"),
            cursor("9223372036854775807"),
            cursor("-1"),
            cursor("\u0000"),
            "*",
            "\"1\"",
            "W/\"1\"",
            "%00",
            "sextant.zone.*",
            "https://hooks.invalid/x",
            "http://169.254.169.254/latest",
            "http://[2002:a9fe:a9fe::]/");

    /** Percent-escapes a URI accepts but that decode to NUL, invalid UTF-8, a slash or a surrogate. */
    private static final List<String> RAW_ESCAPES =
            List.of("%00", "%FF%FE", "%2F", "%C0%80", "%ED%A0%80", "%25", "%2e%2e", "%3B", "%5C", "%E2%82");

    /** Bytes (one char each) no HTTP client sends in a request line or header; CR and LF excepted. */
    private static final List<String> RAW_BYTES = List.of(
            "\u0000",
            "\u00ff\u00fe",
            " ",
            "\t",
            "\u007f",
            "\u0001",
            "%",
            "%zz",
            "%G0",
            "\\",
            "\u00e2\u0082\u00ac",
            "\u00c3\u00a9",
            "\u00c0\u0080",
            "#frag",
            "{}|^`\"<>");

    private static final List<String> CONTENT_TYPES = List.of(
            "multipart/form-data",
            "multipart/form-data; boundary=fuzz",
            "text/plain",
            "application/x-www-form-urlencoded",
            "application/xml",
            "application/json; charset=nonsense",
            "application/merge-patch+json",
            "application/x-ndjson",
            "application/geo+json",
            "*/*",
            "garbage",
            "application/json;;;=",
            "");

    private static final List<String> ACCEPTS = List.of(
            "text/html",
            "application/xml",
            "*/*",
            "application/problem+json",
            "text/event-stream",
            "garbage",
            "application/json;q=0",
            "image/png, text/html;q=0.9");

    private static final List<String> WHOLE_BODIES = List.of(
            "",
            "null",
            "[]",
            "{}",
            "\"text\"",
            "123",
            "{",
            "[1, 2",
            "{\"a\": \"\\u0000\"}",
            "{\"\\u0000\": 1}",
            "[null]",
            "[{}]",
            "[[[[]]]]",
            "{\"a\": 1, \"a\": 2}",
            "{\"type\": \"FeatureCollection\", \"features\": [null]}",
            "[" + "[".repeat(5_000) + "]".repeat(5_000) + "]",
            "{\"x\": " + "9".repeat(2_000) + "}",
            "\ufeff{\"name\": \"bom\"}");

    /** One operation of the document. */
    record Operation(
            String method,
            String path,
            List<JsonNode> parameters,
            @Nullable JsonNode requestBody) {

        String key() {
            return method + " " + path;
        }

        boolean ingest() {
            return path.startsWith("/ingest/");
        }
    }

    /** One request to send: the target is the raw path and query, already escaped. */
    record Request(String method, String target, Map<String, String> headers, byte @Nullable [] body) {

        String describe() {
            String text = body == null ? "" : new String(body, StandardCharsets.UTF_8);
            if (text.length() > 600) {
                text = text.substring(0, 600) + "…(" + body.length + " bytes)";
            }
            Map<String, String> shown = new LinkedHashMap<>(headers);
            shown.computeIfPresent("Authorization", (name, value) -> value.substring(0, Math.min(value.length(), 12)));
            return method + " " + abbreviate(target) + " " + shown + (text.isEmpty() ? "" : " body=" + text);
        }

        private static String abbreviate(String text) {
            return text.length() > 400 ? text.substring(0, 400) + "…" : text;
        }
    }

    /** What the generator knows of the tenant it acts in: ids of real resources, its credentials. */
    record Fixture(
            String tenantId,
            Map<String, List<String>> ids,
            String tenantAdminToken,
            String ingestKey,
            String platformAdminToken) {}

    private final JsonNode document;
    private final Fixture fixture;
    private final Random random;

    OpenApiRequests(JsonNode document, Fixture fixture, Random random) {
        this.document = document;
        this.fixture = fixture;
        this.random = random;
    }

    /** Every operation of the document, in its order. */
    static List<Operation> operations(JsonNode document) {
        List<Operation> operations = new ArrayList<>();
        for (var path : document.path("paths").properties()) {
            for (var entry : path.getValue().properties()) {
                String method = entry.getKey().toUpperCase(java.util.Locale.ROOT);
                if (!List.of("GET", "POST", "PUT", "PATCH", "DELETE").contains(method)) {
                    continue;
                }
                List<JsonNode> parameters = new ArrayList<>();
                path.getValue().path("parameters").forEach(parameters::add);
                entry.getValue().path("parameters").forEach(parameters::add);
                JsonNode body = entry.getValue().get("requestBody");
                operations.add(new Operation(method, path.getKey(), parameters, body));
            }
        }
        return operations;
    }

    Request next(Operation operation) {
        Map<String, String> headers = new LinkedHashMap<>();
        authenticate(operation, headers);
        String path = operation.path();
        List<String> query = new ArrayList<>();
        for (JsonNode parameter : operation.parameters()) {
            JsonNode p = resolve(parameter);
            String name = p.path("name").asString();
            String in = p.path("in").asString();
            JsonNode schema = resolve(p.path("schema"));
            switch (in) {
                case "path" -> path = path.replace("{" + name + "}", pathValue(operation, name, schema));
                case "query" -> {
                    if (chance(p.path("required").asBoolean(false) ? 0.9 : 0.5)) {
                        query.addAll(queryValues(name, schema));
                    }
                }
                case "header" -> {
                    if (chance(0.5)) {
                        header(headers, name, chance(0.6) ? plausibleString(name, schema) : hostile());
                    }
                }
                default -> {}
            }
        }
        query.addAll(protocolParameters(operation));
        if (chance(0.05)) {
            query.add("zzz=" + escape(hostile()));
        }
        if (chance(0.05) && !query.isEmpty()) {
            query.add(query.get(random.nextInt(query.size())));
        }
        if (chance(0.05)) {
            query.add("q=" + pick(RAW_ESCAPES));
        }
        if (chance(0.15)) {
            headers.put("Accept", pick(ACCEPTS));
        }
        if (operation.method().equals("POST") && chance(0.1)) {
            header(headers, "Idempotency-Key", chance(0.5) ? "fuzz-" + random.nextInt(1_000_000) : hostile());
        }
        if (chance(0.05)) {
            header(headers, "X-Request-Id", hostile());
        }
        byte[] body = body(operation, headers);
        String target = path + (query.isEmpty() ? "" : "?" + String.join("&", query));
        return new Request(operation.method(), target, headers, body);
    }

    /** Like {@link #next}, with raw bytes in a path segment, the query or a header value. */
    Request nextRaw(Operation operation) {
        Request request = next(operation);
        String bytes = pick(RAW_BYTES);
        String target = request.target();
        Map<String, String> headers = new LinkedHashMap<>(request.headers());
        switch (random.nextInt(3)) {
            case 0 -> {
                int query = target.indexOf('?');
                String path = query < 0 ? target : target.substring(0, query);
                String[] segments = path.split("/", -1);
                int at = 1 + random.nextInt(segments.length - 1);
                segments[at] = segments[at] + bytes;
                target = String.join("/", segments) + (query < 0 ? "" : target.substring(query));
            }
            case 1 -> target = target + (target.contains("?") ? "&" : "?") + "raw=" + bytes;
            default ->
                headers.put(
                        pick(List.of(
                                "X-Limit-U", "X-Request-Id", "Idempotency-Key", "If-Match", "Last-Event-ID", "X-Fuzz")),
                        "a" + bytes);
        }
        return new Request(request.method(), target, headers, request.body());
    }

    // --- credentials -------------------------------------------------------------------------

    private void authenticate(Operation operation, Map<String, String> headers) {
        double roll = random.nextDouble();
        if (roll < 0.05) {
            return;
        }
        if (roll < 0.08) {
            headers.put("Authorization", "Bearer " + pick(List.of("x.y.z", "sxk_nothing", "", "\u00ff\u00fe")));
            return;
        }
        if (roll < 0.1) {
            headers.put("Authorization", "Basic " + Base64.getEncoder().encodeToString("a:b".getBytes()));
            return;
        }
        if (operation.ingest()) {
            headers.put("Authorization", "Bearer " + fixture.ingestKey());
        } else if (operation.path().startsWith("/api/v1/tenants") && roll < 0.3) {
            headers.put("Authorization", "Bearer " + fixture.platformAdminToken());
        } else {
            headers.put("Authorization", "Bearer " + fixture.tenantAdminToken());
        }
    }

    // --- parameters --------------------------------------------------------------------------

    private String pathValue(Operation operation, String name, JsonNode schema) {
        double roll = random.nextDouble();
        if (roll < 0.5) {
            String known = knownId(operation.path(), name);
            if (known != null) {
                return known;
            }
        }
        if (roll < 0.8) {
            return "uuid".equals(schema.path("format").asString()) ? uuid() : "fuzz-" + roll;
        }
        return chance(0.5) ? pick(RAW_ESCAPES) + "x" : escape(hostile());
    }

    private @Nullable String knownId(String path, String name) {
        if (name.equals("tenantId") || path.startsWith("/api/v1/tenants/{id}")) {
            return fixture.tenantId();
        }
        String[] segments = path.split("/");
        String kind = name.equals("assetId") ? "assets" : segments.length > 3 ? segments[3] : "";
        List<String> ids = fixture.ids().getOrDefault(kind, List.of());
        return ids.isEmpty() || name.equals("deliveryId") ? null : pick(ids);
    }

    private List<String> queryValues(String name, JsonNode schema) {
        List<String> values = new ArrayList<>();
        boolean array = "array".equals(type(schema));
        JsonNode items = array ? resolve(schema.path("items")) : schema;
        int count = array ? 1 + random.nextInt(3) : 1;
        for (int i = 0; i < count; i++) {
            String value = chance(0.6) ? plausibleString(name, items) : hostile();
            values.add(escape(name) + "=" + (chance(0.03) ? pick(RAW_ESCAPES) : escape(value)));
        }
        return values;
    }

    /** The tracker protocols take their data as parameters the document does not list. */
    private List<String> protocolParameters(Operation operation) {
        if (!operation.path().equals("/ingest/osmand") || chance(0.3)) {
            return List.of();
        }
        Map<String, Supplier<String>> fields = new LinkedHashMap<>();
        fields.put("id", () -> "fuzz-device");
        fields.put("lat", () -> String.valueOf(52.5 + random.nextDouble() / 100));
        fields.put("lon", () -> String.valueOf(13.4 + random.nextDouble() / 100));
        fields.put("timestamp", () -> String.valueOf(Instant.now().getEpochSecond()));
        fields.put("speed", () -> "12.5");
        fields.put("bearing", () -> "90");
        fields.put("altitude", () -> "35");
        fields.put("accuracy", () -> "5");
        fields.put("batt", () -> "80");
        List<String> parameters = new ArrayList<>();
        fields.forEach((name, value) -> {
            if (chance(0.8)) {
                parameters.add(name + "=" + escape(chance(0.75) ? value.get() : hostile()));
            }
        });
        return parameters;
    }

    private void header(Map<String, String> headers, String name, String value) {
        // What a client puts on the wire for a non-Latin-1 value: its UTF-8 bytes, one char each.
        String wire = new String(value.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
        if (wire.chars().anyMatch(c -> c < 0x20 || c == 0x7f) || wire.length() > 4_000) {
            return; // not sendable by the HTTP client; the raw-socket cases cover these
        }
        headers.put(name, wire);
    }

    private String plausibleString(String name, JsonNode schema) {
        JsonNode values = schema.path("enum");
        if (values.isArray() && !values.isEmpty()) {
            return values.get(random.nextInt(values.size())).asString();
        }
        String lower = name.toLowerCase(java.util.Locale.ROOT);
        String format = schema.path("format").asString("");
        return switch (format) {
            case "uuid" -> uuid();
            case "date-time" -> instant();
            case "duration" -> duration();
            default ->
                switch (lower) {
                    case "from", "at", "asof", "expiresat", "time" -> instant();
                    case "to" -> Instant.now().plus(1, ChronoUnit.HOURS).toString();
                    case "maxstaleness", "staleafter", "speedminduration", "positionretention", "dwell" -> duration();
                    case "bbox" -> pick(List.of("2.2,48.8,2.5,48.9", "13.3,52.4,13.5,52.6", "170,-20,-170,-10"));
                    case "near" -> pick(List.of("2.35,48.85", "13.4,52.5"));
                    case "type" -> pick(List.of("vehicle", "sextant.zone.entered", "person"));
                    case "tag", "tags", "assettag", "zonetag" -> pick(List.of("north", "depot"));
                    case "order" -> pick(List.of("asc", "desc"));
                    case "groupby" -> "asset";
                    case "format" -> pick(List.of("linestring", "points"));
                    case "status" -> pick(List.of("queued", "dead", "succeeded", "failed", "pending"));
                    case "kind" -> "delivery";
                    case "limit", "k" -> String.valueOf(1 + random.nextInt(100));
                    case "radius", "tolerance" -> String.valueOf(random.nextInt(5_000));
                    case "cursor" -> Base64.getUrlEncoder().encodeToString(("fuzz" + random.nextInt()).getBytes());
                    case "if-match", "if-none-match" -> pick(List.of("\"1\"", "\"2\"", "*", "W/\"1\""));
                    case "last-event-id", "lasteventid", "id", "assetid", "zoneid" -> uuid();
                    case "x-limit-u", "x-limit-d" -> pick(List.of("alice", "phone", "josé", "€"));
                    case "name" -> "fuzz " + random.nextInt(1_000);
                    default -> scalarFor(schema);
                };
        };
    }

    private String scalarFor(JsonNode schema) {
        return switch (type(schema)) {
            case "integer" -> String.valueOf(random.nextInt(200) - 20);
            case "number" -> String.valueOf(random.nextDouble() * 1_000);
            case "boolean" -> String.valueOf(random.nextBoolean());
            default -> "fuzz" + random.nextInt(1_000);
        };
    }

    private String instant() {
        return Instant.now()
                .minus(random.nextInt(48 * 60), ChronoUnit.MINUTES)
                .truncatedTo(ChronoUnit.SECONDS)
                .toString();
    }

    private String duration() {
        return pick(List.of("PT15M", "PT1H", "P1D", "PT30S", "P30D"));
    }

    /** A UUID from the seeded source, so a seed replays the same requests. */
    private String uuid() {
        return new UUID(random.nextLong(), random.nextLong()).toString();
    }

    private String hostile() {
        return pick(HOSTILE);
    }

    // --- bodies ------------------------------------------------------------------------------

    private byte @Nullable [] body(Operation operation, Map<String, String> headers) {
        JsonNode schema = bodySchema(operation);
        boolean takesBody = schema != null || protocolBody(operation) != null;
        if (!takesBody && !chance(0.1)) {
            return null;
        }
        String contentType = chance(0.7) ? jsonContentType(operation) : pick(CONTENT_TYPES);
        if (!contentType.isEmpty()) {
            headers.put("Content-Type", contentType);
        }
        if (chance(0.12)) {
            return pick(WHOLE_BODIES).getBytes(StandardCharsets.UTF_8);
        }
        if (chance(0.03)) {
            return new byte[] {(byte) 0xff, (byte) 0xfe, '{', 0, '}', (byte) 0xc0, (byte) 0x80};
        }
        JsonNode protocol = protocolBody(operation);
        JsonNode value = protocol != null ? protocol : schema != null ? generate(schema, "body", 0) : anyValue(0);
        int mutations = random.nextInt(4);
        for (int i = 0; i < mutations; i++) {
            value = mutate(value);
        }
        String text = JSON.writeValueAsString(value);
        String deep = "[".repeat(3_000) + "]".repeat(3_000);
        return text.replace("\"" + DEEP + "\"", deep).getBytes(StandardCharsets.UTF_8);
    }

    private String jsonContentType(Operation operation) {
        JsonNode content = resolve(operation.requestBody() == null ? NODES.missingNode() : operation.requestBody())
                .path("content");
        List<String> types = new ArrayList<>();
        content.propertyNames().forEach(types::add);
        if (operation.path().equals("/api/v1/positions")) {
            types.addAll(List.of("application/json", "application/x-ndjson", "application/geo+json"));
        }
        return types.isEmpty() ? "application/json" : pick(types);
    }

    private @Nullable JsonNode bodySchema(Operation operation) {
        if (operation.requestBody() == null) {
            return null;
        }
        JsonNode content = resolve(operation.requestBody()).path("content");
        for (var entry : content.properties()) {
            if (entry.getKey().contains("json")) {
                return resolve(entry.getValue().path("schema"));
            }
        }
        return null;
    }

    /** Plausible bodies for the endpoints that read their body themselves, in their own format. */
    private @Nullable JsonNode protocolBody(Operation operation) {
        long now = Instant.now().getEpochSecond() - random.nextInt(3_600);
        return switch (operation.key()) {
            case "POST /api/v1/positions" -> {
                ArrayNode positions = NODES.arrayNode();
                int size = 1 + random.nextInt(3);
                for (int i = 0; i < size; i++) {
                    positions.add(
                            JSON.readTree("{\"externalId\":\"fuzz-1\",\"time\":\"" + Instant.ofEpochSecond(now - i)
                                    + "\",\"lon\":13.4,\"lat\":52.5,\"speed\":3.5,\"heading\":90,"
                                    + "\"attributes\":{\"ignition\":true}}"));
                }
                yield positions;
            }
            case "POST /ingest/owntracks" ->
                JSON.readTree("{\"_type\":\"location\",\"tid\":\"fz\",\"lat\":52.5,\"lon\":13.4,\"tst\":" + now
                        + ",\"acc\":5,\"batt\":80,\"vel\":20,\"cog\":90,\"topic\":\"owntracks/fuzz/phone\"}");
            case "POST /ingest/osmand" ->
                JSON.readTree("{\"device_id\":\"fuzz-device\",\"location\":{\"timestamp\":\""
                        + Instant.ofEpochSecond(now)
                        + "\",\"coords\":{\"latitude\":52.5,\"longitude\":13.4,\"speed\":3,\"heading\":90},"
                        + "\"battery\":{\"level\":0.8}}}");
            default -> null;
        };
    }

    private JsonNode generate(JsonNode schema, String name, int depth) {
        JsonNode known = knownShape(name);
        if (known != null && chance(0.8)) {
            return known;
        }
        JsonNode s = resolve(schema);
        if (s.has("oneOf") || s.has("anyOf")) {
            JsonNode options = s.has("oneOf") ? s.get("oneOf") : s.get("anyOf");
            return generate(options.get(random.nextInt(options.size())), name, depth);
        }
        if (s.has("allOf")) {
            ObjectNode merged = NODES.objectNode();
            for (JsonNode part : s.get("allOf")) {
                JsonNode value = generate(part, name, depth);
                if (value instanceof ObjectNode object) {
                    merged.setAll(object);
                }
            }
            return merged;
        }
        if (s.has("const")) {
            return s.get("const");
        }
        if (s.path("enum").isArray() && !s.path("enum").isEmpty()) {
            return s.get("enum").get(random.nextInt(s.get("enum").size()));
        }
        return switch (type(s)) {
            case "object" -> {
                ObjectNode object = NODES.objectNode();
                List<String> required = new ArrayList<>();
                s.path("required").forEach(r -> required.add(r.asString()));
                for (var property : s.path("properties").properties()) {
                    if (depth < 6 && (required.contains(property.getKey()) || chance(0.75))) {
                        object.set(property.getKey(), generate(property.getValue(), property.getKey(), depth + 1));
                    }
                }
                JsonNode additional = s.path("additionalProperties");
                if (additional.isObject() && depth < 6 && chance(0.5)) {
                    int size = 1 + random.nextInt(2);
                    for (int i = 0; i < size; i++) {
                        object.set("k" + random.nextInt(100), generate(additional, "value", depth + 1));
                    }
                }
                yield object;
            }
            case "array" -> {
                ArrayNode array = NODES.arrayNode();
                int size = depth < 6 ? random.nextInt(4) : 0;
                for (int i = 0; i < size; i++) {
                    array.add(generate(s.path("items"), name, depth + 1));
                }
                yield array;
            }
            case "string" -> NODES.stringNode(plausibleString(name, s));
            case "integer" -> NODES.numberNode(random.nextInt(100));
            case "number" -> NODES.numberNode(random.nextDouble() * 100);
            case "boolean" -> NODES.booleanNode(random.nextBoolean());
            default -> anyValue(depth + 1);
        };
    }

    /** Members whose document schema says little (free JSON) but whose valid shapes are known. */
    private @Nullable JsonNode knownShape(String name) {
        String text = switch (name) {
            case "geometry" ->
                "{\"type\":\"Polygon\",\"coordinates\":[[[13.40,52.50],[13.41,52.50],[13.41,52.51],[13.40,52.51],[13.40,52.50]]]}";
            case "circle" -> "{\"center\":[13.40,52.52],\"radiusMeters\":300}";
            case "corridor" ->
                "{\"line\":{\"type\":\"LineString\",\"coordinates\":[[13.4,52.5],[13.41,52.51]]},\"widthMeters\":50}";
            case "schedule" ->
                "{\"timeZone\":\"Europe/Berlin\",\"windows\":[{\"days\":[\"MON\",\"TUE\"],\"from\":\"08:00\",\"to\":\"18:00\"}],"
                        + "\"validFrom\":\"2026-01-01T00:00:00Z\"}";
            case "fence" ->
                "{\"marginMeters\":25,\"minFixes\":2,\"minDuration\":\"PT10S\",\"dwell\":\"PT10M\",\"speedLimitKmh\":50,"
                        + "\"maxAccuracyMeters\":100}";
            case "channel" -> "{\"type\":\"webhook\",\"url\":\"https://hooks.invalid/fuzz\"}";
            case "filter" -> "{\"types\":[\"sextant.zone.*\"],\"assetTags\":[\"north\"]}";
            case "permissions" -> "[\"assets:read\",\"positions:write\"]";
            case "roles" -> "[\"viewer\"]";
            case "attributes" -> "{\"plate\":\"AB-123\",\"n\":1}";
            case "speedLimitsKmh" -> "{\"vehicle\":80}";
            case "proximity" ->
                "[{\"name\":\"near\",\"distanceMeters\":50,\"marginMeters\":5,\"first\":{\"types\":[\"vehicle\"]},"
                        + "\"second\":{\"tags\":[\"north\"]}}]";
            default -> null;
        };
        return text == null ? null : JSON.readTree(text);
    }

    private JsonNode anyValue(int depth) {
        int roll = random.nextInt(depth > 3 ? 5 : 7);
        return switch (roll) {
            case 0 -> NODES.nullNode();
            case 1 -> NODES.booleanNode(random.nextBoolean());
            case 2 -> NODES.numberNode(random.nextInt());
            case 3 -> NODES.stringNode(hostile());
            case 4 -> NODES.numberNode(random.nextDouble());
            case 5 -> {
                ArrayNode array = NODES.arrayNode();
                int size = random.nextInt(3);
                for (int i = 0; i < size; i++) {
                    array.add(anyValue(depth + 1));
                }
                yield array;
            }
            default -> {
                ObjectNode object = NODES.objectNode();
                int size = random.nextInt(3);
                for (int i = 0; i < size; i++) {
                    object.set("k" + i, anyValue(depth + 1));
                }
                yield object;
            }
        };
    }

    // --- mutations ---------------------------------------------------------------------------

    /** One random change somewhere in the tree; returns the (possibly replaced) root. */
    private JsonNode mutate(JsonNode root) {
        List<Slot> slots = new ArrayList<>();
        collect(root, slots);
        if (slots.isEmpty()) {
            return chance(0.5) ? root : replacement(root);
        }
        Slot slot = pick(slots);
        switch (random.nextInt(9)) {
            case 0 -> slot.set(NODES.nullNode());
            case 1 -> {
                if (slot.value() instanceof ArrayNode array) {
                    array.insertNull(array.isEmpty() ? 0 : random.nextInt(array.size() + 1));
                } else {
                    slot.set(NODES.arrayNode().addNull());
                }
            }
            case 2 -> slot.remove();
            case 3 -> {
                if (slot.value() instanceof ObjectNode object) {
                    object.set("extra" + random.nextInt(10), anyValue(2));
                } else {
                    slot.set(replacement(slot.value()));
                }
            }
            case 4 -> slot.set(NODES.stringNode(DEEP));
            case 5 ->
                slot.set(pick(List.<Supplier<JsonNode>>of(
                                () -> NODES.numberNode(new BigDecimal("1e400")),
                                () -> NODES.numberNode(BigInteger.TWO.pow(80)),
                                () -> NODES.numberNode(-1e308),
                                () -> NODES.numberNode(Long.MIN_VALUE),
                                () -> NODES.numberNode(-0.0)))
                        .get());
            default -> slot.set(replacement(slot.value()));
        }
        return root;
    }

    /** A value of another type, or a hostile string. */
    private JsonNode replacement(JsonNode value) {
        if (value.isString() || chance(0.4)) {
            return NODES.stringNode(hostile());
        }
        return switch (random.nextInt(5)) {
            case 0 -> NODES.numberNode(-1);
            case 1 -> NODES.booleanNode(true);
            case 2 -> NODES.arrayNode().add(NODES.stringNode(hostile()));
            case 3 -> NODES.objectNode().put("x", hostile());
            default -> NODES.stringNode(value.toString());
        };
    }

    private static void collect(JsonNode node, List<Slot> slots) {
        if (node instanceof ObjectNode object) {
            for (Iterator<String> names = object.propertyNames().iterator(); names.hasNext(); ) {
                String name = names.next();
                slots.add(new Slot(object, name, -1));
                collect(object.get(name), slots);
            }
        } else if (node instanceof ArrayNode array) {
            for (int i = 0; i < array.size(); i++) {
                slots.add(new Slot(array, null, i));
                collect(array.get(i), slots);
            }
        }
    }

    /** A place in a tree: a member of an object or an element of an array. */
    private record Slot(JsonNode container, @Nullable String name, int index) {

        JsonNode value() {
            return name != null ? container.get(name) : container.get(index);
        }

        void set(JsonNode value) {
            if (container instanceof ObjectNode object) {
                object.set(name, value);
            } else {
                ((ArrayNode) container).set(index, value);
            }
        }

        void remove() {
            if (container instanceof ObjectNode object) {
                object.remove(name);
            } else {
                ((ArrayNode) container).remove(index);
            }
        }
    }

    // --- helpers -----------------------------------------------------------------------------

    private JsonNode resolve(JsonNode node) {
        JsonNode current = node;
        for (int i = 0; i < 10 && current.has("$ref"); i++) {
            String ref = current.get("$ref").asString();
            current = document.at(ref.substring(1));
        }
        return current;
    }

    private static String type(JsonNode schema) {
        JsonNode type = schema.path("type");
        if (type.isArray()) {
            for (JsonNode t : type) {
                if (!"null".equals(t.asString())) {
                    return t.asString();
                }
            }
        }
        if (type.isString()) {
            return type.asString();
        }
        return schema.has("properties") ? "object" : schema.has("items") ? "array" : "";
    }

    private static String cursor(String position) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(position.getBytes(StandardCharsets.UTF_8));
    }

    private static String escape(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private boolean chance(double probability) {
        return random.nextDouble() < probability;
    }

    private <T> T pick(List<T> values) {
        return values.get(random.nextInt(values.size()));
    }
}
