package io.sextant.identity.web;

import io.sextant.shared.web.WebSocketHandshakes;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Collections;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.server.resource.BearerTokenError;
import org.springframework.security.oauth2.server.resource.web.BearerTokenResolver;
import org.springframework.security.oauth2.server.resource.web.DefaultBearerTokenResolver;

/**
 * Finds a request's bearer token in its {@code Authorization} header (RFC 6750 §2.1), and, for a
 * WebSocket handshake that has none, in an offered subprotocol {@code sextant.bearer.<token>}: a
 * browser's {@code WebSocket} cannot set a header but can offer subprotocols (Kubernetes lets
 * browsers authenticate the same way). The server never selects that subprotocol, so the token is
 * not echoed back; a client offers a real one beside it ({@code cloudevents.json}). Nowhere else
 * is a token read from that header.
 */
final class SocketBearerTokenResolver implements BearerTokenResolver {

    static final String PREFIX = "sextant.bearer.";

    private final DefaultBearerTokenResolver header = new DefaultBearerTokenResolver();

    @Override
    public @Nullable String resolve(HttpServletRequest request) {
        String token = header.resolve(request);
        if (token != null || !WebSocketHandshakes.asksForWebSocket(request)) {
            return token;
        }
        String offered = null;
        for (String value : Collections.list(request.getHeaders("Sec-WebSocket-Protocol"))) {
            for (String protocol : value.split(",")) {
                String candidate = protocol.strip();
                if (!candidate.startsWith(PREFIX)) {
                    continue;
                }
                if (offered != null) {
                    throw invalid("offer one " + PREFIX + "<token> subprotocol, not several");
                }
                offered = candidate.substring(PREFIX.length());
                if (offered.isEmpty()) {
                    throw invalid("the " + PREFIX + "<token> subprotocol carries no token");
                }
            }
        }
        return offered;
    }

    private static OAuth2AuthenticationException invalid(String description) {
        return new OAuth2AuthenticationException(
                new BearerTokenError("invalid_request", HttpStatus.BAD_REQUEST, description, null));
    }
}
