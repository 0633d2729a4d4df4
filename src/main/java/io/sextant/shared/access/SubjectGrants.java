package io.sextant.shared.access;

import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * The grants written for a subject, resolved for evaluation — the access module's port, which
 * identity asks when it builds the principal of a request. A subject's own unscoped roles are not
 * among them: identity adds those.
 */
public interface SubjectGrants {

    /**
     * The grants of {@code subjectId} and of each of {@code groups} ({@code group:<name>} subjects)
     * in the tenant. Answers from a cache at most {@link #MAX_STALENESS_SECONDS} old on a node that
     * did not make the change; the node that made it answers anew from the next request on.
     */
    List<EffectiveGrant> grantsOf(UUID tenantId, String subjectId, Set<String> groups);

    int MAX_STALENESS_SECONDS = 2;
}
