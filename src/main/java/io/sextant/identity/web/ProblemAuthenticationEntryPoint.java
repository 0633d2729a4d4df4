package io.sextant.identity.web;

import io.sextant.shared.web.ProblemResponses;
import io.sextant.shared.web.Problems;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.http.HttpStatus;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.server.resource.web.BearerTokenAuthenticationEntryPoint;
import org.springframework.security.oauth2.server.resource.web.access.BearerTokenAccessDeniedHandler;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.access.AccessDeniedHandler;

/**
 * 401 and 403 as problem documents, keeping the {@code WWW-Authenticate} challenge of RFC 6750 that
 * OAuth2 clients rely on.
 */
final class ProblemAuthenticationEntryPoint implements AuthenticationEntryPoint, AccessDeniedHandler {

    private static final String BEARER_TOKEN_REQUIRED =
            "this resource requires a bearer token: send 'Authorization: Bearer <token or API key>'";

    private final BearerTokenAuthenticationEntryPoint challenge = new BearerTokenAuthenticationEntryPoint();
    private final BearerTokenAccessDeniedHandler deniedChallenge = new BearerTokenAccessDeniedHandler();
    private final String credentialsRequired;

    ProblemAuthenticationEntryPoint() {
        this(BEARER_TOKEN_REQUIRED);
    }

    /** @param credentialsRequired the detail of the 401 for a request without any credentials */
    ProblemAuthenticationEntryPoint(String credentialsRequired) {
        this.credentialsRequired = credentialsRequired;
    }

    @Override
    public void commence(HttpServletRequest request, HttpServletResponse response, AuthenticationException failure)
            throws IOException {
        challenge.commence(request, response, failure);
        ProblemResponses.write(
                request,
                response,
                Problems.detail(HttpStatus.UNAUTHORIZED, "unauthorized", "Unauthorized", describe(failure)));
    }

    @Override
    public void handle(HttpServletRequest request, HttpServletResponse response, AccessDeniedException denied)
            throws IOException {
        deniedChallenge.handle(request, response, denied);
        ProblemResponses.write(
                request,
                response,
                Problems.detail(
                        HttpStatus.FORBIDDEN,
                        "forbidden",
                        "Forbidden",
                        "your credentials do not grant the permission this operation needs"));
    }

    private String describe(AuthenticationException failure) {
        if (failure instanceof OAuth2AuthenticationException oauth
                && oauth.getError().getDescription() != null) {
            return oauth.getError().getDescription();
        }
        if (failure.getClass().getSimpleName().equals("InsufficientAuthenticationException")) {
            return credentialsRequired;
        }
        return failure.getMessage() == null ? "authentication failed" : failure.getMessage();
    }
}
