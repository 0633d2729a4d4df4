package io.sextant.identity;

import java.time.Duration;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Authentication settings.
 *
 * @param issuer issuer URL of the embedded token issuer, as it appears in tokens and discovery
 *     ({@code SEXTANT_AUTH_ISSUER})
 * @param audience audience the embedded issuer puts in tokens and the API requires ({@code
 *     SEXTANT_AUTH_AUDIENCE})
 * @param tokenTtl lifetime of access tokens the embedded issuer mints ({@code
 *     SEXTANT_AUTH_TOKEN_TTL})
 * @param clockSkew tolerance when checking a token's exp and nbf ({@code SEXTANT_AUTH_CLOCK_SKEW})
 * @param external an external OIDC provider whose tokens are accepted too
 * @param bootstrap the tenant and administrator created on first start
 */
@ConfigurationProperties("sextant.auth")
public record IdentityProperties(
        String issuer,
        @DefaultValue("sextant-api") String audience,
        @DefaultValue("1h") Duration tokenTtl,
        @DefaultValue("30s") Duration clockSkew,
        @DefaultValue External external,
        @DefaultValue Bootstrap bootstrap) {

    /**
     * An external OpenID Connect provider (Keycloak, Auth0, Entra ID, ...). Disabled while {@code
     * issuerUri} is empty.
     *
     * @param issuerUri the provider's issuer ({@code SEXTANT_AUTH_EXTERNAL_ISSUER_URI})
     * @param jwkSetUri JWKS location, when discovery is not wanted ({@code
     *     SEXTANT_AUTH_EXTERNAL_JWK_SET_URI})
     * @param audiences audiences accepted, any of them ({@code SEXTANT_AUTH_EXTERNAL_AUDIENCES})
     * @param tenantClaim claim holding the tenant id or slug, dotted for nested claims ({@code
     *     SEXTANT_AUTH_EXTERNAL_TENANT_CLAIM})
     * @param defaultTenant tenant slug for tokens without the tenant claim, empty to refuse them
     *     ({@code SEXTANT_AUTH_EXTERNAL_DEFAULT_TENANT})
     * @param rolesClaim claim holding the list of Sextant role names, dotted for nested claims
     *     such as Keycloak's {@code realm_access.roles} ({@code SEXTANT_AUTH_EXTERNAL_ROLES_CLAIM})
     */
    public record External(
            @Nullable String issuerUri,
            @Nullable String jwkSetUri,
            @DefaultValue List<String> audiences,
            @DefaultValue("tenant") String tenantClaim,
            @Nullable String defaultTenant,
            @DefaultValue("roles") String rolesClaim) {

        public boolean enabled() {
            return issuerUri != null && !issuerUri.isBlank();
        }
    }

    /**
     * @param tenant slug of the first tenant ({@code SEXTANT_BOOTSTRAP_TENANT})
     * @param adminUsername the first administrator ({@code SEXTANT_BOOTSTRAP_ADMIN_USERNAME})
     * @param adminPassword its password; generated and printed once when empty ({@code
     *     SEXTANT_BOOTSTRAP_ADMIN_PASSWORD})
     */
    public record Bootstrap(
            @DefaultValue("default") String tenant,
            @DefaultValue("admin") String adminUsername,
            @Nullable String adminPassword) {}
}
