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
 * @param maxTokenLifetime the longest lifetime of an accepted token, embedded or external: {@code
 *     exp} may lie no further than this after {@code iat}, nor after now ({@code
 *     SEXTANT_AUTH_MAX_TOKEN_LIFETIME}); {@code tokenTtl} may not exceed it
 * @param clockSkew tolerance when checking a token's exp and nbf ({@code SEXTANT_AUTH_CLOCK_SKEW})
 * @param signInThrottle how failed password and client-secret attempts are slowed down
 * @param external an external OIDC provider whose tokens are accepted too
 * @param bootstrap the tenant and administrator created on first start
 */
@ConfigurationProperties("sextant.auth")
public record IdentityProperties(
        String issuer,
        @DefaultValue("sextant-api") String audience,
        @DefaultValue("1h") Duration tokenTtl,
        @DefaultValue("24h") Duration maxTokenLifetime,
        @DefaultValue("30s") Duration clockSkew,
        @DefaultValue SignInThrottle signInThrottle,
        @DefaultValue External external,
        @DefaultValue Bootstrap bootstrap) {

    public IdentityProperties {
        if (tokenTtl.compareTo(maxTokenLifetime) > 0) {
            throw new IllegalArgumentException("SEXTANT_AUTH_TOKEN_TTL (" + tokenTtl
                    + ") is longer than SEXTANT_AUTH_MAX_TOKEN_LIFETIME (" + maxTokenLifetime
                    + "): the issuer's own tokens would be refused");
        }
    }

    /**
     * Failed sign-ins ({@code POST /api/v1/auth/token}, and client authentication at {@code POST
     * /oauth2/token}) are counted per name (username, client id) and per client address. From the
     * Nth failure on, each one locks that name or address out for twice as long as the one before,
     * from {@code initialLockout} up to {@code maxLockout}; while locked out every attempt is a 429,
     * the right password included. A success clears the name's count.
     *
     * @param failuresPerName failures of one username or client id that start the lockouts ({@code
     *     SEXTANT_AUTH_THROTTLE_FAILURES_PER_NAME})
     * @param failuresPerAddress failures from one client address, whatever the names, that start
     *     its lockouts ({@code SEXTANT_AUTH_THROTTLE_FAILURES_PER_ADDRESS})
     * @param initialLockout the first lockout ({@code SEXTANT_AUTH_THROTTLE_INITIAL_LOCKOUT})
     * @param maxLockout the longest lockout ({@code SEXTANT_AUTH_THROTTLE_MAX_LOCKOUT})
     * @param forgetAfter a count is forgotten this long after its last failure or lockout ends
     *     ({@code SEXTANT_AUTH_THROTTLE_FORGET_AFTER})
     * @param maxTracked most names and, separately, addresses counted at once; the least recently
     *     failed are forgotten first ({@code SEXTANT_AUTH_THROTTLE_MAX_TRACKED})
     */
    public record SignInThrottle(
            @DefaultValue("5") int failuresPerName,
            @DefaultValue("20") int failuresPerAddress,
            @DefaultValue("1s") Duration initialLockout,
            @DefaultValue("15m") Duration maxLockout,
            @DefaultValue("1h") Duration forgetAfter,
            @DefaultValue("100000") int maxTracked) {}

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
