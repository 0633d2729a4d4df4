package io.sextant.events;

import io.sextant.shared.access.SqlPredicate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Which events a reader wants: the one filter of the event log search, the live streams,
 * subscriptions and their replays. Within one field any value matches; across fields all must. An
 * empty field does not constrain. A type ending in {@code .*} matches every type under that prefix
 * ({@code sextant.zone.*}).
 *
 * <p>A filter answers in two forms that select the same events: {@link #matches(Event)} in memory
 * and {@link #toSql()} as a predicate over the {@code event} table's columns.
 */
public record EventFilter(
        Set<String> types, Set<UUID> assetIds, Set<UUID> zoneIds, Set<String> assetTags, Set<String> zoneTags) {

    public static final EventFilter ALL = new EventFilter(Set.of(), Set.of(), Set.of(), Set.of(), Set.of());

    private static final Pattern WILDCARD = Pattern.compile("sextant(\\.[a-z0-9-]+)*\\.\\*");

    private static final Pattern TAG = Pattern.compile("[a-z0-9][a-z0-9._:=-]{0,63}");

    public EventFilter {
        types = Set.copyOf(types);
        assetIds = Set.copyOf(assetIds);
        zoneIds = Set.copyOf(zoneIds);
        assetTags = Set.copyOf(assetTags);
        zoneTags = Set.copyOf(zoneTags);
    }

    /** Whether this filter lets {@code event} through: the in-memory form of {@link #toSql()}. */
    public boolean matches(Event event) {
        return (types.isEmpty() || types.stream().anyMatch(t -> typeMatches(t, event.type())))
                && (assetIds.isEmpty() || (event.assetId() != null && assetIds.contains(event.assetId())))
                && (zoneIds.isEmpty() || (event.zoneId() != null && zoneIds.contains(event.zoneId())))
                && anyShared(assetTags, event.assetTags())
                && anyShared(zoneTags, event.zoneTags());
    }

    /**
     * This filter as a predicate over the unqualified columns of the {@code event} table ({@code
     * type}, {@code asset_id}, {@code zone_id}, {@code asset_tags}, {@code zone_tags}), selecting
     * exactly the rows {@link #matches(Event)} accepts. Every value is a bind parameter, named {@code
     * filter…} so it does not collide with the enclosing statement's; a type prefix has its LIKE
     * wildcards escaped.
     */
    public SqlPredicate toSql() {
        List<String> conditions = new ArrayList<>();
        Map<String, Object> params = new LinkedHashMap<>();
        if (!types.isEmpty()) {
            List<String> alternatives = new ArrayList<>();
            List<String> exact = new ArrayList<>();
            for (String type : types.stream().sorted().toList()) {
                String prefix = wildcardPrefix(type);
                if (prefix == null) {
                    exact.add(type);
                } else {
                    String name = "filterTypePrefix" + alternatives.size();
                    alternatives.add("type like :" + name + " escape '\\'");
                    params.put(name, likeEscaped(prefix) + "%");
                }
            }
            if (!exact.isEmpty()) {
                alternatives.add("type = any(cast(:filterTypes as text[]))");
                params.put("filterTypes", exact.toArray(String[]::new));
            }
            conditions.add("(" + String.join(" or ", alternatives) + ")");
        }
        if (!assetIds.isEmpty()) {
            conditions.add("asset_id = any(cast(:filterAssetIds as uuid[]))");
            params.put("filterAssetIds", assetIds.toArray(UUID[]::new));
        }
        if (!zoneIds.isEmpty()) {
            conditions.add("zone_id = any(cast(:filterZoneIds as uuid[]))");
            params.put("filterZoneIds", zoneIds.toArray(UUID[]::new));
        }
        if (!assetTags.isEmpty()) {
            conditions.add("asset_tags && cast(:filterAssetTags as text[])");
            params.put("filterAssetTags", assetTags.toArray(String[]::new));
        }
        if (!zoneTags.isEmpty()) {
            conditions.add("zone_tags && cast(:filterZoneTags as text[])");
            params.put("filterZoneTags", zoneTags.toArray(String[]::new));
        }
        return new SqlPredicate(conditions.isEmpty() ? "true" : "(" + String.join(" and ", conditions) + ")", params);
    }

    /** Whether {@code type} is {@code pattern} or, for a pattern ending in {@code .*}, under it. */
    public static boolean typeMatches(String pattern, String type) {
        String prefix = wildcardPrefix(pattern);
        return prefix == null ? pattern.equals(type) : type.startsWith(prefix);
    }

    /** The prefix a wildcard type stands for ({@code sextant.zone.} for {@code sextant.zone.*}), or null. */
    public static @Nullable String wildcardPrefix(String type) {
        return type.endsWith(".*") ? type.substring(0, type.length() - 1) : null;
    }

    /**
     * A problem with a requested type, or null: a type of {@link EventTypes}, or a prefix wildcard
     * ({@code sextant.zone.*}) that matches at least one of them.
     */
    public static @Nullable String typeProblem(String type) {
        if (EventTypes.ALL.contains(type) || EventTypes.isWorkflowCustom(type)) {
            return null;
        }
        if (WILDCARD.matcher(type).matches()) {
            String prefix = type.substring(0, type.length() - 1);
            return EventTypes.ALL.stream().anyMatch(t -> t.startsWith(prefix))
                            || EventTypes.WORKFLOW_CUSTOM_PREFIX.startsWith(prefix)
                    ? null
                    : "'" + type + "' matches no event type";
        }
        return "'" + type + "' is not an event type; use one of "
                + String.join(", ", EventTypes.ALL.stream().sorted().toList())
                + " or a prefix wildcard such as sextant.zone.*";
    }

    /** A problem with a requested asset or zone tag, or null if it is a well-formed tag. */
    public static @Nullable String tagProblem(String tag) {
        return TAG.matcher(tag).matches()
                ? null
                : "'" + tag
                        + "' is not a tag: 1-64 lower-case letters, digits and ._:=-, starting with a letter or digit";
    }

    /** Whether {@code carried} holds any of {@code wanted}; an empty {@code wanted} asks for nothing. */
    private static boolean anyShared(Collection<String> wanted, List<String> carried) {
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

    /** {@code text} as a LIKE pattern that matches only itself: the escape character and wildcards escaped. */
    private static String likeEscaped(String text) {
        return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
    }
}
