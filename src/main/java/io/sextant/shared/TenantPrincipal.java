package io.sextant.shared;

import io.sextant.shared.access.AccessPolicy;
import java.util.UUID;

/** An authenticated caller that acts inside exactly one tenant. */
public interface TenantPrincipal {

    UUID tenantId();

    /** A stable identifier of the caller, unique across kinds (user, service account, API key). */
    String subjectId();

    /** What the caller may do and see: the union of its grants, resolved for this request. */
    AccessPolicy policy();
}
