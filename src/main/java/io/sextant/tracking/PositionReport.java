package io.sextant.tracking;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * One position as a client reported it, before validation: the asset named by id or by external
 * id, any field possibly missing. Parsers of every ingest format produce these.
 *
 * @param problem why the item could not even be read (set by the parser), or null
 */
public record PositionReport(
        @Nullable UUID assetId,
        @Nullable String externalId,
        @Nullable Instant eventTime,
        @Nullable Double lon,
        @Nullable Double lat,
        @Nullable Double altitude,
        @Nullable Double accuracy,
        @Nullable Double speed,
        @Nullable Double heading,
        Map<String, Object> attributes,
        @Nullable String problem) {

    public static PositionReport unreadable(String problem) {
        return new PositionReport(null, null, null, null, null, null, null, null, null, Map.of(), problem);
    }
}
