package io.sextant.access;

import io.sextant.identity.Permission;
import io.sextant.identity.Role;
import io.sextant.shared.ExpectedVersions;
import io.sextant.shared.TenantContext;
import io.sextant.shared.access.AccessPolicies;
import io.sextant.shared.access.RequiresPermission;
import io.sextant.shared.audit.AuditTrail;
import io.sextant.shared.problem.Conflict;
import io.sextant.shared.problem.Forbidden;
import io.sextant.shared.problem.InvalidInput;
import io.sextant.shared.problem.NotFound;
import io.sextant.shared.problem.PreconditionFailed;
import io.sextant.shared.web.CursorPage;
import io.sextant.shared.web.Cursors;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Roles: the built-in ones, listed, and those a tenant defines as named sets of permissions. A
 * writer may put into a role only permissions it holds without narrowing, since whoever is granted
 * the role later gets them.
 */
@Service
@Transactional
public class AccessRoles {

    static final int MAX_ROLES = 200;
    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9-]{0,62}");

    private final AccessRoleRepository repository;
    private final AccessGrantRepository grants;
    private final GrantPolicies policies;
    private final AuditTrail audit;

    AccessRoles(
            AccessRoleRepository repository, AccessGrantRepository grants, GrantPolicies policies, AuditTrail audit) {
        this.repository = repository;
        this.grants = grants;
        this.policies = policies;
        this.audit = audit;
    }

    @RequiresPermission({"access:manage", "users:manage"})
    public CursorPage<AccessRole> list(@Nullable String cursor, int limit) {
        String after = cursor == null ? null : Cursors.decode(cursor);
        List<AccessRole> all = new ArrayList<>(builtIn());
        all.addAll(repository.all(TenantContext.require()));
        all.sort(Comparator.comparing(AccessRole::name));
        List<AccessRole> rest = all.stream()
                .filter(r -> after == null || r.name().compareTo(after) > 0)
                .limit(limit + 1L)
                .toList();
        return CursorPage.fromLookahead(rest, limit, AccessRole::name);
    }

    @RequiresPermission({"access:manage", "users:manage"})
    public AccessRole get(String name) {
        return builtIn(name)
                .orElseGet(() ->
                        repository.find(TenantContext.require(), name).orElseThrow(() -> new NotFound("role", name)));
    }

    @RequiresPermission("access:manage")
    public AccessRole create(String name, String description, List<String> permissions) {
        UUID tenant = TenantContext.require();
        checkName(name);
        List<String> checked = checkPermissions(description, permissions);
        if (repository.count(tenant) >= MAX_ROLES) {
            throw new Conflict("limit", "Too many roles", "a tenant defines at most " + MAX_ROLES + " roles");
        }
        if (!repository.insert(tenant, name, description, checked)) {
            throw new Conflict("a role named '" + name + "' exists");
        }
        AccessRole created = repository.find(tenant, name).orElseThrow();
        audit.recordChange("role.created", "role", name, null, created);
        policies.changed();
        return created;
    }

    @RequiresPermission("access:manage")
    public AccessRole replace(String name, ExpectedVersions expected, String description, List<String> permissions) {
        UUID tenant = TenantContext.require();
        if (Role.fromId(name).isPresent()) {
            throw new Forbidden("the built-in role '" + name + "' cannot be changed");
        }
        AccessRole before = repository.find(tenant, name).orElseThrow(() -> new NotFound("role", name));
        List<String> checked = checkPermissions(description, permissions);
        if (!expected.admits(before.version())) {
            throw stale(before, expected);
        }
        if (!repository.update(tenant, name, before.version(), description, checked)) {
            throw stale(repository.find(tenant, name).orElseThrow(() -> new NotFound("role", name)), expected);
        }
        AccessRole after = repository.find(tenant, name).orElseThrow();
        audit.recordChange("role.updated", "role", name, before, after);
        policies.changed();
        return after;
    }

    /** Deletes a defined role that no grant names. */
    @RequiresPermission("access:manage")
    public void delete(String name, @Nullable ExpectedVersions expected) {
        UUID tenant = TenantContext.require();
        if (Role.fromId(name).isPresent()) {
            throw new Forbidden("the built-in role '" + name + "' cannot be deleted");
        }
        AccessRole before = repository.find(tenant, name).orElseThrow(() -> new NotFound("role", name));
        if (expected != null && !expected.admits(before.version())) {
            throw stale(before, expected);
        }
        if (grants.roleInUse(tenant, name)) {
            throw new Conflict("grants name the role '" + name + "'; delete them first");
        }
        repository.delete(tenant, name);
        audit.recordChange("role.deleted", "role", name, before, null);
        policies.changed();
    }

    private static PreconditionFailed stale(AccessRole current, ExpectedVersions expected) {
        return new PreconditionFailed("the role is at version " + current.version() + ", not " + expected);
    }

    /** Whether {@code name} is a role of the tenant: built in or defined. */
    boolean exists(UUID tenantId, String name) {
        return Role.fromId(name).isPresent() || repository.find(tenantId, name).isPresent();
    }

    private static void checkName(String name) {
        if (!NAME.matcher(name).matches()) {
            throw new InvalidInput("name", "must be 1-63 characters: a lower-case letter, then letters, digits or '-'");
        }
        if (Role.fromId(name).isPresent()) {
            throw new Conflict("'" + name + "' is a built-in role");
        }
    }

    private static List<String> checkPermissions(String description, List<String> permissions) {
        if (description.length() > 1_000) {
            throw new InvalidInput("description", "at most 1,000 characters");
        }
        if (permissions.isEmpty()) {
            throw new InvalidInput("permissions", "must name at least one permission");
        }
        Set<String> checked = new TreeSet<>();
        for (String permission : permissions) {
            if (Permission.fromAuthority(permission).isEmpty()) {
                throw new InvalidInput(
                        "permissions",
                        "'" + permission + "' is not a permission; permissions are "
                                + Arrays.stream(Permission.values())
                                        .map(Permission::authority)
                                        .toList());
            }
            checked.add(permission);
        }
        Set<String> missing = new TreeSet<>(checked);
        missing.removeAll(AccessPolicies.current().unconditionalPermissions());
        if (!missing.isEmpty()) {
            throw new Forbidden("you cannot put into a role permissions you do not hold without a scope: "
                    + String.join(", ", missing));
        }
        return List.copyOf(checked);
    }

    private static List<AccessRole> builtIn() {
        return Arrays.stream(Role.values()).map(AccessRoles::builtIn).toList();
    }

    private static java.util.Optional<AccessRole> builtIn(String name) {
        return Role.fromId(name).map(AccessRoles::builtIn);
    }

    private static AccessRole builtIn(Role role) {
        return new AccessRole(
                role.id(),
                "built in",
                role.permissions().stream().map(Permission::authority).toList(),
                true,
                0,
                null,
                null);
    }
}
