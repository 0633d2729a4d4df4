package io.sextant.tenancy;

import java.util.UUID;

/** Published in the transaction that creates a tenant. */
public record TenantCreated(UUID tenantId, String slug) {}
