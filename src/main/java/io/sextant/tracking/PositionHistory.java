package io.sextant.tracking;

import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Service;

/**
 * The stored positions of an asset as other modules read them: the fix at an instant, a stretch of
 * track, and the assets that have fallen silent. Reads join the transaction under way (an ingest
 * group's sees the group's own just-written positions) and name the tenant themselves, so they
 * serve callers that run outside a request.
 */
@Service
public class PositionHistory {

    private final PositionHistoryRepository repository;

    PositionHistory(PositionHistoryRepository repository) {
        this.repository = repository;
    }

    /**
     * A stored position, as fencing re-reads it for late data and event payloads.
     *
     * @param accuracy the reported accuracy in meters, as it was written
     * @param speed the reported speed in meters per second, as it was written
     */
    public record Fix(
            Instant time,
            double lon,
            double lat,
            @Nullable Double accuracy,
            @Nullable Double speed) {}

    /** An asset whose latest position (by event time) is {@code lastSeen}. */
    public record SilentAsset(UUID assetId, Instant lastSeen) {}

    /** The asset's stored position at exactly {@code time}, if there is one. */
    public @Nullable Fix fixAt(UUID tenantId, UUID assetId, Instant time) {
        return repository.fixAt(tenantId, assetId, time);
    }

    /**
     * The asset's stored positions with {@code from < time <= to}, oldest first, at most {@code
     * limit + 1} (one more tells the caller there were too many).
     */
    public List<Fix> track(UUID tenantId, UUID assetId, Instant from, Instant to, int limit) {
        return repository.track(tenantId, assetId, from, to, limit);
    }

    /**
     * The tenant's assets whose latest position is older than {@code before}, leaving out {@code
     * excluded}, longest silent first, at most {@code limit}. An asset that never reported is never
     * among them.
     */
    public List<SilentAsset> silentSince(UUID tenantId, Instant before, Set<UUID> excluded, int limit) {
        return repository.silentSince(tenantId, before, excluded, limit);
    }
}
