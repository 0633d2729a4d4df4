package io.sextant.export;

import io.sextant.identity.Permission;
import io.sextant.identity.PrincipalPolicies;
import io.sextant.identity.SextantAuthentication;
import io.sextant.identity.SextantPrincipal;
import io.sextant.jobs.PermanentJobFailure;
import io.sextant.shared.TenantContext;
import io.sextant.shared.TenantPrincipal;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;
import org.springframework.stereotype.Component;

/**
 * Runs an export's reads with its requester's authority, resolved anew when the job runs: the
 * requester's roles (or an API key's permissions), grants and groups as they stand then, exactly as
 * for a request the requester would send at that moment. A requester who is gone (deleted, disabled,
 * revoked, expired) or no longer holds {@code positions:export} ends the export, failed; one who lost
 * {@code positions:read} is refused by the history service itself. Nothing is widened: no caller
 * exists while the job runs, so without this the service would see internal work, which is not
 * narrowed at all.
 */
@Component
class RequesterAuthority {

    private final PrincipalPolicies principals;

    RequesterAuthority(PrincipalPolicies principals) {
        this.principals = principals;
    }

    /** What the caller of this request is, to be stored with its export. */
    static Requester caller() {
        TenantPrincipal principal =
                TenantContext.principal().orElseThrow(() -> new IllegalStateException("no caller to request it"));
        Set<String> groups = principal instanceof SextantPrincipal sextant ? sextant.groups() : Set.of();
        return new Requester(principal.subjectId(), groups);
    }

    /** Runs {@code work} as {@code requester} of {@code tenantId} would run it now. */
    <T> T callAs(UUID tenantId, Requester requester, Supplier<T> work) {
        SextantPrincipal principal = principals
                .principalOfSubject(tenantId, requester.subject(), requester.groups())
                .orElseThrow(() -> new PermanentJobFailure(
                        "the requester " + requester.subject() + " no longer exists or may no longer sign in"));
        if (!principal.has(Permission.POSITIONS_EXPORT)) {
            throw new PermanentJobFailure("the requester " + requester.subject() + " no longer holds "
                    + Permission.POSITIONS_EXPORT.authority());
        }
        return TenantContext.callFor(new SextantAuthentication(principal, ""), work);
    }
}
