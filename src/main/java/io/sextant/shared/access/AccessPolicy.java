package io.sextant.shared.access;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Everything a subject may do, as the union of its grants: the one model the function checks, the
 * object checks, the queries and the streams all read. Immutable; resolved per request (see {@code
 * access.AccessPolicies}) and cheap to ask.
 *
 * @param subjectId the subject, such as {@code user:<id>}
 * @param grants its grants, its own unscoped roles included
 */
public record AccessPolicy(String subjectId, List<EffectiveGrant> grants) {

    /** Internal work: no caller to narrow for. */
    public static final AccessPolicy INTERNAL = new AccessPolicy("internal", List.of());

    public AccessPolicy {
        grants = List.copyOf(grants);
    }

    /** Whether some grant in force at {@code now} holds {@code permission}: the function-level check. */
    public boolean permits(String permission, Instant now) {
        if (this == INTERNAL) {
            return true;
        }
        for (EffectiveGrant grant : grants) {
            if (grant.permissions().contains(permission) && grant.inForce(now)) {
                return true;
            }
        }
        return false;
    }

    /** The permissions of the grants in force at {@code now}, sorted. */
    public Set<String> permissionsInForce(Instant now) {
        Set<String> permissions = new TreeSet<>();
        for (EffectiveGrant grant : grants) {
            if (grant.inForce(now)) {
                permissions.addAll(grant.permissions());
            }
        }
        return permissions;
    }

    /**
     * The permissions held without any narrowing — no scope, no schedule, no validity interval: what
     * the subject may hand on to a role definition, an API key or an account, which carry no scope.
     */
    public Set<String> unconditionalPermissions() {
        if (this == INTERNAL) {
            throw new IllegalStateException("internal work hands out no permissions");
        }
        Set<String> permissions = new TreeSet<>();
        for (EffectiveGrant grant : grants) {
            if (grant.isUnconditional()) {
                permissions.addAll(grant.permissions());
            }
        }
        return permissions;
    }

    /** What {@code permission} reaches at {@code now}: the scopes of the grants in force that hold it. */
    public Visibility visibility(String permission, Instant now) {
        if (this == INTERNAL) {
            return Visibility.ALL;
        }
        List<Scope> scopes = new ArrayList<>();
        for (EffectiveGrant grant : grants) {
            if (grant.permissions().contains(permission) && grant.inForce(now)) {
                if (grant.scope().reachesAllData()) {
                    return Visibility.ALL;
                }
                scopes.add(grant.scope());
            }
        }
        return scopes.isEmpty() ? Visibility.NONE : new Visibility.Scoped(scopes);
    }
}
