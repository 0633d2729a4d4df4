package io.sextant.identity;

import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import io.sextant.tenancy.Tenants;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.springframework.aop.Advisor;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Role;
import org.springframework.security.authentication.AuthenticationManager;
import org.springframework.security.authentication.ProviderNotFoundException;
import org.springframework.security.config.annotation.method.configuration.EnableMethodSecurity;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtClaimNames;
import org.springframework.security.oauth2.jwt.JwtClaimValidator;
import org.springframework.security.oauth2.jwt.JwtEncoder;
import org.springframework.security.oauth2.jwt.JwtIssuerValidator;
import org.springframework.security.oauth2.jwt.JwtTimestampValidator;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.oauth2.jwt.NimbusJwtEncoder;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.settings.AuthorizationServerSettings;
import org.springframework.security.oauth2.server.authorization.token.JwtEncodingContext;
import org.springframework.security.oauth2.server.authorization.token.OAuth2TokenCustomizer;
import org.springframework.security.oauth2.server.resource.authentication.BearerTokenAuthenticationToken;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationProvider;
import org.springframework.security.oauth2.server.resource.authentication.JwtIssuerAuthenticationManagerResolver;

/**
 * What authenticates a caller, whatever the transport: the one bearer authentication manager (the
 * embedded issuer's tokens, an external OIDC provider's tokens, API keys), the embedded
 * authorization server's clients and token claims, and method security: {@code @PreAuthorize} on
 * the web handlers and {@code @RequiresPermission} on the application services ({@link
 * ServicePermissions}). The HTTP filter chains that use them are in {@code identity.web}.
 */
@Configuration(proxyBeanMethods = false)
@EnableMethodSecurity
class SecurityConfiguration {

    /** The services' own permission checks; static and without dependencies, as advisors are made first. */
    @Bean
    @Role(BeanDefinition.ROLE_INFRASTRUCTURE)
    static Advisor servicePermissions() {
        return ServicePermissions.interceptor();
    }

    /**
     * One manager for every bearer credential: API keys by their prefix, JWTs by their issuer. As the
     * application's only {@link AuthenticationManager} bean it is also the parent the authorization
     * server's managers fall back to when their own providers refuse a request (a wrong client
     * secret, a revoked client, an invalid scope). Anything but a bearer token it declines with
     * {@link ProviderNotFoundException}, so the client gets that original OAuth2 error, not a 500.
     */
    @Bean
    @SuppressWarnings("NullAway") // an unknown issuer maps to no manager, which the resolver reports as a 401
    AuthenticationManager bearerAuthentication(
            IdentityProperties properties,
            SigningKeys signingKeys,
            ApiKeys apiKeys,
            PrincipalPolicies policies,
            UserAccounts users,
            ServiceAccounts serviceAccounts,
            Tenants tenants,
            Clock clock) {
        Map<String, AuthenticationManager> byIssuer = new HashMap<>();
        JwtAuthenticationProvider embedded =
                new JwtAuthenticationProvider(embeddedDecoder(properties, signingKeys, clock));
        embedded.setJwtAuthenticationConverter(JwtPrincipals.embedded(users, serviceAccounts, policies));
        byIssuer.put(properties.issuer(), embedded::authenticate);
        IdentityProperties.External external = properties.external();
        if (external.enabled()) {
            JwtAuthenticationProvider provider = new JwtAuthenticationProvider(externalDecoder(properties, clock));
            provider.setJwtAuthenticationConverter(JwtPrincipals.external(external, tenants, policies));
            byIssuer.put(Objects.requireNonNull(external.issuerUri()), provider::authenticate);
        }
        AuthenticationManager jwts = new JwtIssuerAuthenticationManagerResolver(byIssuer::get).resolve(null);
        return authentication -> {
            if (!(authentication instanceof BearerTokenAuthenticationToken bearer)) {
                throw new ProviderNotFoundException(
                        "not a bearer token: " + authentication.getClass().getSimpleName());
            }
            if (ApiKeys.looksLikeApiKey(bearer.getToken())) {
                return new SextantAuthentication(apiKeys.authenticate(bearer.getToken()), bearer.getToken());
            }
            return jwts.authenticate(bearer);
        };
    }

