package io.sextant.tenancy;

import java.time.Instant;
import java.util.UUID;

/** A customer organisation: the owner of every asset, zone, event and identity inside it. */
public record Tenant(UUID id, String slug, String name, Instant createdAt) {}
