package io.sextant.identity.web;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.http.MediaType;
import org.springframework.web.filter.OncePerRequestFilter;
import tools.jackson.databind.json.JsonMapper;

/**
 * The issuer's discovery documents ({@code /.well-known/openid-configuration}, RFC 8414's {@code
 * /.well-known/oauth-authorization-server}), listing only what works: the client-credentials grant at
 * the token endpoint and the JWKS. The authorization server library would always advertise an
 * authorization endpoint and the code and refresh-token grants, which Sextant does not serve (people
 * sign in at {@code POST /api/v1/auth/token}), so these documents are written here.
 */
final class DiscoveryDocuments extends OncePerRequestFilter {

    static final String OPENID_CONFIGURATION = "/.well-known/openid-configuration";
    static final String AUTHORIZATION_SERVER = "/.well-known/oauth-authorization-server";

    private final byte[] openIdConfiguration;
    private final byte[] authorizationServer;

    DiscoveryDocuments(String issuer, JsonMapper json) {
        String base = issuer.endsWith("/") ? issuer.substring(0, issuer.length() - 1) : issuer;
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("issuer", issuer);
        metadata.put("token_endpoint", base + "/oauth2/token");
        metadata.put("token_endpoint_auth_methods_supported", List.of("client_secret_basic", "client_secret_post"));
        metadata.put("jwks_uri", base + "/oauth2/jwks");
        metadata.put("grant_types_supported", List.of("client_credentials"));
        // No authorization endpoint, so no response type: the list is required, and empty is the truth.
        metadata.put("response_types_supported", List.of());
        this.authorizationServer = json.writeValueAsBytes(metadata);
        Map<String, Object> openId = new LinkedHashMap<>(metadata);
        // Required by OpenID Connect Discovery; they describe the access tokens' subject and signature.
        openId.put("subject_types_supported", List.of("public"));
        openId.put("id_token_signing_alg_values_supported", List.of("RS256"));
        this.openIdConfiguration = json.writeValueAsBytes(openId);
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        String path = request.getRequestURI();
        return !"GET".equals(request.getMethod())
                || !(OPENID_CONFIGURATION.equals(path) || AUTHORIZATION_SERVER.equals(path));
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        byte[] document =
                OPENID_CONFIGURATION.equals(request.getRequestURI()) ? openIdConfiguration : authorizationServer;
        response.setContentType(MediaType.APPLICATION_JSON_VALUE);
        response.setCharacterEncoding(StandardCharsets.UTF_8.name());
        response.setContentLength(document.length);
        response.getOutputStream().write(document);
    }
}
