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
 * asset module, which compiles those parts to SQL, or tested against the live index's catalog), its
 * region and its data window. Queries narrow their SQL with {@link Reach#admittedAssets} and {@link
 * Reach#earliest} and test each row exactly with {@link Reach#reachesPosition}, reading on until a
 * page is full — so a page is complete and holds exactly the positions a check would allow.
 */
final class DataReach {

    private DataReach() {}

    /** The current caller's reach with {@code positions:read} at {@code now}. */
    static Reach current(Assets assets, Instant now) {
        return current("positions:read", assets, now);
    }

    /** The current caller's reach with {@code permission} at {@code now}, asset parts listed. */
    static Reach current(String permission, Assets assets, Instant now) {
        Visibility visibility = AccessPolicies.current().visibility(permission, now);
        return Reach.of(visibility, now, scope -> ScopeAssets.listed(assets.idsReachedBy(scope)));
    }

    /**
     * The current caller's reach with {@code positions:read}, for the live index: the asset parts
     * of a scope without a condition are tested against the in-memory catalog (no list of ids is
     * built, however large the tenant); only a condition asks the asset module for its ids.
     */
    static Reach live(Assets assets, AssetCatalog catalog, Instant now) {
        Visibility visibility = AccessPolicies.current().visibility("positions:read", now);
        return Reach.of(visibility, now, scope -> {
            if (scope.condition() != null) {
                return ScopeAssets.listed(assets.idsReachedBy(scope));
            }
            return ScopeAssets.tested(assetId -> {
                AssetCatalog.AssetMeta meta = catalog.get(assetId);
                return meta != null
                        && scope.reachesAssetIgnoringCondition(
                                assetId, meta.tags(), meta.classification().id());
            });
        });
    }
}
