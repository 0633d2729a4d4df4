package io.sextant.identity;

import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/** A machine client that obtains tokens with the OAuth2 client-credentials grant. */
public record ServiceAccount(
        UUID id,
        UUID tenantId,
        String clientId,
        String name,
        List<String> roles,
        Instant createdAt,
        @Nullable Instant revokedAt) {}
