package io.sextant.events;

import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * Which events a reader wants. Within one field any value matches; across fields all must. An
 * empty field does not constrain. A type ending in {@code .*} matches every type under that prefix
 * ({@code sextant.zone.*}).
 */
public record EventFilter(
        Set<String> types, Set<UUID> assetIds, Set<UUID> zoneIds, Set<String> assetTags, Set<String> zoneTags) {

    public static final EventFilter ALL = new EventFilter(Set.of(), Set.of(), Set.of(), Set.of(), Set.of());

    private static final java.util.regex.Pattern WILDCARD =
            java.util.regex.Pattern.compile("sextant(\\.[a-z0-9-]+)*\\.\\*");

    public EventFilter {
        types = Set.copyOf(types);
        assetIds = Set.copyOf(assetIds);
        zoneIds = Set.copyOf(zoneIds);
        assetTags = Set.copyOf(assetTags);
        zoneTags = Set.copyOf(zoneTags);
    }

    public boolean matches(Event event) {
        return (types.isEmpty() || types.stream().anyMatch(t -> typeMatches(t, event.type())))
                && (assetIds.isEmpty() || (event.assetId() != null && assetIds.contains(event.assetId())))
                && (zoneIds.isEmpty() || (event.zoneId() != null && zoneIds.contains(event.zoneId())))
                && anyShared(assetTags, event.assetTags())
                && anyShared(zoneTags, event.zoneTags());
    }

    /** Whether {@code type} is {@code pattern} or, for a pattern ending in {@code .*}, under it. */
    public static boolean typeMatches(String pattern, String type) {
        return pattern.endsWith(".*")
                ? type.startsWith(pattern.substring(0, pattern.length() - 1))
                : pattern.equals(type);
    }

    /** Whether {@code carried} holds any of {@code wanted}; an empty {@code wanted} asks for nothing. */
    public static boolean anyShared(java.util.Collection<String> wanted, List<String> carried) {
        if (wanted.isEmpty()) {
            return true;
        }
        for (String tag : carried) {
            if (wanted.contains(tag)) {
                return true;
            }
        }
        return false;
    }

    /**
     * A problem with a requested type, or null: a type of {@link EventTypes}, or a prefix wildcard
     * ({@code sextant.zone.*}) that matches at least one of them.
     */
    public static @org.jspecify.annotations.Nullable String typeProblem(String type) {
        if (EventTypes.ALL.contains(type)) {
            return null;
        }
        if (WILDCARD.matcher(type).matches()) {
            String prefix = type.substring(0, type.length() - 1);
            return EventTypes.ALL.stream().anyMatch(t -> t.startsWith(prefix))
                    ? null
                    : "'" + type + "' matches no event type";
        }
        return "'" + type + "' is not an event type; use one of "
                + String.join(", ", EventTypes.ALL.stream().sorted().toList())
                + " or a prefix wildcard such as sextant.zone.*";
    }
}
