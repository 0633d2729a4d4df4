package io.sextant.identity;

import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * A person who signs in with a username and password; usernames are unique within a tenant.
 *
 * @param disabledAt when the user was disabled (it can neither sign in nor use its tokens), or null
 */
public record UserAccount(
        UUID id,
        UUID tenantId,
        String username,
        List<String> roles,
        Instant createdAt,
        @Nullable Instant disabledAt) {}
