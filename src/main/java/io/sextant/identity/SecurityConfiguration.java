package io.sextant.identity;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import io.sextant.tenancy.Tenants;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpMethod;
import org.springframework.security.authentication.AuthenticationManager;
import org.springframework.security.authentication.AuthenticationManagerResolver;
import org.springframework.security.authentication.ProviderNotFoundException;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.method.configuration.EnableMethodSecurity;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.oauth2.server.authorization.OAuth2AuthorizationServerConfigurer;
import org.springframework.security.config.http.SessionCreationPolicy;
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
import org.springframework.security.oauth2.server.resource.InvalidBearerTokenException;
import org.springframework.security.oauth2.server.resource.authentication.BearerTokenAuthenticationToken;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationProvider;
import org.springframework.security.oauth2.server.resource.authentication.JwtIssuerAuthenticationManagerResolver;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.AnonymousAuthenticationFilter;
import org.springframework.security.web.authentication.AuthenticationEntryPointFailureHandler;
import org.springframework.security.web.authentication.AuthenticationFilter;
import org.springframework.security.web.authentication.logout.LogoutFilter;
import org.springframework.security.web.authentication.preauth.AbstractPreAuthenticatedProcessingFilter;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.OrRequestMatcher;
import tools.jackson.databind.json.JsonMapper;

/**
 * Three filter chains: the embedded authorization server's protocol endpoints (discovery, JWKS,
 * token, with failed client authentications throttled); the tracker app endpoints under {@code /ingest/}, which accept API keys where those apps
 * can put them; and everything else as an OAuth2 resource server that accepts the embedded issuer's
 * tokens, an external OIDC provider's tokens and API keys. Each failure is a 401 problem document.
 */
@Configuration(proxyBeanMethods = false)
@EnableMethodSecurity
class SecurityConfiguration {

    /**
     * The token endpoint (client credentials only), the JWKS and the discovery documents. Failed
     * client authentications are throttled like failed passwords.
     */
    @Bean
    @Order(1)
    SecurityFilterChain authorizationServerChain(
            HttpSecurity http,
            IdentityProperties properties,
            AuthorizationServerSettings endpoints,
            SignInThrottle throttle,
            JsonMapper json)
            throws Exception {
        var authorizationServer = new OAuth2AuthorizationServerConfigurer();
        ProblemAuthenticationEntryPoint problems = new ProblemAuthenticationEntryPoint();
        // Only the endpoints Sextant offers: the library's others (authorize, introspect, revoke,
        // device, registration, userinfo) serve flows that are not supported here, so they stay
        // unmatched and answer like any unknown path.
        PathPatternRequestMatcher.Builder paths = PathPatternRequestMatcher.withDefaults();
        http.securityMatcher(new OrRequestMatcher(
                        paths.matcher(endpoints.getTokenEndpoint()),
                        paths.matcher(endpoints.getJwkSetEndpoint()),
                        paths.matcher(DiscoveryDocuments.OPENID_CONFIGURATION),
                        paths.matcher(DiscoveryDocuments.AUTHORIZATION_SERVER)))
                .with(authorizationServer, Customizer.withDefaults())
                .addFilterBefore(new DiscoveryDocuments(properties.issuer(), json), LogoutFilter.class)
                .addFilterBefore(
                        new ClientSignInThrottleFilter(throttle), AbstractPreAuthenticatedProcessingFilter.class)
                .authorizeHttpRequests(requests -> requests.anyRequest().authenticated())
                .csrf(csrf -> csrf.disable())
                .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .exceptionHandling(exceptions -> exceptions.authenticationEntryPoint(problems));
        return http.build();
    }

