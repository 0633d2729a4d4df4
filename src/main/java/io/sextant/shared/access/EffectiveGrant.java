package io.sextant.shared.access;

import java.time.Instant;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * One grant of a subject, resolved for evaluation: the permissions of its role and the scope that
 * narrows them.
 *
 * @param id the grant's id, or {@code role:<name>} for a role the subject holds without scopes
 *     (a user's or service account's own roles, an API key's permissions)
 * @param role the role's name
 * @param validFrom the first instant the grant counts, or null
 * @param validUntil the first instant it no longer counts (exclusive), or null
 */
public record EffectiveGrant(
        String id,
        String role,
        Set<String> permissions,
        Scope scope,
        @Nullable Instant validFrom,
        @Nullable Instant validUntil) {

    public EffectiveGrant {
        permissions = Set.copyOf(permissions);
    }

    /** A role held without scopes or limits. */
    public static EffectiveGrant unscoped(String id, String role, Set<String> permissions) {
        return new EffectiveGrant(id, role, permissions, Scope.UNRESTRICTED, null, null);
    }

    /** Whether nothing narrows the grant: no scope, no schedule, no validity interval. */
    public boolean isUnconditional() {
        return scope.reachesAllData() && scope.actingHours() == null && validFrom == null && validUntil == null;
    }

    /** Whether the grant counts at {@code now}: within its validity and its acting hours. */
    public boolean inForce(Instant now) {
        return whyNotInForce(now) == null;
    }

    /** Why the grant does not count at {@code now}, or null when it does. */
    public @Nullable String whyNotInForce(Instant now) {
        if (validFrom != null && now.isBefore(validFrom)) {
            return "the grant is valid only from " + validFrom;
        }
        if (validUntil != null && !now.isBefore(validUntil)) {
            return "the grant expired at " + validUntil;
        }
        ActivePeriod hours = scope.actingHours();
        if (hours != null && !hours.isActive(now)) {
            return "the grant's schedule is not active at " + now;
        }
        return null;
    }
}
