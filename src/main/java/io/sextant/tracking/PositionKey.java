package io.sextant.tracking;

import java.time.Instant;
import java.util.UUID;

/** The identity of a position: one per asset and event time. */
public record PositionKey(UUID tenantId, UUID assetId, Instant eventTime) {}
