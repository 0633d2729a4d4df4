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

    public EventFilter {
        types = Set.copyOf(types);
        assetIds = Set.copyOf(assetIds);
        zoneIds = Set.copyOf(zoneIds);
        assetTags = Set.copyOf(assetTags);
        zoneTags = Set.copyOf(zoneTags);
    }

    public boolean matches(Event event) {
        return typeMatches(event.type())
                && (assetIds.isEmpty() || (event.assetId() != null && assetIds.contains(event.assetId())))
                && (zoneIds.isEmpty() || (event.zoneId() != null && zoneIds.contains(event.zoneId())))
                && anyOf(assetTags, event.assetTags())
                && anyOf(zoneTags, event.zoneTags());
    }

    private boolean typeMatches(String type) {
        if (types.isEmpty() || types.contains(type)) {
            return true;
        }
        for (String wanted : types) {
            if (wanted.endsWith(".*") && type.startsWith(wanted.substring(0, wanted.length() - 1))) {
                return true;
            }
        }
        return false;
    }

    private static boolean anyOf(Set<String> wanted, List<String> present) {
        if (wanted.isEmpty()) {
            return true;
        }
        for (String tag : present) {
            if (wanted.contains(tag)) {
                return true;
            }
        }
        return false;
    }

    /** A problem with a requested type, or null: known types and {@code sextant.…*} prefixes only. */
    public static @org.jspecify.annotations.Nullable String typeProblem(String type) {
        if (type.endsWith(".*") && type.startsWith("sextant.")) {
            return null;
        }
        return EventTypes.ALL.contains(type) ? null : "unknown event type '" + type + "'";
    }
}
