package io.sextant.shared;

import java.util.Collection;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * PostgreSQL's {@code text} cannot hold the NUL character (U+0000) and {@code jsonb} refuses
 * {@code \u0000}: a value carrying one fails the statement (and with it a whole group commit).
 * Input is checked for it where it enters, so the client hears which value was refused.
 */
public final class NulCharacters {

    /** The reason given for a refused value. */
    public static final String REASON = "must not contain the NUL character (U+0000)";

    private NulCharacters() {}

    public static boolean in(@Nullable String text) {
        return text != null && text.indexOf('\u0000') >= 0;
    }

    /**
     * The path of the first member name or string in {@code value} (a JSON tree, or maps, lists and
     * scalars as Jackson reads them) that holds a NUL, relative to {@code path}; null if none does.
     */
    public static @Nullable String firstIn(@Nullable Object value, String path) {
        return switch (value) {
            case null -> null;
            case String text -> in(text) ? path : null;
            case JsonNode node -> firstInNode(node, path);
            case Map<?, ?> map -> {
                for (Map.Entry<?, ?> entry : map.entrySet()) {
                    String name = String.valueOf(entry.getKey());
                    String member = path.isEmpty() ? name : path + "." + name;
                    if (in(name)) {
                        yield member;
                    }
                    String found = firstIn(entry.getValue(), member);
                    if (found != null) {
                        yield found;
                    }
                }
                yield null;
            }
            case Collection<?> list -> {
                int index = 0;
                for (Object element : list) {
                    String found = firstIn(element, path + "[" + index++ + "]");
                    if (found != null) {
                        yield found;
                    }
                }
                yield null;
            }
            default -> null;
        };
    }

    private static @Nullable String firstInNode(JsonNode node, String path) {
        if (node.isString()) {
            return in(node.asString()) ? path : null;
        }
        if (node.isObject()) {
            for (var member : node.properties()) {
                String name = path.isEmpty() ? member.getKey() : path + "." + member.getKey();
                if (in(member.getKey())) {
                    return name;
                }
                String found = firstInNode(member.getValue(), name);
                if (found != null) {
                    return found;
                }
            }
        }
        if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                String found = firstInNode(node.get(i), path + "[" + i + "]");
                if (found != null) {
                    return found;
                }
            }
        }
        return null;
    }
}
