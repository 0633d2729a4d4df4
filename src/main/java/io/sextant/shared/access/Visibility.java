package io.sextant.shared.access;

import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * What one permission reaches for a subject at one instant: everything, nothing, or the union of
 * some scopes. Queries compile it into their SQL and into their in-memory filters; a single check
 * asks it directly. Both read the same scopes, so a list holds exactly the items a check allows.
 */
public sealed interface Visibility {

    All ALL = new All();
    None NONE = new None();

    /** Whether an asset is reached on its own facts (region aside: see {@link Scope#region()}). */
    boolean reachesAsset(AssetFacts asset);

    /**
     * Whether the asset as an object is reached: its own facts, and with a region its latest
     * position ({lon, lat}, or null for none) inside or the asset named.
     */
    boolean reachesAssetObject(AssetFacts asset, double @Nullable [] latest);

    /** Whether a position or event of {@code asset} at a point and data time is reached at {@code now}. */
    boolean reachesData(AssetFacts asset, double lon, double lat, Instant time, Instant now);

    /** Whether a zone with these tags is reached. */
    boolean reachesZone(List<String> tags);

    /** No scope narrows it: the whole tenant. */
    record All() implements Visibility {
        @Override
        public boolean reachesAsset(AssetFacts asset) {
            return true;
        }

        @Override
        public boolean reachesAssetObject(AssetFacts asset, double @Nullable [] latest) {
            return true;
        }

        @Override
        public boolean reachesData(AssetFacts asset, double lon, double lat, Instant time, Instant now) {
            return true;
        }

        @Override
        public boolean reachesZone(List<String> tags) {
            return true;
        }
    }

    /** No grant in force holds the permission. */
    record None() implements Visibility {
        @Override
        public boolean reachesAsset(AssetFacts asset) {
            return false;
        }

        @Override
        public boolean reachesAssetObject(AssetFacts asset, double @Nullable [] latest) {
            return false;
        }

        @Override
        public boolean reachesData(AssetFacts asset, double lon, double lat, Instant time, Instant now) {
            return false;
        }

        @Override
        public boolean reachesZone(List<String> tags) {
            return false;
        }
    }

    /** The union of the scopes of the grants in force that hold the permission; none of them reaches all data. */
    record Scoped(List<Scope> scopes) implements Visibility {

        public Scoped {
            scopes = List.copyOf(scopes);
            if (scopes.isEmpty()) {
                throw new IllegalArgumentException("a scoped visibility has at least one scope");
            }
        }

        @Override
        public boolean reachesAsset(AssetFacts asset) {
            for (Scope scope : scopes) {
                if (scope.reachesAsset(asset)) {
                    return true;
                }
            }
            return false;
        }

        @Override
        public boolean reachesAssetObject(AssetFacts asset, double @Nullable [] latest) {
            for (Scope scope : scopes) {
                if (scope.whyNotAssetObject(asset, latest).isEmpty()) {
                    return true;
                }
            }
            return false;
        }

        @Override
        public boolean reachesData(AssetFacts asset, double lon, double lat, Instant time, Instant now) {
            for (Scope scope : scopes) {
                if (scope.reachesPoint(lon, lat) && scope.reachesDataTime(time, now) && scope.reachesAsset(asset)) {
                    return true;
                }
            }
            return false;
        }

        @Override
        public boolean reachesZone(List<String> tags) {
            for (Scope scope : scopes) {
                if (scope.reachesZone(tags)) {
                    return true;
                }
            }
            return false;
        }
    }
}
