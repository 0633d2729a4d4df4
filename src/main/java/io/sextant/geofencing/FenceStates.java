package io.sextant.geofencing;

import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * The committed fence and rule states in memory, keyed by asset: every asset's at start, or those of
 * a subset of assets, loaded and evicted again — what partition ownership needs when assets move
 * between nodes. An evicted asset must not be evaluated on this node until it is loaded again:
 * without its states it would look like an asset never seen in any zone.
 */
final class FenceStates {

    private final FenceStore store;
    private final Function<UUID, @Nullable Instant> lastTimeOf;
    private final Map<UUID, AssetFences> byAsset = new ConcurrentHashMap<>();
    // Proximity episodes under way; changed only while holding the engine's proximity lock.
    private final Map<PairKey, ProximityRule.ProximityState> pairs = new ConcurrentHashMap<>();

    /** @param lastTimeOf the time of an asset's latest stored position, if it has one */
    FenceStates(FenceStore store, Function<UUID, @Nullable Instant> lastTimeOf) {
        this.store = store;
        this.lastTimeOf = lastTimeOf;
    }

    /** Loads every asset's states; returns how many assets have any. */
    int loadAll() {
        return load(null);
    }

    /**
     * Loads the states of {@code assetIds} (every asset's when {@code null}), with the proximity
     * episodes any of them is part of; returns how many of the assets have any state.
     */
    int load(@Nullable Collection<UUID> assetIds) {
        Map<UUID, Map<UUID, FenceState>> loaded = new HashMap<>();
        store.forEachState(
                assetIds,
                row -> loaded.computeIfAbsent(row.assetId(), a -> new HashMap<>())
                        .put(row.zoneId(), row.state()));
        Map<UUID, SpeedingRule.SpeedState> speeding = new HashMap<>();
        store.forEachSpeeding(assetIds, speeding::put);
        Set<UUID> stale = new HashSet<>();
        store.forEachStale(assetIds, stale::add);
        Set<UUID> withState = new HashSet<>(loaded.keySet());
        withState.addAll(speeding.keySet());
        withState.addAll(stale);
        for (UUID assetId : withState) {
            byAsset.put(
                    assetId,
                    new AssetFences(
                            lastTimeOf.apply(assetId),
                            loaded.getOrDefault(assetId, Map.of()),
                            speeding.getOrDefault(assetId, SpeedingRule.SpeedState.NOT_SPEEDING),
                            stale.contains(assetId)));
        }
        store.forEachPair(assetIds, (key, since) -> pairs.put(key, new ProximityRule.ProximityState(true, since)));
        return withState.size();
    }

    /** Forgets the states of {@code assetIds} and the proximity episodes they are part of. */
    void evict(Collection<UUID> assetIds) {
        Set<UUID> ids = Set.copyOf(assetIds);
        byAsset.keySet().removeAll(ids);
        pairs.keySet()
                .removeIf(key -> ids.contains(key.pair().first())
                        || ids.contains(key.pair().second()));
    }

    /** The asset's committed state, if it has any in memory. */
    @Nullable
    AssetFences get(UUID assetId) {
        return byAsset.get(assetId);
    }

    /** The asset's committed state; an asset without any is new, or only has a last position time. */
    AssetFences of(UUID assetId) {
        AssetFences known = byAsset.get(assetId);
        if (known != null) {
            return known;
        }
        Instant last = lastTimeOf.apply(assetId);
        return last == null ? AssetFences.NEW : new AssetFences(last, Map.of());
    }

    void put(UUID assetId, AssetFences fences) {
        byAsset.put(assetId, fences);
    }

    void putAll(Map<UUID, AssetFences> fences) {
        byAsset.putAll(fences);
    }

    Collection<PairKey> pairKeys() {
        return List.copyOf(pairs.keySet());
    }

    ProximityRule.ProximityState pair(PairKey key) {
        return pairs.getOrDefault(key, ProximityRule.ProximityState.APART);
    }

    /** Installs committed proximity states: a pair no longer near ends its episode. */
    void applyPairs(Map<PairKey, ProximityRule.ProximityState> next) {
        next.forEach((key, state) -> {
            if (state.near()) {
                pairs.put(key, state);
            } else {
                pairs.remove(key);
            }
        });
    }
}
