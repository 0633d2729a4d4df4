package io.sextant.access.web;

import io.sextant.access.AuditLogDenials;
import io.sextant.access.AuditLogDenials.DeniedRequest;
import io.sextant.identity.SextantPrincipal;
import io.sextant.shared.TenantPrincipal;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.web.context.RequestAttributeSecurityContextRepository;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerMapping;

/**
 * Hands every 401 and 403 answer to {@link AuditLogDenials}. It runs outside Spring Security, so it
 * sees the status whichever part refused the request (the authentication entry point, the handler's
 * permission check, an application service); the caller, when it was authenticated, is the one
 * Spring Security kept with the request.
 */
final class AuditDeniedRequestFilter extends OncePerRequestFilter {

    private static final String REQUEST_ID_HEADER = "X-Request-Id";
    private static final int MAX_TEXT = 1000;
    private static final Pattern DESCRIPTION = Pattern.compile("error_description=\"([^\"]*)\"");
    private static final Pattern QUOTED = Pattern.compile("'([^']+)'");

    private final AuditLogDenials denials;
    private final RequestAttributeSecurityContextRepository contexts = new RequestAttributeSecurityContextRepository();

    AuditDeniedRequestFilter(AuditLogDenials denials) {
        this.denials = denials;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        try {
            chain.doFilter(request, response);
        } finally {
            int status = response.getStatus();
            if (status == HttpServletResponse.SC_UNAUTHORIZED || status == HttpServletResponse.SC_FORBIDDEN) {
                denials.record(denied(request, response, status));
            }
        }
    }

    private DeniedRequest denied(HttpServletRequest request, HttpServletResponse response, int status) {
        Authentication authentication =
                contexts.loadDeferredContext(request).get().getAuthentication();
        TenantPrincipal principal = authentication != null
                        && authentication.isAuthenticated()
                        && authentication.getPrincipal() instanceof TenantPrincipal tenantPrincipal
                ? tenantPrincipal
                : null;
        return new DeniedRequest(
                principal == null ? null : principal.tenantId(),
                principal == null ? null : principal.subjectId(),
                principal instanceof SextantPrincipal sextant ? sextant.name() : null,
                request.getRemoteAddr(),
                response.getHeader(REQUEST_ID_HEADER),
                request.getMethod(),
                truncate(request.getRequestURI()),
                status,
                truncate(
                        status == HttpServletResponse.SC_UNAUTHORIZED
                                ? unauthenticatedReason(response)
                                : forbiddenReason(request, authentication)));
    }

    /** The bearer challenge's description (RFC 6750), which names what was wrong with the credentials. */
    private static String unauthenticatedReason(HttpServletResponse response) {
        String challenge = response.getHeader("WWW-Authenticate");
        if (challenge != null) {
            Matcher description = DESCRIPTION.matcher(challenge);
            if (description.find()) {
                return description.group(1);
            }
            if (!challenge.contains("error=")) {
                return "no credentials";
            }
        }
        return "authentication failed";
    }

    /**
     * The permission the handler requires when the caller lacks it; otherwise the handler's
     * permission was held and an application service refused (such as a user who holds more
     * permissions than the caller).
     */
    private static String forbiddenReason(HttpServletRequest request, @Nullable Authentication authentication) {
        List<String> required = requiredPermissions(request);
        if (required.isEmpty()) {
            return "forbidden";
        }
        List<String> held = authentication == null
                ? List.of()
                : authentication.getAuthorities().stream()
                        .map(GrantedAuthority::getAuthority)
                        .toList();
        if (required.stream().noneMatch(held::contains)) {
            return "missing permission: " + String.join(" or ", required);
        }
        return "refused by the service";
    }

    private static List<String> requiredPermissions(HttpServletRequest request) {
        if (!(request.getAttribute(HandlerMapping.BEST_MATCHING_HANDLER_ATTRIBUTE) instanceof HandlerMethod handler)) {
            return List.of();
        }
        PreAuthorize annotation = AnnotatedElementUtils.findMergedAnnotation(handler.getMethod(), PreAuthorize.class);
        if (annotation == null) {
            annotation = AnnotatedElementUtils.findMergedAnnotation(handler.getBeanType(), PreAuthorize.class);
        }
        if (annotation == null || !annotation.value().contains("Authority")) {
            return List.of();
        }
        List<String> permissions = new ArrayList<>();
        Matcher quoted = QUOTED.matcher(annotation.value());
        while (quoted.find()) {
            permissions.add(quoted.group(1));
        }
        return permissions;
    }

    private static String truncate(String text) {
        return text.length() <= MAX_TEXT ? text : text.substring(0, MAX_TEXT);
    }
}
