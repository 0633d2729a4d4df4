package io.sextant.access;

import io.sextant.identity.Role;
import io.sextant.shared.Ids;
import io.sextant.shared.TenantContext;
import io.sextant.shared.access.AccessPolicies;
import io.sextant.shared.access.AccessPolicy;
import io.sextant.shared.access.EffectiveGrant;
import io.sextant.shared.access.RequiresPermission;
import io.sextant.shared.audit.AuditTrail;
import io.sextant.shared.problem.Conflict;
import io.sextant.shared.problem.Forbidden;
import io.sextant.shared.problem.InvalidInput;
import io.sextant.shared.problem.NotFound;
import io.sextant.shared.web.CursorPage;
import io.sextant.shared.web.Cursors;
import io.sextant.zone.ZoneDirectory;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;

/**
 * Grants: a subject holds a role, narrowed by a scope. Grants are written and revoked, never
 * changed: a new scope is a new grant. A writer cannot escalate: for every permission of the role
 * it must hold a grant in force whose scope and validity contain the new grant's (see {@link
 * ScopeSpec#widerPartThan}); its own unscoped roles contain every scope.
 */
@Service
@Transactional
public class AccessGrants {

    static final int MAX_GRANTS = 10_000;
    private static final Pattern SUBJECT = Pattern.compile("(user|service|api-key|group):[^\\s]{1,200}");

    private final AccessGrantRepository repository;
    private final AccessRoles roles;
    private final AccessRoleRepository roleRepository;
    private final GrantPolicies policies;
    private final Conditions conditions;
    private final ZoneDirectory zones;
    private final AuditTrail audit;
    private final Clock clock;

    AccessGrants(
            AccessGrantRepository repository,
            AccessRoles roles,
            AccessRoleRepository roleRepository,
            GrantPolicies policies,
            Conditions conditions,
            ZoneDirectory zones,
            AuditTrail audit,
            Clock clock) {
        this.repository = repository;
        this.roles = roles;
        this.roleRepository = roleRepository;
        this.policies = policies;
        this.conditions = conditions;
        this.zones = zones;
        this.audit = audit;
        this.clock = clock;
    }

    /** What a writer asks for. */
    public record Draft(
            String subject,
            String role,
            @Nullable JsonNode scope,
            @Nullable Instant validFrom,
            @Nullable Instant validUntil,
            @Nullable String description) {}

    @RequiresPermission("access:manage")
    public AccessGrant create(Draft draft) {
        UUID tenant = TenantContext.require();
        if (!SUBJECT.matcher(draft.subject()).matches()) {
            throw new InvalidInput("subject", "must be user:<id>, service:<client id>, api-key:<id> or group:<name>");
        }
        if (Role.PLATFORM_ADMIN.id().equals(draft.role())) {
            throw new InvalidInput("role", "platform-admin reaches beyond the tenant and is not granted here");
        }
        if (!roles.exists(tenant, draft.role())) {
            throw new InvalidInput("role", "'" + draft.role() + "' is no role of this tenant");
        }
        ScopeSpec spec = ScopeSpec.read(draft.scope());
        if (spec.condition() != null) {
            conditions.check(spec.condition());
        }
        for (UUID zone : spec.regionZones()) {
            if (zones.indexFor(tenant).get(zone).isEmpty()) {
                throw new InvalidInput("scope.region.zones", "no zone " + zone);
            }
        }
        Instant from = micros(draft.validFrom());
        Instant until = micros(draft.validUntil());
        if (from != null && until != null && !until.isAfter(from)) {
            throw new InvalidInput("validUntil", "must be after validFrom");
        }
        String description = draft.description() == null ? "" : draft.description();
        if (description.length() > 1_000) {
            throw new InvalidInput("description", "at most 1,000 characters");
        }
        AccessPolicy writer = AccessPolicies.current();
        requireWithin(writer, tenant, draft.role(), spec, from, until);
        if (repository.count(tenant) >= MAX_GRANTS) {
            throw new Conflict("limit", "Too many grants", "a tenant holds at most " + MAX_GRANTS + " grants");
        }
        AccessGrant grant = new AccessGrant(
                Ids.newId(),
                draft.subject(),
                draft.role(),
                draft.scope() == null || draft.scope().isNull() ? JsonNodeFactory.instance.objectNode() : draft.scope(),
                from,
                until,
                description,
                writer.subjectId(),
                1,
                clock.instant().truncatedTo(ChronoUnit.MICROS));
        repository.insert(tenant, grant);
        audit.recordChange("grant.created", "grant", grant.id().toString(), null, grant);
        policies.changed();
        return grant;
    }

