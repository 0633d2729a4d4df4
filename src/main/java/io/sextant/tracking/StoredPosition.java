package io.sextant.tracking;

import java.time.Instant;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/** A position as queries return it. */
public record StoredPosition(
        UUID assetId,
        Instant eventTime,
        Instant receivedAt,
        double lon,
        double lat,
        @Nullable Double altitude,
        @Nullable Double accuracy,
        @Nullable Double speed,
        @Nullable Double heading) {

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
                position.heading());
    }
}
