package io.sextant.tracking;

import io.sextant.asset.Assets;
import io.sextant.shared.access.AccessPolicies;
import io.sextant.shared.access.Scope;
import io.sextant.shared.access.Visibility;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * What the caller's {@code positions:read} (or {@code positions:write}) reaches, compiled once per query: per scope, the assets it
 * reaches on their own facts (from the asset module, which compiles those parts to SQL), its region
 * and its data window. Queries narrow their SQL with {@link #admitted()} and {@link #earliest()} and
 * test each row exactly with {@link #test}, reading on until a page is full — so a page is complete
 * and holds exactly the positions a check would allow.
 */
final class DataReach {

    private static final DataReach ALL = new DataReach(true, List.of(), Instant.EPOCH);

    private final boolean all;
    private final List<Part> parts;
    private final Instant now;

    private DataReach(boolean all, List<Part> parts, Instant now) {
        this.all = all;
        this.parts = List.copyOf(parts);
        this.now = now;
    }

    /** The current caller's reach with {@code positions:read} at {@code now}. */
    static DataReach current(Assets assets, Instant now) {
        return current("positions:read", assets, now);
    }

    /** The current caller's reach with {@code permission} at {@code now}. */
    static DataReach current(String permission, Assets assets, Instant now) {
        return current(permission, assets, null, now);
    }

    /**
     * The current caller's reach with {@code positions:read}, for the live index: the asset parts
     * of a scope without a condition are tested against the in-memory catalog (no list of ids is
     * built, however large the tenant); only a condition asks the asset module for its ids.
     */
    static DataReach live(Assets assets, AssetCatalog catalog, Instant now) {
        return current("positions:read", assets, catalog, now);
    }

    private static DataReach current(String permission, Assets assets, @Nullable AssetCatalog catalog, Instant now) {
        Visibility visibility = AccessPolicies.current().visibility(permission, now);
        return switch (visibility) {
            case Visibility.All a -> ALL;
            case Visibility.None n -> new DataReach(false, List.of(), now);
            case Visibility.Scoped scoped -> {
                List<Part> parts = new ArrayList<>();
                for (Scope scope : scoped.scopes()) {
                    if (!scope.hasAssetParts()) {
                        parts.add(new Part(scope, null, null));
                    } else if (catalog != null && scope.condition() == null) {
                        parts.add(new Part(scope, null, catalog));
                    } else {
                        parts.add(new Part(scope, new HashSet<>(assets.idsReachedBy(scope)), null));
                    }
                }
                yield new DataReach(false, parts, now);
            }
        };
    }

    /** Nothing narrows: every position of the tenant. */
    boolean all() {
        return all;
    }

    /** Nothing is reached. */
    boolean none() {
        return !all
                && parts.stream().allMatch(p -> p.assets() != null && p.assets().isEmpty());
    }

    /** Whether a position of {@code assetId} at a point and data time is reached. */
    boolean test(UUID assetId, double lon, double lat, Instant time) {
        if (all) {
            return true;
        }
        for (Part part : parts) {
            if (part.reachesAsset(assetId)
                    && part.scope().reachesPoint(lon, lat)
                    && part.scope().reachesDataTime(time, now)) {
                return true;
            }
        }
        return false;
    }

    /** Whether an asset is reached at all on its own facts (a track of it can hold something). */
    boolean reachesAsset(UUID assetId) {
        if (all) {
            return true;
        }
        for (Part part : parts) {
            if (part.reachesAsset(assetId)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The assets some scope reaches, for SQL to prefilter by, intersected with {@code admitted}
     * (another filter's list, or null for none); null when neither narrows by asset.
     */
    @Nullable
    List<UUID> admitted(@Nullable List<UUID> admitted) {
        if (all || parts.stream().anyMatch(p -> p.assets() == null || p.catalog() != null)) {
            return admitted;
        }
        Set<UUID> union = new HashSet<>();
        parts.forEach(p -> union.addAll(java.util.Objects.requireNonNull(p.assets())));
        if (admitted == null) {
            return List.copyOf(union);
        }
        return admitted.stream().filter(union::contains).toList();
    }

    /** The oldest data time some scope reaches, or null when one reaches back without limit. */
    @Nullable
    Instant earliest() {
        if (all) {
            return null;
        }
        Instant earliest = null;
        for (Part part : parts) {
            Instant from = part.scope().earliestDataTime(now);
            if (from == null) {
                return null;
            }
            earliest = earliest == null || from.isBefore(earliest) ? from : earliest;
        }
        return earliest;
    }

    /**
     * A scope and how its asset parts are tested: against the ids the asset module listed, against
     * the in-memory catalog, or not at all (both null: the scope does not narrow by asset).
     */
    private record Part(
            Scope scope,
            @Nullable Set<UUID> assets,
            @Nullable AssetCatalog catalog) {

        boolean reachesAsset(UUID assetId) {
            if (assets != null) {
                return assets.contains(assetId);
            }
            if (catalog == null) {
                return true;
            }
            AssetCatalog.AssetMeta meta = catalog.get(assetId);
            return meta != null
                    && scope.reachesAssetIgnoringCondition(
                            assetId, meta.tags(), meta.classification().id());
        }
    }
}
