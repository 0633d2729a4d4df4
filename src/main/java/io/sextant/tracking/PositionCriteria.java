package io.sextant.tracking;

import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Which of the tenant's positions a query may return besides where and when it asks: today the
 * asset filters of the request; the access-policy module adds the caller's constraints (zones, time
 * windows, tags, classification) here. One object, two compilations — an SQL condition for history
 * queries and a predicate for the live index — so every constraint is applied inside the query,
 * never by filtering a page afterwards (which would silently shorten it).
 *
 * @param assetType only assets of this type, or any
 * @param tags only assets carrying every one of these tags
 */
public record PositionCriteria(@Nullable String assetType, List<String> tags) {

    public static final PositionCriteria ANY = new PositionCriteria(null, List.of());

    public PositionCriteria {
        tags = List.copyOf(tags);
    }

    /** The SQL condition on the asset row {@code alias}, to AND into a query; binds into {@code params}. */
    String sql(String alias, Map<String, Object> params) {
        StringBuilder sql = new StringBuilder();
        if (assetType != null) {
            sql.append(" and ").append(alias).append(".type = :criteriaType");
            params.put("criteriaType", assetType);
        }
        if (!tags.isEmpty()) {
            sql.append(" and ").append(alias).append(".tags @> cast(:criteriaTags as text[])");
            params.put("criteriaTags", tags.toArray(String[]::new));
        }
        return sql.toString();
    }

    /** The same condition on an asset's in-memory metadata. */
    boolean test(AssetCatalog.@Nullable AssetMeta asset) {
        if (asset == null) {
            return false;
        }
        return (assetType == null || assetType.equals(asset.type()))
                && asset.tags().containsAll(tags);
    }

    boolean restrictsAssets() {
        return assetType != null || !tags.isEmpty();
    }
}
