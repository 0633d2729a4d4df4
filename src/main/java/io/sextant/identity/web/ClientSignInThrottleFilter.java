package io.sextant.identity.web;

import io.sextant.identity.SignInThrottle;
import io.sextant.shared.web.ProblemResponses;
import io.sextant.shared.web.Problems;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * The {@link SignInThrottle} in front of the token endpoint: a client id (from HTTP Basic or the
 * {@code client_id} form field) or address in a lockout gets a 429 before its secret is checked; an
 * answer of 401 counts as a failure, a 200 clears the client id's count.
 */
final class ClientSignInThrottleFilter extends OncePerRequestFilter {

    private final SignInThrottle throttle;

    ClientSignInThrottleFilter(SignInThrottle throttle) {
        this.throttle = throttle;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !("POST".equals(request.getMethod()) && "/oauth2/token".equals(request.getRequestURI()));
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String clientId = clientId(request);
        String name = clientId == null ? null : "client:" + clientId;
        String address = request.getRemoteAddr();
        Duration wait = throttle.lockout(name, address);
        if (wait.isPositive()) {
            long seconds = SignInThrottle.seconds(wait);
            response.setHeader(HttpHeaders.RETRY_AFTER, Long.toString(seconds));
            ProblemResponses.write(
                    request,
                    response,
                    Problems.signInThrottled(
                                    "too many failed client authentications; retry after " + seconds + " s", seconds)
                            .getBody());
            return;
        }
        chain.doFilter(request, response);
        if (response.getStatus() == HttpStatus.UNAUTHORIZED.value()) {
            throttle.failed(name, address);
        } else if (name != null && response.getStatus() == HttpStatus.OK.value()) {
            throttle.succeeded(name);
        }
    }

    /** The client id the request authenticates as, as RFC 6749 section 2.3.1 places it. */
    private static @Nullable String clientId(HttpServletRequest request) {
        String authorization = request.getHeader(HttpHeaders.AUTHORIZATION);
        if (authorization != null && authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            try {
                String credentials = new String(
                        Base64.getDecoder().decode(authorization.substring(6).strip()), StandardCharsets.UTF_8);
                int colon = credentials.indexOf(':');
                return URLDecoder.decode(
                        colon < 0 ? credentials : credentials.substring(0, colon), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                return null;
            }
        }
        return request.getParameter("client_id");
    }
}
