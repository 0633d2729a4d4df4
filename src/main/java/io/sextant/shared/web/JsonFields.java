package io.sextant.shared.web;

import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * Typed reads of the members of a request body that a controller reads as a tree: each answers a
 * member of the wrong JSON type with a 400 that names it, where Jackson's coercing {@code asString()}
 * or {@code asInt(default)} would throw (a 500) or silently pass something else on.
 */
public final class JsonFields {

    private JsonFields() {}

    /** The string in {@code field}; {@code null} when it is absent or JSON null. */
    public static @Nullable String optionalString(JsonNode body, String field) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isString()) {
            throw Problems.invalid(field, "must be a string");
        }
        return value.stringValue();
    }

    /** The strings of the array in {@code field}; empty when it is absent or JSON null. */
    public static List<String> strings(JsonNode body, String field) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            return List.of();
        }
        if (!value.isArray()) {
            throw Problems.invalid(field, "must be an array of strings");
        }
        List<String> strings = new ArrayList<>(value.size());
        for (int i = 0; i < value.size(); i++) {
            JsonNode element = value.get(i);
            if (!element.isString()) {
                throw Problems.invalid(field + "[" + i + "]", "must be a string");
            }
            strings.add(element.stringValue());
        }
        return strings;
    }

    /** The integer in {@code field}; {@code otherwise} when it is absent or JSON null. */
    public static int optionalInt(JsonNode body, String field, int otherwise) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            return otherwise;
        }
        if (!value.isIntegralNumber() || !value.canConvertToInt()) {
            throw Problems.invalid(field, "must be an integer");
        }
        return value.intValue();
    }
}
