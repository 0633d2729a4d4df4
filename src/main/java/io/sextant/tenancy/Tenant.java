package io.sextant.tenancy;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

/**
 * A customer organisation: the owner of every asset, zone, event and identity inside it.
 *
 * @param positionRetention how long position history is kept
 */
public record Tenant(UUID id, String slug, String name, Duration positionRetention, Instant createdAt) {}
