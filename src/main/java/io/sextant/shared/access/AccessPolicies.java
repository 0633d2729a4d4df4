package io.sextant.shared.access;

import io.sextant.shared.TenantContext;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;

/**
 * The policy of the caller the current thread serves. Internal work — a unit of work that names its
 * tenant itself ({@link TenantContext#callAs}), or a thread with no authentication at all (the
 * position writer, job workers, the relay, timers) — serves no caller and is not narrowed; an
 * authentication that is not one of ours reaches nothing.
 */
public final class AccessPolicies {

    private static final AccessPolicy NOBODY = new AccessPolicy("anonymous", java.util.List.of());

    private AccessPolicies() {}

    public static AccessPolicy current() {
        if (TenantContext.isOverridden()) {
            return AccessPolicy.INTERNAL;
        }
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        if (authentication == null) {
            return AccessPolicy.INTERNAL;
        }
        if (authentication.isAuthenticated()
                && !(authentication instanceof AnonymousAuthenticationToken)
                && authentication.getPrincipal() instanceof io.sextant.shared.TenantPrincipal principal) {
            return principal.policy();
        }
        return NOBODY;
    }
}
