package io.sextant.workflow;

import io.sextant.workflow.InstanceState.PendingTimer;
import java.io.StringWriter;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The stored form of an instance's variables and pending timers: JSON that a {@code jsonb} column
 * keeps and gives back without losing what the machine needs, so that an instance read back moves
 * exactly as the one that was written.
 *
 * <p>JSON has no timestamp and one number type, and {@code jsonb} normalises numbers, so the
 * machine's plain values are encoded as follows:
 *
 * <ul>
 *   <li>a {@code String}, {@code Boolean}, {@code List} as the JSON string, boolean, array;
 *   <li>a {@code Long} as a JSON integer;
 *   <li>a finite {@code Double} as a JSON number in plain notation with at least one decimal
 *       ({@code 1.0}, {@code 100000000000000000000.0}, never {@code 1E20}), because a number
 *       with a decimal point is read back as a double and {@code jsonb} keeps the written scale;
 *       {@code NaN}, the infinities and {@code -0.0}, which a JSON or {@code numeric} number cannot
 *       hold, as {@code {"$double": "NaN"}};
 *   <li>an {@code Instant} as {@code {"$time": "2026-12-04T08:00:00Z"}}, so that a string that
 *       merely looks like a timestamp stays a string;
 *   <li>a {@code Map} as a JSON object whose keys starting with {@code $} get one more {@code $}
 *       ({@code $time} is written {@code $$time}), so that no map is taken for a tagged value.
 * </ul>
 *
 * <p>The variables are one such map. The timers are a JSON array in their pending order (a {@code
 * jsonb} object would not keep it, and the order of cancellations follows it), each {@code {"id",
 * "kind": "state", "state", "index", "dueAt"}} or {@code {"id", "kind": "named", "name",
 * "dueAt"}}, with {@code dueAt} an ISO-8601 instant.
 */
public final class InstanceStateJson {

    private static final String TIME = "$time";
    private static final String DOUBLE = "$double";

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private InstanceStateJson() {}

    /** The variables as stored. */
    public static String variablesToJson(Map<String, Object> variables) {
        return write(generator -> writeMap(generator, variables));
    }

    /** The variables as stored by {@link #variablesToJson}; anything else is refused with an {@link IllegalArgumentException}. */
    public static Map<String, Object> variablesFromJson(String json) {
        JsonNode node = read(json);
        if (!node.isObject() || tag(node) != null) {
            throw new IllegalArgumentException("stored variables are not a JSON object: " + json);
        }
        return readMap(node);
    }

    /** The pending timers as stored, in their order. */
    public static String timersToJson(Map<String, PendingTimer> timers) {
        return write(generator -> {
            generator.writeStartArray();
            for (PendingTimer timer : timers.values()) {
                generator.writeStartObject();
                generator.writeStringProperty("id", timer.id());
                switch (timer) {
                    case PendingTimer.StateTimer t -> {
                        generator.writeStringProperty("kind", "state");
                        generator.writeStringProperty("state", t.state());
                        generator.writeNumberProperty("index", t.index());
                    }
                    case PendingTimer.NamedTimer t -> {
                        generator.writeStringProperty("kind", "named");
                        generator.writeStringProperty("name", t.name());
                    }
                }
                generator.writeStringProperty("dueAt", timer.dueAt().toString());
                generator.writeEndObject();
            }
            generator.writeEndArray();
        });
    }

    /** The pending timers as stored by {@link #timersToJson}, by id in their order. */
    public static Map<String, PendingTimer> timersFromJson(String json) {
        JsonNode node = read(json);
        if (!node.isArray()) {
            throw new IllegalArgumentException("stored timers are not a JSON array: " + json);
        }
        Map<String, PendingTimer> timers = new LinkedHashMap<>();
        for (JsonNode element : node.values()) {
            String id = text(element, "id");
            Instant dueAt = instant(text(element, "dueAt"));
            PendingTimer timer = switch (text(element, "kind")) {
                case "state" -> {
                    JsonNode index = element.get("index");
                    if (index == null || !index.canConvertToInt()) {
                        throw new IllegalArgumentException("stored state timer without an index: " + element);
                    }
                    yield new PendingTimer.StateTimer(id, text(element, "state"), index.intValue(), dueAt);
                }
                case "named" -> new PendingTimer.NamedTimer(id, text(element, "name"), dueAt);
                default -> throw new IllegalArgumentException("stored timer of unknown kind: " + element);
            };
            timers.put(id, timer);
        }
        return timers;
    }

