package io.sextant.identity;

import io.sextant.tenancy.Tenant;
import io.sextant.tenancy.Tenants;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.core.convert.converter.Converter;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.server.resource.InvalidBearerTokenException;

/**
 * Turns a verified JWT into a {@link SextantPrincipal}: the embedded issuer's tokens by the account
 * they name, an external provider's by the claims its configuration names.
 */
final class JwtPrincipals {

    private JwtPrincipals() {}

    /**
     * The embedded issuer's tokens name an account; the account's current row decides, on every
     * request, whether the token still counts (a deleted, disabled or revoked account ends its
     * tokens) and what it may do (the roles are the row's, not the token's). One lookup by key.
     */
    static Converter<Jwt, AbstractAuthenticationToken> embedded(
            UserAccounts users, ServiceAccounts serviceAccounts, PrincipalPolicies policies) {
        return jwt -> {
            UUID tenant = parseTenantId(jwt.getClaimAsString(TokenClaims.TENANT))
                    .orElseThrow(() -> new InvalidBearerTokenException("token carries no tenant"));
            String subject = String.valueOf(jwt.getSubject());
            SextantPrincipal principal;
            if (TokenClaims.KIND_SERVICE.equals(jwt.getClaimAsString(TokenClaims.KIND))) {
                ServiceAccount account = serviceAccounts
                        .findActive(subject)
                        .map(ServiceAccountRepository.Credentials::account)
                        .filter(a -> a.tenantId().equals(tenant))
                        .orElseThrow(() -> new InvalidBearerTokenException(
                                "the token's service account has been revoked or deleted"));
                principal = policies.principal(
                        SextantPrincipal.Kind.SERVICE_ACCOUNT,
                        "service:" + subject,
                        account.name(),
                        tenant,
                        account.roles(),
                        Set.of());
            } else {
                UserAccount user = parseTenantId(subject)
                        .flatMap(users::findEnabled)
                        .filter(u -> u.tenantId().equals(tenant))
                        .orElseThrow(
                                () -> new InvalidBearerTokenException("the token's user has been disabled or deleted"));
                principal = policies.principal(
                        SextantPrincipal.Kind.USER, "user:" + subject, user.username(), tenant, user.roles(), Set.of());
            }
            return new SextantAuthentication(principal, jwt.getTokenValue());
        };
    }

    static Converter<Jwt, AbstractAuthenticationToken> external(
            IdentityProperties.External settings, Tenants tenants, PrincipalPolicies policies) {
        return jwt -> {
            Object tenantClaim = claimAt(jwt.getClaims(), settings.tenantClaim());
            String tenantRef = tenantClaim != null ? tenantClaim.toString() : settings.defaultTenant();
            if (tenantRef == null || tenantRef.isBlank()) {
                throw new InvalidBearerTokenException("token carries no '" + settings.tenantClaim() + "' claim");
            }
            Tenant tenant = parseTenantId(tenantRef)
                    .flatMap(tenants::find)
                    .or(() -> tenants.findBySlug(tenantRef))
                    .orElseThrow(() -> new InvalidBearerTokenException("token names an unknown tenant"));
            List<String> roles = stringList(claimAt(jwt.getClaims(), settings.rolesClaim()));
            String subject = String.valueOf(jwt.getSubject());
            String name = Optional.ofNullable(jwt.getClaimAsString("preferred_username"))
                    .orElse(subject);
            // Every name of the roles claim is a group that grants may name; the built-in role names
            // among them also grant their roles, unscoped.
            SextantPrincipal principal = policies.principal(
                    SextantPrincipal.Kind.EXTERNAL,
                    "external:" + jwt.getIssuer() + "#" + subject,
                    name,
                    tenant.id(),
                    roles,
                    Set.copyOf(roles));
            return new SextantAuthentication(principal, jwt.getTokenValue());
        };
    }

    /** The claim at a dotted path ({@code realm_access.roles}), or null. */
    static @Nullable Object claimAt(Map<String, Object> claims, String path) {
        Object current = claims;
        for (String part : path.split("\\.")) {
            if (!(current instanceof Map<?, ?> map)) {
                return null;
            }
            current = map.get(part);
        }
        return current;
    }

    private static List<String> stringList(@Nullable Object value) {
        if (value instanceof Collection<?> collection) {
            return collection.stream().map(String::valueOf).toList();
        }
        if (value instanceof String string) {
            return List.of(string.split("[ ,]+"));
        }
        return List.of();
    }

    private static Optional<UUID> parseTenantId(@Nullable String value) {
        if (value == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(UUID.fromString(value));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
