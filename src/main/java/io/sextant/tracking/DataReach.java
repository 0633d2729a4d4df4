package io.sextant.tracking;

import io.sextant.asset.Assets;
import io.sextant.shared.access.AccessPolicies;
import io.sextant.shared.access.Reach;
import io.sextant.shared.access.Reach.ScopeAssets;
import io.sextant.shared.access.Visibility;
import java.time.Instant;

/**
 * What the caller's {@code positions:read} (or {@code positions:write}) reaches, compiled once per
 * query into a {@link Reach}: per scope, the assets it reaches on their own facts (listed by the
 * asset module, which compiles those parts to SQL, or tested against the in-memory catalog), its
 * region and its data window. The live index, history, tracks and snapshots all use it. Queries narrow their SQL with {@link Reach#admittedAssets} and {@link
 * Reach#earliest} and test each row exactly with {@link Reach#reachesPosition}, reading on until a
 * page is full — so a page is complete and holds exactly the positions a check would allow.
 */
final class DataReach {

    private DataReach() {}

    /** The current caller's reach with {@code positions:read} at {@code now}. */
    static Reach current(Assets assets, AssetCatalog catalog, Instant now) {
        return current("positions:read", assets, catalog, now);
    }

    /**
     * The current caller's reach with {@code permission} at {@code now}. A scope's asset parts are
     * decided where that is cheapest and exact: a scope that names assets, or has a condition, has
     * the asset module list the ids it reaches (at most the named ones; a condition compiles to SQL),
     * which SQL then narrows by; a scope of tags and clearance only is decided on the asset's facts
     * (row by row against the in-memory catalog, or on the facts the live index keeps beside each
     * latest position), so no list of ids is built, however large the tenant, and SQL narrows by the
     * data window and the query's own filters.
     */
    static Reach current(String permission, Assets assets, AssetCatalog catalog, Instant now) {
        Visibility visibility = AccessPolicies.current().visibility(permission, now);
        return Reach.of(visibility, now, scope -> {
            if (!scope.assets().isEmpty() || scope.condition() != null) {
                return ScopeAssets.listed(assets.idsReachedBy(scope));
            }
            return ScopeAssets.onFacts(assetId -> {
                AssetCatalog.AssetMeta meta = catalog.get(assetId);
                return meta != null
                        && scope.reachesAssetIgnoringCondition(
                                assetId, meta.tags(), meta.classification().id());
            });
        });
    }
}
