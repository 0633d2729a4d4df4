package io.sextant.zone;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * One version of a zone from its history, with the interval it was valid in. The fields are those
 * of {@link Zone} as they were then; {@code updatedAt} is when the version was made.
 *
 * @param validFrom the instant this version took effect
 * @param validTo the instant the next version replaced it; {@code null} while it is current
 * @param deleted whether this version records the zone's deletion (it then carries the content it
 *     had last)
 */
public record ZoneVersion(
        UUID id,
        UUID tenantId,
        String name,
        List<String> tags,
        Map<String, Object> attributes,
        @Nullable JsonNode geometry,
        @Nullable JsonNode circle,
        @Nullable JsonNode corridor,
        @Nullable JsonNode schedule,
        @Nullable JsonNode fence,
        List<Double> bbox,
        long version,
        Instant createdAt,
        Instant updatedAt,
        Instant validFrom,
        @JsonInclude(JsonInclude.Include.ALWAYS) @Nullable Instant validTo,
        boolean deleted) {}
