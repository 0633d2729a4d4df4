package io.sextant.geofencing;

import io.sextant.asset.AssetSummary;
import io.sextant.shared.geo.GeoPoint;
import io.sextant.tracking.LatestPositions;
import io.sextant.tracking.Position;
import io.sextant.tracking.PositionHistory;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * What a {@link FenceEvaluation} may look up beyond its inputs: the committed in-memory states,
 * assets and latest positions, and — for late data and event payloads — the stored track and
 * transitions, read in the current transaction. Production reads the engine's state and the stores;
 * a test gives fixed answers.
 */
interface FenceReads {

    /** The asset's fence and rule state as last committed (new when it has none). */
    AssetFences fencesOf(UUID assetId);

    Optional<AssetSummary> asset(UUID assetId);

    Optional<Position> latestOf(UUID assetId);

    List<LatestPositions.NearbyAsset> nearby(UUID tenantId, GeoPoint center, double radiusMeters, int limit);

    /** The proximity episodes under way, as last committed. */
    Collection<PairKey> pairKeys();

    /** A pair's proximity state as last committed ({@code APART} when none is under way). */
    ProximityRule.ProximityState pair(PairKey key);

    PositionHistory.@Nullable Fix fixAt(UUID tenantId, UUID assetId, Instant time) throws SQLException;

    List<PositionHistory.Fix> track(UUID tenantId, UUID assetId, Instant from, Instant to, int limit)
            throws SQLException;

    List<FenceStore.TransitionRow> history(UUID tenantId, UUID assetId, UUID zoneId, Instant horizon)
            throws SQLException;

    Set<UUID> zonesWithTransitionsAfter(UUID tenantId, UUID assetId, Instant after) throws SQLException;
}
