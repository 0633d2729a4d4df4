package io.sextant.tracking;

import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Component;

/**
 * The latest position of every asset, in memory: advanced after each committed write (never to an
 * older event time) and rebuilt from {@code latest_position} on start.
 */
@Component
class LatestPositions {

    private final Map<UUID, Map<UUID, Position>> byTenant = new ConcurrentHashMap<>();

    /** Makes {@code position} its asset's latest unless a newer one is already known. */
    void advance(Position position) {
        byTenant.computeIfAbsent(position.tenantId(), t -> new ConcurrentHashMap<>())
                .merge(
                        position.assetId(),
                        position,
                        (current, candidate) ->
                                candidate.eventTime().isAfter(current.eventTime()) ? candidate : current);
    }

    Optional<Position> of(UUID tenantId, UUID assetId) {
        return Optional.ofNullable(byTenant.getOrDefault(tenantId, Map.of()).get(assetId));
    }
}
