package io.sextant.identity;

import io.sextant.shared.TenantPrincipal;
import io.sextant.shared.access.AccessPolicy;
import io.sextant.shared.access.EffectiveGrant;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.springframework.security.core.AuthenticatedPrincipal;

/**
 * The authenticated caller, whatever proved it: a user's or service account's token from the
 * embedded issuer, a token from an external OIDC provider, or an API key.
 *
 * @param kind how the caller authenticated
 * @param subjectId stable id: {@code user:<id>}, {@code service:<client id>}, {@code api-key:<key
 *     id>} or {@code external:<issuer>#<sub>}
 * @param name a human-readable name (username, service account or key name)
 * @param tenantId the one tenant the caller acts in
 * @param permissions what the caller may do now: the permissions of its grants in force when the
 *     request was authenticated
 * @param groups the groups an external token names (its roles claim); grants to {@code
 *     group:<name>} apply to the caller
 * @param policy everything the caller may do and see: its own roles and its grants
 */
public record SextantPrincipal(
        Kind kind,
        String subjectId,
        String name,
        UUID tenantId,
        Set<Permission> permissions,
        Set<String> groups,
        AccessPolicy policy)
        implements TenantPrincipal, AuthenticatedPrincipal {

    public SextantPrincipal {
        permissions = permissions.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(permissions));
        groups = Set.copyOf(groups);
    }

    /** A caller whose permissions no grant narrows (tests, and callers without written grants). */
    public SextantPrincipal(Kind kind, String subjectId, String name, UUID tenantId, Set<Permission> permissions) {
        this(
                kind,
                subjectId,
                name,
                tenantId,
                permissions,
                Set.of(),
                new AccessPolicy(subjectId, List.of(baseGrant("own", permissions))));
    }

    /** Its own permissions as one unscoped grant, with the id under which explanations name it. */
    static EffectiveGrant baseGrant(String id, Set<Permission> permissions) {
        return EffectiveGrant.unscoped(
                id, id, permissions.stream().map(Permission::authority).collect(Collectors.toSet()));
    }

    @Override
    public String getName() {
        return subjectId;
    }

    public boolean has(Permission permission) {
        return permissions.contains(permission);
    }

    /** How a principal authenticated. */
    public enum Kind {
        USER,
        SERVICE_ACCOUNT,
        API_KEY,
        EXTERNAL
    }
}