    private static NimbusJwtDecoder embeddedDecoder(
            IdentityProperties properties, SigningKeys signingKeys, Clock clock) {
        DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
        processor.setJWSKeySelector((header, context) -> signingKeys.verificationKeys(header));
        processor.setJWTClaimsSetVerifier((claims, context) -> {});
        NimbusJwtDecoder decoder = new NimbusJwtDecoder(processor);
        decoder.setJwtValidator(validator(properties, properties.issuer(), List.of(properties.audience()), clock));
        return decoder;
    }

    private static NimbusJwtDecoder externalDecoder(IdentityProperties properties, Clock clock) {
        IdentityProperties.External external = properties.external();
        String issuer = Objects.requireNonNull(external.issuerUri());
        NimbusJwtDecoder decoder =
                external.jwkSetUri() != null && !external.jwkSetUri().isBlank()
                        ? NimbusJwtDecoder.withJwkSetUri(external.jwkSetUri())
                                .jwsAlgorithm(SignatureAlgorithm.RS256)
                                .jwsAlgorithm(SignatureAlgorithm.ES256)
                                .build()
                        : NimbusJwtDecoder.withIssuerLocation(issuer).build();
        decoder.setJwtValidator(validator(properties, issuer, external.audiences(), clock));
        return decoder;
    }

    private static OAuth2TokenValidator<Jwt> validator(
            IdentityProperties properties, String issuer, List<String> audiences, Clock clock) {
        OAuth2TokenValidator<Jwt> audience = new JwtClaimValidator<List<String>>(
                JwtClaimNames.AUD,
                aud -> audiences.isEmpty() || (aud != null && aud.stream().anyMatch(audiences::contains)));
        JwtTimestampValidator timestamps = new JwtTimestampValidator(properties.clockSkew());
        timestamps.setClock(clock);
        return new DelegatingOAuth2TokenValidator<>(
                timestamps,
                new TokenLifetime(properties.maxTokenLifetime(), properties.clockSkew(), clock),
                new JwtIssuerValidator(issuer),
                audience);
    }

    @Bean
    OAuth2AuthorizationService authorizationService() {
        return new StatelessAuthorizations();
    }

    @Bean
    AuthorizationServerSettings authorizationServerSettings(IdentityProperties properties) {
        return AuthorizationServerSettings.builder().issuer(properties.issuer()).build();
    }

    @Bean
    RegisteredClientRepository registeredClientRepository(ServiceAccounts accounts, IdentityProperties properties) {
        return new ServiceAccountClients(accounts, properties.tokenTtl());
    }

    @Bean
    JwtEncoder jwtEncoder(SigningKeys signingKeys) {
        return new NimbusJwtEncoder(signingKeys);
    }

    /** Client-credentials tokens carry the service account's tenant and roles, and the API audience. */
    @Bean
    OAuth2TokenCustomizer<JwtEncodingContext> serviceAccountClaims(
            ServiceAccounts accounts, SigningKeys signingKeys, IdentityProperties properties) {
        return context -> {
            context.getJwsHeader().keyId(signingKeys.activeKeyId());
            if (AuthorizationGrantType.CLIENT_CREDENTIALS.equals(context.getAuthorizationGrantType())) {
                accounts.findActive(context.getRegisteredClient().getClientId())
                        .ifPresent(credentials -> context.getClaims()
                                .audience(List.of(properties.audience()))
                                .claim(
                                        TokenClaims.TENANT,
                                        credentials.account().tenantId().toString())
                                .claim(TokenClaims.ROLES, credentials.account().roles())
                                .claim(TokenClaims.KIND, TokenClaims.KIND_SERVICE)
                                .claim(TokenClaims.NAME, credentials.account().name()));
            }
        };
    }

    @Bean
    PasswordEncoder passwordEncoder() {
        return PasswordEncoderFactories.createDelegatingPasswordEncoder();
    }
}
