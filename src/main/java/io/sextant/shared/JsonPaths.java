package io.sextant.shared;

import java.util.Collection;
import java.util.Map;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * Walks free JSON (a Jackson tree, or the maps, lists and scalars Jackson reads one into) and names
 * each place as the API's problems name fields: {@code attributes.readings[1].unit}.
 */
public final class JsonPaths {

    /** A place in a value and what is wrong there. */
    public record Fault(String path, String reason) {}

    private JsonPaths() {}

    /**
     * The first fault in document order: each member name judged by {@code names}, then its value;
     * each leaf (a tree's scalar node, or a Java scalar) by {@code leaves}. A judge answers the
     * reason, or null when the name or leaf is fine.
     */
    public static @Nullable Fault first(
            @Nullable Object value,
            String path,
            Function<String, @Nullable String> names,
            Function<Object, @Nullable String> leaves) {
        return switch (value) {
            case null -> null;
            case JsonNode node
            when node.isObject() -> {
                for (var member : node.properties()) {
                    Fault found = member(member.getKey(), member.getValue(), path, names, leaves);
                    if (found != null) {
                        yield found;
                    }
                }
                yield null;
            }
            case JsonNode node
            when node.isArray() -> {
                for (int i = 0; i < node.size(); i++) {
                    Fault found = first(node.get(i), path + "[" + i + "]", names, leaves);
                    if (found != null) {
                        yield found;
                    }
                }
                yield null;
            }
            case Map<?, ?> map -> {
                for (Map.Entry<?, ?> entry : map.entrySet()) {
                    Fault found = member(String.valueOf(entry.getKey()), entry.getValue(), path, names, leaves);
                    if (found != null) {
                        yield found;
                    }
                }
                yield null;
            }
            case Collection<?> list -> {
                int index = 0;
                for (Object element : list) {
                    Fault found = first(element, path + "[" + index++ + "]", names, leaves);
                    if (found != null) {
                        yield found;
                    }
                }
                yield null;
            }
            default -> {
                String reason = leaves.apply(value);
                yield reason == null ? null : new Fault(path, reason);
            }
        };
    }

    private static @Nullable Fault member(
            String name,
            @Nullable Object value,
            String path,
            Function<String, @Nullable String> names,
            Function<Object, @Nullable String> leaves) {
        String member = path.isEmpty() ? name : path + "." + name;
        String reason = names.apply(name);
        return reason != null ? new Fault(member, reason) : first(value, member, names, leaves);
    }
}
