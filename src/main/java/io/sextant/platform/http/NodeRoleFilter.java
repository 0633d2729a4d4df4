package io.sextant.platform.http;

import io.sextant.shared.NodeRoles;
import io.sextant.shared.web.ProblemResponses;
import io.sextant.shared.web.Problems;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Serves only the requests of this node's roles ({@code SEXTANT_ROLES}): the ingest endpoints on
 * nodes with the {@code ingest} role, the rest of the API on nodes with the {@code api} role, and on
 * every node what any caller or operator needs — signing in, discovery and keys, health and metrics.
 * A request for another role is 421 Misdirected Request (RFC 9110 §15.5.20): the load balancer sent
 * it to the wrong kind of node, and a retry there would not help.
 */
final class NodeRoleFilter extends OncePerRequestFilter {

    private final NodeRoles roles;

    NodeRoleFilter(NodeRoles roles) {
        this.roles = roles;
    }

    /** Which role serves a request: ingest, api, or null when every node does. */
    static NodeRoles.@Nullable Role roleOf(String method, String path) {
        if (path.startsWith("/ingest/") || ("POST".equals(method) && path.equals("/api/v1/positions"))) {
            return NodeRoles.Role.INGEST;
        }
        if (path.equals("/api/v1/auth/token")
                || path.equals("/api/v1/me")
                || path.startsWith("/.well-known/")
                || path.startsWith("/oauth2/")
                || path.startsWith("/actuator")) {
            return null;
        }
        return NodeRoles.Role.API;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return roles.all();
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String path = request.getRequestURI().substring(request.getContextPath().length());
        NodeRoles.@Nullable Role role = roleOf(request.getMethod(), path);
        if (role != null && !roles.has(role)) {
            ProblemResponses.write(
                    request,
                    response,
                    Problems.detail(
                            HttpStatus.MISDIRECTED_REQUEST,
                            "misdirected-request",
                            "Not served by this node",
                            "This node has the roles " + roles + "; " + request.getMethod() + " " + path
                                    + " is served by nodes with the " + role.id() + " role"));
            return;
        }
        chain.doFilter(request, response);
    }
}
