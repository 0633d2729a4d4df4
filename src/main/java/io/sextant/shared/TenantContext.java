package io.sextant.shared;

import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;

/**
 * The tenant the current unit of work acts for. Inside an HTTP request it is the authenticated
 * principal's tenant; background work names its tenant explicitly with {@link #callAs}. The
 * transaction manager reads it to scope every transaction (row-level security).
 */
public final class TenantContext {

    /** Marks work that runs for the platform itself (sign-in, bootstrap, tenant management). */
    private static final UUID SYSTEM = new UUID(0, 0);

    private static final ThreadLocal<@Nullable UUID> OVERRIDE = new ThreadLocal<>();

    private TenantContext() {}

    public static Optional<UUID> current() {
        UUID override = OVERRIDE.get();
        if (override != null) {
            return SYSTEM.equals(override) ? Optional.empty() : Optional.of(override);
        }
        return principal().map(TenantPrincipal::tenantId);
    }

    /** The current tenant, for code that only runs on behalf of one. */
    public static UUID require() {
        return current().orElseThrow(() -> new IllegalStateException("no tenant in context"));
    }

    /**
     * Whether this thread runs inside {@link #callAs} or {@link #callAsSystem}: work that names its
     * tenant itself (a job, a timer, a platform operation) rather than acting for the caller.
     */
    public static boolean isOverridden() {
        return OVERRIDE.get() != null;
    }

    public static Optional<TenantPrincipal> principal() {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        if (authentication != null && authentication.getPrincipal() instanceof TenantPrincipal principal) {
            return Optional.of(principal);
        }
        return Optional.empty();
    }

    /**
     * Runs {@code work} outside any tenant scope, as the database owner: for the few operations
     * that are not a tenant's own (creating tenants, sign-in lookups). Use sparingly.
     */
    public static <T> T callAsSystem(Supplier<T> work) {
        return callAs(SYSTEM, work);
    }

    /** Runs {@code work} on behalf of {@code tenantId}, whatever the ambient principal is. */
    public static <T> T callAs(UUID tenantId, Supplier<T> work) {
        UUID previous = OVERRIDE.get();
        OVERRIDE.set(tenantId);
        try {
            return work.get();
        } finally {
            if (previous == null) {
                OVERRIDE.remove();
            } else {
                OVERRIDE.set(previous);
            }
        }
    }

    /**
     * Runs {@code work} for {@code caller} as the caller's own request would run: its tenant, its
     * policy and its permissions, with no tenant named over it, so every check applies as it would to
     * the caller. For background work done on a caller's behalf (an export reads positions with its
     * requester's authority); the thread's authentication and named tenant are restored afterwards.
     *
     * @throws IllegalArgumentException if {@code caller} is not authenticated as a {@link TenantPrincipal}
     */
    public static <T> T callFor(Authentication caller, Supplier<T> work) {
        if (!caller.isAuthenticated() || !(caller.getPrincipal() instanceof TenantPrincipal)) {
            throw new IllegalArgumentException("work is done for an authenticated tenant principal only");
        }
        UUID named = OVERRIDE.get();
        Authentication previous = SecurityContextHolder.getContext().getAuthentication();
        SecurityContext context = SecurityContextHolder.createEmptyContext();
        context.setAuthentication(caller);
        SecurityContextHolder.setContext(context);
        OVERRIDE.remove();
        try {
            return work.get();
        } finally {
            if (previous == null) {
                SecurityContextHolder.clearContext();
            } else {
                SecurityContext restored = SecurityContextHolder.createEmptyContext();
                restored.setAuthentication(previous);
                SecurityContextHolder.setContext(restored);
            }
            if (named != null) {
                OVERRIDE.set(named);
            }
        }
    }
}