    @RequiresPermission("access:manage")
    public AccessGrant get(UUID id) {
        return repository.find(TenantContext.require(), id).orElseThrow(() -> new NotFound("grant", id));
    }

    @RequiresPermission("access:manage")
    public CursorPage<AccessGrant> list(
            @Nullable String subject, @Nullable String role, @Nullable String cursor, int limit) {
        UUID after = Cursors.decodeId(cursor);
        return CursorPage.fromLookahead(
                repository.page(TenantContext.require(), subject, role, after, limit + 1),
                limit,
                g -> g.id().toString());
    }

    /** Revokes a grant: the subject loses what it gave from the next request on. */
    @RequiresPermission("access:manage")
    public void revoke(UUID id) {
        UUID tenant = TenantContext.require();
        AccessGrant before = repository.find(tenant, id).orElseThrow(() -> new NotFound("grant", id));
        repository.delete(tenant, id);
        audit.recordChange("grant.revoked", "grant", id.toString(), before, null);
        policies.changed();
    }

    /**
     * Refuses a grant wider than what the writer holds: each permission of the role must be held by
     * a grant of the writer in force now that is unconditional, or whose scope and validity contain
     * the new one's.
     */
    private void requireWithin(
            AccessPolicy writer,
            UUID tenant,
            String role,
            ScopeSpec spec,
            @Nullable Instant from,
            @Nullable Instant until) {
        Map<String, Set<String>> defined = new HashMap<>();
        roleRepository.all(tenant).forEach(r -> defined.put(r.name(), Set.copyOf(r.permissions())));
        Set<String> permissions = GrantPolicies.permissionsOf(role, defined);
        Instant now = clock.instant();
        // Each of the writer's grants is read once, however many permissions ask about it.
        Map<String, Optional<ScopeSpec>> specs = new HashMap<>();
        for (String permission : permissions.stream().sorted().toList()) {
            String refusal = "you hold no grant of " + permission;
            boolean held = false;
            for (EffectiveGrant mine : writer.grants()) {
                if (!mine.permissions().contains(permission) || !mine.inForce(now)) {
                    continue;
                }
                if (mine.isUnconditional()) {
                    held = true;
                    break;
                }
                Optional<ScopeSpec> mySpec = specs.computeIfAbsent(mine.id(), id -> writtenSpec(tenant, mine));
                if (mySpec.isEmpty()) {
                    continue;
                }
                String wider = spec.widerPartThan(mySpec.get());
                if (wider == null) {
                    wider = widerValidity(from, until, mine);
                }
                if (wider == null) {
                    held = true;
                    break;
                }
                refusal = permission + " — " + wider;
            }
            if (!held) {
                throw new Forbidden("the grant would reach further than yours: " + refusal);
            }
        }
    }

    private Optional<ScopeSpec> writtenSpec(UUID tenant, EffectiveGrant grant) {
        try {
            return repository.find(tenant, UUID.fromString(grant.id())).map(g -> ScopeSpec.read(g.scope()));
        } catch (IllegalArgumentException e) {
            return Optional.empty(); // not a written grant; unconditional ones were taken above
        }
    }

    private static @Nullable String widerValidity(
            @Nullable Instant from, @Nullable Instant until, EffectiveGrant mine) {
        if (mine.validFrom() != null && (from == null || from.isBefore(mine.validFrom()))) {
            return "validFrom: not before yours, " + mine.validFrom();
        }
        if (mine.validUntil() != null && (until == null || until.isAfter(mine.validUntil()))) {
            return "validUntil: not after yours, " + mine.validUntil();
        }
        return null;
    }

    private static @Nullable Instant micros(@Nullable Instant instant) {
        return instant == null ? null : instant.truncatedTo(ChronoUnit.MICROS);
    }
}
