package io.sextant.asset;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A thing that moves and reports positions.
 *
 * @param externalId the caller's own identifier, unique within the tenant (a device id, a plate)
 * @param type a lower-case kind such as {@code vehicle} or {@code drone}
 * @param tags lower-case labels used by filters and, later, by policies and subscriptions
 * @param attributes free JSON object, at most {@value AssetRules#MAX_ATTRIBUTE_BYTES} bytes
 * @param version incremented by every change; the ETag
 */
public record Asset(
        UUID id,
        UUID tenantId,
        String externalId,
        String name,
        String type,
        List<String> tags,
        Map<String, Object> attributes,
        Classification classification,
        long version,
        Instant createdAt,
        Instant updatedAt) {}
