package io.sextant.zone;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * A zone as the API shows it: its shape in the member it was given in ({@code geometry}, {@code
 * circle} or {@code corridor}, exactly one of them set, as given), its schedule and fence settings as
 * given, and the box covering it.
 *
 * @param bbox {@code [west, south, east, north]}; west greater than east when the zone crosses the
 *     antimeridian (RFC 7946, section 5.2)
 * @param version incremented by every change; the ETag
 */
public record Zone(
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
        Instant updatedAt) {}
