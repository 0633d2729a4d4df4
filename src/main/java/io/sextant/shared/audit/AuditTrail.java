package io.sextant.shared.audit;

import org.jspecify.annotations.Nullable;

/**
 * The audit log's port: an administrative change is recorded in the transaction that makes it, so
 * the entry exists exactly when the change does. The actor, tenant, time and request id come from
 * the calling context (the authenticated caller, the current tenant, the request's id); a change
 * made by internal work names the system as its actor.
 */
public interface AuditTrail {

    /**
     * Records a change of one resource in the current tenant.
     *
     * @param action what was done, as {@code <resource type>.<verb>}: {@code grant.created}, {@code
     *     api-key.revoked}, {@code user.updated}
     * @param resourceType the kind of resource: {@code grant}, {@code role}, {@code user}, …
     * @param resourceId the resource's id
     * @param before the resource as it was (its API representation), or null when created
     * @param after the resource as it is now, or null when deleted
     */
    void recordChange(
            String action, String resourceType, String resourceId, @Nullable Object before, @Nullable Object after);
}
