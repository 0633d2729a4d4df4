package io.sextant.identity;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** A person who signs in with a username and password. */
public record UserAccount(UUID id, UUID tenantId, String username, List<String> roles, Instant createdAt) {}
