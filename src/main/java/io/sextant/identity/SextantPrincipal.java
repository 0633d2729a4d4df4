package io.sextant.identity;

import io.sextant.shared.TenantPrincipal;
import java.util.Set;
import java.util.UUID;
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
 * @param permissions what the caller may do
 */
public record SextantPrincipal(Kind kind, String subjectId, String name, UUID tenantId, Set<Permission> permissions)
        implements TenantPrincipal, AuthenticatedPrincipal {

    public SextantPrincipal {
        permissions = Set.copyOf(permissions);
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