    // ---- writing

    private interface Writing {
        void to(JsonGenerator generator);
    }

    private static String write(Writing writing) {
        StringWriter out = new StringWriter();
        try (JsonGenerator generator = JSON.createGenerator(out)) {
            writing.to(generator);
        }
        return out.toString();
    }

    private static void writeMap(JsonGenerator generator, Map<?, ?> map) {
        generator.writeStartObject();
        for (Map.Entry<?, ?> entry : map.entrySet()) {
            String key = String.valueOf(entry.getKey());
            generator.writeName(key.startsWith("$") ? "$" + key : key);
            writeValue(generator, entry.getValue());
        }
        generator.writeEndObject();
    }

    private static void writeValue(JsonGenerator generator, Object value) {
        switch (value) {
            case String s -> generator.writeString(s);
            case Boolean b -> generator.writeBoolean(b);
            case Long l -> generator.writeNumber(l);
            case Double d -> writeDouble(generator, d);
            case Instant t -> {
                generator.writeStartObject();
                generator.writeStringProperty(TIME, t.toString());
                generator.writeEndObject();
            }
            case List<?> list -> {
                generator.writeStartArray();
                for (Object element : list) {
                    writeValue(generator, element);
                }
                generator.writeEndArray();
            }
            case Map<?, ?> map -> writeMap(generator, map);
            default ->
                throw new IllegalArgumentException("a %s is not a workflow value: %s"
                        .formatted(value.getClass().getSimpleName(), value));
        }
    }

    private static void writeDouble(JsonGenerator generator, double d) {
        if (!Double.isFinite(d) || Double.doubleToRawLongBits(d) == Double.doubleToRawLongBits(-0.0)) {
            generator.writeStartObject();
            generator.writeStringProperty(DOUBLE, Double.toString(d));
            generator.writeEndObject();
            return;
        }
        // the shortest decimal that reads back as d, written plainly with at least one decimal
        BigDecimal decimal = BigDecimal.valueOf(d);
        if (decimal.scale() < 1) {
            decimal = decimal.setScale(1);
        }
        generator.writeNumber(decimal.toPlainString());
    }

    // ---- reading

    private static JsonNode read(String json) {
        try {
            return JSON.readTree(json);
        } catch (JacksonException e) {
            throw new IllegalArgumentException("stored JSON does not parse: " + e.getOriginalMessage(), e);
        }
    }

    private static Object readValue(JsonNode node) {
        if (node.isString()) {
            return node.stringValue();
        }
        if (node.isBoolean()) {
            return node.booleanValue();
        }
        if (node.isIntegralNumber() && node.canConvertToLong()) {
            return node.longValue();
        }
        if (node.isFloatingPointNumber()) {
            return node.doubleValue();
        }
        if (node.isArray()) {
            List<Object> list = new ArrayList<>(node.size());
            for (JsonNode element : node.values()) {
                list.add(readValue(element));
            }
            return list;
        }
        if (node.isObject()) {
            String tag = tag(node);
            if (TIME.equals(tag)) {
                return instant(text(node, TIME));
            }
            if (DOUBLE.equals(tag)) {
                return Double.parseDouble(text(node, DOUBLE));
            }
            return readMap(node);
        }
        throw new IllegalArgumentException("a stored JSON " + node.getNodeType() + " is not a workflow value: " + node);
    }

    private static Map<String, Object> readMap(JsonNode node) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> property : node.properties()) {
            String key = property.getKey();
            if (key.startsWith("$") && !key.startsWith("$$")) {
                throw new IllegalArgumentException("stored object with the unknown tag " + key + ": " + node);
            }
            map.put(key.startsWith("$") ? key.substring(1) : key, readValue(property.getValue()));
        }
        return map;
    }

    /** The tag of an object that holds a tagged value ({@code $time}, {@code $double}), else null. */
    private static @Nullable String tag(JsonNode node) {
        if (node.size() != 1) {
            return null;
        }
        String key = node.propertyNames().iterator().next();
        return key.startsWith("$") && !key.startsWith("$$") ? key : null;
    }

    private static String text(JsonNode node, String property) {
        JsonNode value = node.get(property);
        if (value == null || !value.isString()) {
            throw new IllegalArgumentException("stored object without the string " + property + ": " + node);
        }
        return value.stringValue();
    }

    private static Instant instant(String text) {
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("stored time is not an ISO-8601 instant: " + text, e);
        }
    }
}
