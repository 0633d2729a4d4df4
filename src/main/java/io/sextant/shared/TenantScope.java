package io.sextant.shared;

import java.util.UUID;

/**
 * Re-scopes the transaction under way to another tenant, for the few units of work that serve
 * several tenants in one transaction (an ingest group, a relay batch). After {@link #enter} every
 * statement of the transaction runs under row-level security for that tenant — it sees and may
 * write only that tenant's rows, whatever filter the statement forgets — until the next {@code
 * enter} or {@link #leave}. A transaction begun for one tenant (see {@link TenantContext}) needs
 * none of this: the transaction manager scopes it from the start.
 */
public interface TenantScope {

    /**
     * Scopes the rest of the current transaction to {@code tenantId}.
     *
     * @throws IllegalStateException if no transaction is under way
     */
    void enter(UUID tenantId);

    /** Returns the rest of the current transaction to the platform's own (unscoped) work. */
    void leave();
}
