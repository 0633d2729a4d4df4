package io.sextant.access;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.sextant.identity.Role;
import io.sextant.shared.TenantContext;
import io.sextant.shared.access.EffectiveGrant;
import io.sextant.shared.access.SubjectGrants;
import io.sextant.zone.ZoneChanged;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * The grants of a subject, resolved: its own and its groups', each with its role's permissions and
 * its scope. Cached for {@link SubjectGrants#MAX_STALENESS_SECONDS} seconds; a change of a role, a
 * grant or a zone on this node empties the cache at once, so the next request sees it (another node
 * sees it when its entry expires).
 */
@Component
class GrantPolicies implements SubjectGrants {

    private final AccessGrantRepository grants;
    private final AccessRoleRepository roles;
    private final ScopeResolver scopes;
    private final Clock clock;
    private final Cache<Key, List<EffectiveGrant>> cache = Caffeine.newBuilder()
            .expireAfterWrite(Duration.ofSeconds(MAX_STALENESS_SECONDS))
            .maximumSize(100_000)
            .build();

    GrantPolicies(AccessGrantRepository grants, AccessRoleRepository roles, ScopeResolver scopes, Clock clock) {
        this.grants = grants;
        this.roles = roles;
        this.scopes = scopes;
        this.clock = clock;
    }

    @Override
    public List<EffectiveGrant> grantsOf(UUID tenantId, String subjectId, Set<String> groups) {
        return cache.get(new Key(tenantId, subjectId, Set.copyOf(groups)), this::load);
    }

    /** Forgets every resolved policy: a role, grant or zone changed on this node. */
    void changed() {
        cache.invalidateAll();
    }

    @EventListener
    void on(ZoneChanged change) {
        changed();
    }

    private List<EffectiveGrant> load(Key key) {
        return TenantContext.callAs(key.tenantId(), () -> {
            Set<String> subjects = new LinkedHashSet<>();
            subjects.add(key.subjectId());
            key.groups().forEach(group -> subjects.add("group:" + group));
            List<AccessGrant> written = grants.ofSubjects(key.tenantId(), subjects);
            if (written.isEmpty()) {
                return List.of();
            }
            Map<String, Set<String>> defined = new HashMap<>();
            for (AccessRole role : roles.all(key.tenantId())) {
                defined.put(role.name(), Set.copyOf(role.permissions()));
            }
            ScopeResolver.Subject subject = ScopeResolver.Subject.of(key.subjectId(), key.groups());
            List<EffectiveGrant> resolved = new ArrayList<>(written.size());
            for (AccessGrant grant : written) {
                Set<String> permissions = permissionsOf(grant.role(), defined);
                ScopeSpec spec = ScopeSpec.read(grant.scope());
                resolved.add(new EffectiveGrant(
                        grant.id().toString(),
                        grant.role(),
                        permissions,
                        scopes.resolve(key.tenantId(), spec, subject, clock.instant()),
                        grant.validFrom(),
                        grant.validUntil()));
            }
            return List.copyOf(resolved);
        });
    }

    /** A built-in role's permissions or a defined one's; a role since deleted grants nothing. */
    static Set<String> permissionsOf(String role, Map<String, Set<String>> defined) {
        return Role.fromId(role)
                .map(r -> r.permissions().stream().map(p -> p.authority()).collect(Collectors.toSet()))
                .orElseGet(() -> defined.getOrDefault(role, Set.of()));
    }

    private record Key(UUID tenantId, String subjectId, Set<String> groups) {}
}
