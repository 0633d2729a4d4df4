package io.sextant.identity;

import java.time.Instant;
import java.util.Set;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * A long-lived credential for a device or service, sent as a bearer token. Only a SHA-256 digest
 * of its secret is stored; {@code keyId} is the public part that finds it.
 */
public record ApiKey(
        UUID id,
        UUID tenantId,
        String keyId,
        String name,
        Set<Permission> permissions,
        String createdBy,
        Instant createdAt,
        @Nullable Instant expiresAt,
        @Nullable Instant revokedAt) {}
