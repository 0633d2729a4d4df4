package io.sextant.events;

import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * An event to append to the log, in the same transaction as the change that caused it.
 *
 * @param type a CloudEvents type from {@link EventTypes}
 * @param source CloudEvents source, a URI reference naming what produced it ({@code /zones/{id}})
 * @param subject what it is about, usually the asset id
 * @param time when it happened (event time, not the time it was recorded)
 * @param assetId the asset it concerns, for filters
 * @param zoneId the zone it concerns, for filters
 * @param assetTags the asset's tags when it happened, for filters
 * @param zoneTags the zone's tags when it happened, for filters
 * @param data the payload, serialized as JSON
 */
public record NewEvent(
        UUID tenantId,
        String type,
        String source,
        @Nullable String subject,
        Instant time,
        @Nullable UUID assetId,
        @Nullable UUID zoneId,
        List<String> assetTags,
        List<String> zoneTags,
        Object data) {}
