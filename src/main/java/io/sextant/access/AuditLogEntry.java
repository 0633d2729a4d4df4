package io.sextant.access;

import java.time.Instant;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * One entry of the audit log: an administrative change or a refused request.
 *
 * @param actor the subject who acted ({@code user:<id>}, {@code api-key:<key id>}, …), {@code
 *     system} for internal work, {@code anonymous} for a request without valid credentials
 * @param actorName the actor's display name when known
 * @param action what happened, {@code <resource type>.<verb>}: {@code api-key.revoked}, {@code
 *     request.forbidden}
 * @param requestId the {@code X-Request-Id} of the request that did it, null for internal work
 * @param outcome {@code changed} or {@code denied}
 * @param before the resource's API representation before the change, null when it was created
 * @param after the resource's API representation after the change, null when it was deleted
 * @param detail for a denied request: {@code method}, {@code path}, {@code status}, {@code reason}
 */
public record AuditLogEntry(
        UUID id,
        Instant occurredAt,
        String actor,
        @Nullable String actorName,
        String action,
        String resourceType,
        @Nullable String resourceId,
        @Nullable String requestId,
        String outcome,
        @Nullable JsonNode before,
        @Nullable JsonNode after,
        @Nullable JsonNode detail) {

    public static final String CHANGED = "changed";
    public static final String DENIED = "denied";
}
