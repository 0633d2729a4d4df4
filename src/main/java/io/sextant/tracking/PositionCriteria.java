package io.sextant.tracking;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * Which of the tenant's positions a query may return besides where and when it asks: the asset
 * filters of the request (the caller's grants are applied beside them, by {@link DataReach}). One
 * object, two compilations — for history queries, an SQL condition on the position rows (the asset
 * filters become the ids of the admitted assets, which the asset module answers: tracking does not
 * read its table); for the live index, a predicate — so every constraint is applied inside the
 * query, never by filtering a page afterwards (which would silently shorten it).
 *
 * @param assetType only assets of this type, or any
 * @param tags only assets carrying every one of these tags
 */
public record PositionCriteria(@Nullable String assetType, List<String> tags) {

    public static final PositionCriteria ANY = new PositionCriteria(null, List.of());

    public PositionCriteria {
        tags = List.copyOf(tags);
    }

    /**
     * The SQL condition on the position row {@code alias}, to AND into a query; binds into {@code
     * params}. {@code admittedAssets} are the ids of the assets the asset filters admit, or null when
     * {@link #restrictsAssets() nothing restricts them}.
     */
    static String sql(String alias, @Nullable List<UUID> admittedAssets, Map<String, Object> params) {
        if (admittedAssets == null) {
            return "";
        }
        params.put("admittedAssets", admittedAssets.toArray(UUID[]::new));
        return " and " + alias + ".asset_id = any(:admittedAssets)";
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
