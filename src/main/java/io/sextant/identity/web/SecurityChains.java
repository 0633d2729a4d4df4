package io.sextant.identity.web;

import io.sextant.identity.ApiKeys;
import io.sextant.identity.IdentityProperties;
import io.sextant.identity.SextantAuthentication;
import io.sextant.identity.SignInThrottle;
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
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.oauth2.server.authorization.OAuth2AuthorizationServerConfigurer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.oauth2.server.authorization.settings.AuthorizationServerSettings;
import org.springframework.security.oauth2.server.resource.InvalidBearerTokenException;
import org.springframework.security.oauth2.server.resource.authentication.BearerTokenAuthenticationToken;
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
 * token, with failed client authentications throttled); the tracker app endpoints under {@code
 * /ingest/}, which accept API keys where those apps can put them; and everything else as an OAuth2
 * resource server that accepts the embedded issuer's tokens, an external OIDC provider's tokens and
 * API keys. Each failure is a 401 problem document.
 */
@Configuration(proxyBeanMethods = false)
class SecurityChains {

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
                        // The console's page, scripts and settings: public files; its data comes
                        // from the API with the signed-in user's token.
                        .requestMatchers(HttpMethod.GET, "/console", "/console/**")
                        .permitAll()
                        .anyRequest()
                        .authenticated())
                .csrf(csrf -> csrf.disable())
                .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .requestCache(cache -> cache.disable())
                .oauth2ResourceServer(server -> server.bearerTokenResolver(new SocketBearerTokenResolver())
                        .authenticationManagerResolver(resolver)
                        .authenticationEntryPoint(problems)
                        .accessDeniedHandler(problems))
                .exceptionHandling(exceptions ->
                        exceptions.authenticationEntryPoint(problems).accessDeniedHandler(problems));
        return http.build();
    }
}
