package io.sextant.identity;

import io.sextant.shared.TenantContext;
import io.sextant.shared.access.AccessPolicy;
import io.sextant.shared.access.EffectiveGrant;
import io.sextant.shared.access.SubjectGrants;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.springframework.stereotype.Component;

/**
 * Builds the principal of a request: its own roles (or an API key's permissions) as unscoped grants,
 * and the grants written for it and its groups (the access module's {@link SubjectGrants}), into one
 * {@link AccessPolicy}. Its permissions are those of the grants in force at that instant, so a
 * grant limited to a schedule or a validity interval counts only within it.
 */
@Component
public class PrincipalPolicies {

    private final SubjectGrants written;
    private final Clock clock;
    private final UserAccountRepository users;
    private final ServiceAccountRepository serviceAccounts;
    private final ApiKeyRepository apiKeys;

    PrincipalPolicies(
            SubjectGrants written,
            Clock clock,
            UserAccountRepository users,
            ServiceAccountRepository serviceAccounts,
            ApiKeyRepository apiKeys) {
        this.written = written;
        this.clock = clock;
        this.users = users;
        this.serviceAccounts = serviceAccounts;
        this.apiKeys = apiKeys;
    }

    SextantPrincipal principal(
            SextantPrincipal.Kind kind,
            String subjectId,
            String name,
            UUID tenantId,
            Collection<String> roles,
            Set<String> groups) {
        return principal(kind, subjectId, name, tenantId, roleGrants(roles), groups);
    }

    SextantPrincipal keyPrincipal(String subjectId, String name, UUID tenantId, Set<Permission> permissions) {
        return principal(
                SextantPrincipal.Kind.API_KEY,
                subjectId,
                name,
                tenantId,
                List.of(SextantPrincipal.baseGrant("api-key", permissions)),
                Set.of());
    }

    /**
     * The policy a subject of the tenant would have on its next request, for explanations: a live
     * user, service account or API key of the tenant with its own roles, a group, or an external
     * subject with the groups its token would carry. Empty for a subject the tenant does not have.
     */
    public Optional<AccessPolicy> policyOfSubject(UUID tenantId, String subjectId, Set<String> groups) {
        return principalOfSubject(tenantId, subjectId, groups).map(SextantPrincipal::policy);
    }

    /**
     * The principal a subject of the tenant would be on its next request — its roles (or an API
     * key's permissions), its grants and those of its groups as they stand now, and the permissions
     * in force now — for work done later on its behalf (an export runs with its requester's
     * authority). Empty for a subject the tenant does not have, or no longer: a deleted or disabled
     * user, a revoked service account, a revoked or expired API key.
     */
    public Optional<SextantPrincipal> principalOfSubject(UUID tenantId, String subjectId, Set<String> groups) {
        int colon = subjectId.indexOf(':');
        String kind = colon < 0 ? "" : subjectId.substring(0, colon);
        String id = colon < 0 ? "" : subjectId.substring(colon + 1);
        Optional<List<EffectiveGrant>> base = TenantContext.callAsSystem(() -> switch (kind) {
            case "user" ->
                uuid(id).flatMap(users::findEnabled)
                        .filter(u -> u.tenantId().equals(tenantId))
                        .map(u -> roleGrants(u.roles()));
            case "service" ->
                serviceAccounts
                        .findActiveByClientId(id)
                        .map(ServiceAccountRepository.Credentials::account)
                        .filter(a -> a.tenantId().equals(tenantId))
                        .map(a -> roleGrants(a.roles()));
            case "api-key" ->
                apiKeys.findByKeyId(id)
                        .map(ApiKeyRepository.Stored::key)
                        .filter(k -> k.tenantId().equals(tenantId) && k.revokedAt() == null)
                        .filter(k -> k.expiresAt() == null || k.expiresAt().isAfter(clock.instant()))
                        .map(k -> List.of(SextantPrincipal.baseGrant("api-key", k.permissions())));
            case "group" -> id.isEmpty() ? Optional.empty() : Optional.of(List.<EffectiveGrant>of());
            case "external" -> Optional.of(roleGrants(groups));
            default -> Optional.empty();
        });
        Set<String> withGroup = kind.equals("group") ? Set.of(id) : groups;
        SextantPrincipal.Kind principalKind = switch (kind) {
            case "service" -> SextantPrincipal.Kind.SERVICE_ACCOUNT;
            case "api-key" -> SextantPrincipal.Kind.API_KEY;
            case "external" -> SextantPrincipal.Kind.EXTERNAL;
            default -> SextantPrincipal.Kind.USER;
        };
        return base.map(grants -> principal(principalKind, subjectId, subjectId, tenantId, grants, withGroup));
    }

    private static List<EffectiveGrant> roleGrants(Collection<String> roles) {
        List<EffectiveGrant> grants = new ArrayList<>();
        for (String roleId : roles) {
            Role.fromId(roleId)
                    .ifPresent(role -> grants.add(SextantPrincipal.baseGrant("role:" + role.id(), role.permissions())));
        }
        return grants;
    }

    private static Optional<UUID> uuid(String text) {
        try {
            return Optional.of(UUID.fromString(text));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private SextantPrincipal principal(
            SextantPrincipal.Kind kind,
            String subjectId,
            String name,
            UUID tenantId,
            List<EffectiveGrant> base,
            Set<String> groups) {
        List<EffectiveGrant> grants = new ArrayList<>(base);
        grants.addAll(written.grantsOf(tenantId, subjectId, groups));
        AccessPolicy policy = new AccessPolicy(subjectId, grants);
        Instant now = clock.instant();
        Set<Permission> permissions = EnumSet.noneOf(Permission.class);
        for (String authority : policy.permissionsInForce(now)) {
            Permission.fromAuthority(authority).ifPresent(permissions::add);
        }
        return new SextantPrincipal(kind, subjectId, name, tenantId, permissions, groups, policy);
    }
}
