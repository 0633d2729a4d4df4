package io.sextant.tracking;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * Where an asset was at an instant, as stored. {@code (tenantId, assetId, eventTime)} identifies
 * it: a second report with the same key is a duplicate, whatever its other values.
 *
 * @param eventTime when the device measured it (the truth for ordering)
 * @param receivedAt when Sextant received it
 * @param altitude meters above the WGS 84 ellipsoid
 * @param accuracy horizontal accuracy radius in meters
 * @param speed meters per second
 * @param heading degrees clockwise from true north, [0, 360)
 */
public record Position(
        UUID tenantId,
        UUID assetId,
        Instant eventTime,
        Instant receivedAt,
        double lon,
        double lat,
        @Nullable Double altitude,
        @Nullable Double accuracy,
        @Nullable Double speed,
        @Nullable Double heading,
        Map<String, Object> attributes) {

    public PositionKey key() {
        return new PositionKey(tenantId, assetId, eventTime);
    }
}
