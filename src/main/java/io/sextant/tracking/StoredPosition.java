package io.sextant.tracking;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * A position as queries return it.
 *
 * @param attributes what the device or client reported besides the position (a tracker app's
 *     battery, tracker id, connection, …), as stored; empty when none
 */
public record StoredPosition(
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

    public static StoredPosition of(Position position) {
        return new StoredPosition(
                position.assetId(),
                position.eventTime(),
                position.receivedAt(),
                position.lon(),
                position.lat(),
                position.altitude(),
                position.accuracy(),
                position.speed(),
                position.heading(),
                position.attributes());
    }
}