    /**
     * Tracker apps authenticate with a device's API key, sent where each app can put it (see {@link
     * TrackerCredentials}). Only API keys: a key is what a device is given, and the URL, where some
     * apps must put it, is no place for a user's token.
     */
    @Bean
    @Order(2)
    SecurityFilterChain trackerChain(HttpSecurity http, ApiKeys apiKeys) throws Exception {
        ProblemAuthenticationEntryPoint problems =
                new ProblemAuthenticationEntryPoint("no credentials: " + TrackerCredentials.WHERE);
        AuthenticationFilter apiKeyAuthentication =
                new AuthenticationFilter(apiKeysOnly(apiKeys), new TrackerCredentials());
        apiKeyAuthentication.setSuccessHandler((request, response, authentication) -> {});
        apiKeyAuthentication.setFailureHandler(new AuthenticationEntryPointFailureHandler(problems));
        http.securityMatcher("/ingest/**")
                .authorizeHttpRequests(requests -> requests.anyRequest().authenticated())
                .addFilterBefore(apiKeyAuthentication, AnonymousAuthenticationFilter.class)
                .csrf(csrf -> csrf.disable())
                .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .requestCache(cache -> cache.disable())
                .exceptionHandling(exceptions ->
                        exceptions.authenticationEntryPoint(problems).accessDeniedHandler(problems));
        return http.build();
    }

    private static AuthenticationManager apiKeysOnly(ApiKeys apiKeys) {
        return authentication -> {
            if (!(authentication instanceof BearerTokenAuthenticationToken presented)) {
                throw new ProviderNotFoundException(
                        "not an API key: " + authentication.getClass().getSimpleName());
            }
            String key = presented.getToken();
            if (!ApiKeys.looksLikeApiKey(key)) {
                throw new InvalidBearerTokenException("tracker endpoints accept API keys (sxk_...) only");
            }
            return new SextantAuthentication(apiKeys.authenticate(key), key);
        };
    }

    /** Runs before every other filter, so that nothing downstream sees or logs a key sent in the URL. */
    @Bean
    FilterRegistrationBean<UrlApiKeyFilter> urlApiKeyFilter() {
        var registration = new FilterRegistrationBean<>(new UrlApiKeyFilter());
        registration.addUrlPatterns("/ingest/*");
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 5);
        return registration;
    }

    @Bean
    @Order(3)
    SecurityFilterChain apiChain(HttpSecurity http, AuthenticationManager bearerAuthentication) throws Exception {
        ProblemAuthenticationEntryPoint problems = new ProblemAuthenticationEntryPoint();
        AuthenticationManagerResolver<jakarta.servlet.http.HttpServletRequest> resolver =
                request -> bearerAuthentication;
        http.authorizeHttpRequests(requests -> requests.requestMatchers(
                                "/actuator/health",
                                "/actuator/health/**",
                                "/actuator/info",
                                "/actuator/prometheus",
                                "/v3/api-docs",
                                "/v3/api-docs/**",
                                "/v3/api-docs.yaml",
                                "/swagger-ui.html",
                                "/swagger-ui/**",
                                "/error")
                        .permitAll()
                        .requestMatchers(HttpMethod.POST, "/api/v1/auth/token")
                        .permitAll()
                        .anyRequest()
                        .authenticated())
                .csrf(csrf -> csrf.disable())
                .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .requestCache(cache -> cache.disable())
                .oauth2ResourceServer(server -> server.authenticationManagerResolver(resolver)
                        .authenticationEntryPoint(problems)
                        .accessDeniedHandler(problems))
                .exceptionHandling(exceptions ->
                        exceptions.authenticationEntryPoint(problems).accessDeniedHandler(problems));
        return http.build();
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
            UserAccounts users,
            ServiceAccounts serviceAccounts,
            Tenants tenants,
            Clock clock) {
        Map<String, AuthenticationManager> byIssuer = new HashMap<>();
        JwtAuthenticationProvider embedded =
                new JwtAuthenticationProvider(embeddedDecoder(properties, signingKeys, clock));
        embedded.setJwtAuthenticationConverter(JwtPrincipals.embedded(users, serviceAccounts));
        byIssuer.put(properties.issuer(), embedded::authenticate);
        IdentityProperties.External external = properties.external();
        if (external.enabled()) {
            JwtAuthenticationProvider provider = new JwtAuthenticationProvider(externalDecoder(properties, clock));
            provider.setJwtAuthenticationConverter(JwtPrincipals.external(external, tenants));
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
        processor.setJWSKeySelector(new JWSVerificationKeySelector<>(JWSAlgorithm.RS256, signingKeys));
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
