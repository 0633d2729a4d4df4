package io.sextant.identity;

import java.util.UUID;

/**
 * Published once, on the very first start of a database (it had no tenant): the bootstrap tenant
 * and its administrator have just been created and committed. Only the node that created them
 * publishes it; others starting at once on the same database find the tenant and do not.
 *
 * @param bootstrapTenantId the tenant created
 */
public record FirstStart(UUID bootstrapTenantId) {}
