package io.sextant.zone;

import java.util.UUID;

/**
 * A zone was created, replaced or deleted. Published in the transaction that made the change, so a
 * {@code @TransactionalEventListener} or {@code @ApplicationModuleListener} receives it once the
 * change has committed (and never for a change rolled back). By then {@link ZoneDirectory#indexFor}
 * already answers with the new index: the directory applies the change first.
 *
 * @param version the zone's new version; a deletion has a version of its own too
 * @param deleted whether the zone no longer exists
 */
public record ZoneChanged(UUID tenantId, UUID zoneId, long version, boolean deleted) {}
