package io.sextant.geofencing;

import io.sextant.asset.AssetSummary;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A tenant's rules about assets beyond zones.
 *
 * @param staleAfter an asset with no position for this long is reported stale (null: never)
 * @param speedLimitsKmh speed limit by asset type; a zone's own limit applies inside it, and the
 *     lower of the two wins
 * @param speedToleranceKmh how far over the limit an asset must go before speeding starts
 * @param speedMinDuration how long it must stay over before speeding starts
 * @param proximity pairs of assets that must not come closer than a distance
 */
public record AssetRules(
        @Nullable Duration staleAfter,
        Map<String, Double> speedLimitsKmh,
        double speedToleranceKmh,
        Duration speedMinDuration,
        List<Proximity> proximity) {

    public static final AssetRules NONE = new AssetRules(null, Map.of(), 0, Duration.ZERO, List.of());

    public AssetRules {
        speedLimitsKmh = Map.copyOf(speedLimitsKmh);
        proximity = List.copyOf(proximity);
    }

    /** Whether a position of an asset needs any rule evaluated at all. */
    boolean concernsPositions() {
        return !speedLimitsKmh.isEmpty() || !proximity.isEmpty();
    }

    /**
     * A proximity rule: an asset matching {@code first} and one matching {@code second} closer than
     * {@code distanceMeters} start a proximity episode, which ends when they are more than {@code
     * distanceMeters + marginMeters} apart.
     */
    public record Proximity(
            String name, double distanceMeters, double marginMeters, AssetSelector first, AssetSelector second) {

        boolean pairs(AssetSummary a, AssetSummary b) {
            return (first.matches(a) && second.matches(b)) || (first.matches(b) && second.matches(a));
        }

        boolean concerns(AssetSummary asset) {
            return first.matches(asset) || second.matches(asset);
        }

        /**
         * Whether the events about a pair name {@code a} (as {@code assetId}) rather than {@code
         * b}: the asset {@code first} matches while {@code second} matches the other; when both
         * ways match, the lower id. The same asset for every event of the pair, whichever moved.
         */
        boolean names(AssetSummary a, AssetSummary b) {
            boolean aFirst = first.matches(a) && second.matches(b);
            boolean bFirst = first.matches(b) && second.matches(a);
            return (aFirst && bFirst) ? a.assetId().compareTo(b.assetId()) < 0 : aFirst;
        }
    }

    /** Assets of any of {@code types} (empty: any type) carrying any of {@code tags} (empty: any). */
    public record AssetSelector(List<String> types, List<String> tags) {

        public static final AssetSelector ANY = new AssetSelector(List.of(), List.of());

        public AssetSelector {
            types = List.copyOf(types);
            tags = List.copyOf(tags);
        }

        boolean matches(AssetSummary asset) {
            return (types.isEmpty() || types.contains(asset.type()))
                    && (tags.isEmpty() || asset.tags().stream().anyMatch(tags::contains));
        }
    }
}
