package io.sextant.events;

import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * An event as recorded in the log. {@code id} is stable across redeliveries (consumers deduplicate
 * on it); {@link #position()} orders the log: every committed event has one, and an event committed
 * later never gets a position before one already handed out.
 */
public record Event(
        UUID id,
        UUID tenantId,
        String type,
        String source,
        @Nullable String subject,
        Instant time,
        Instant recordedAt,
        @Nullable UUID assetId,
        @Nullable UUID zoneId,
        List<String> assetTags,
        List<String> zoneTags,
        JsonNode data,
        LogPosition position) {}
