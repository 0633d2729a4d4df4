package io.sextant.identity;

import io.sextant.shared.problem.Forbidden;
import java.util.Collection;
import java.util.EnumSet;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * No escalation: a caller may hand out (to an account's roles or an API key) only permissions it
 * holds itself without any scope, schedule or validity interval, since what it hands out carries
 * none.
 */
final class Grants {

    private Grants() {}

    static void requireHeldBy(SextantPrincipal caller, Collection<Permission> granted) {
        Set<Permission> missing = granted.isEmpty() ? EnumSet.noneOf(Permission.class) : EnumSet.copyOf(granted);
        Set<String> held = caller.policy().unconditionalPermissions();
        missing.removeIf(p -> held.contains(p.authority()));
        if (!missing.isEmpty()) {
            throw new Forbidden("you cannot grant permissions you do not hold without a scope: "
                    + missing.stream().map(Permission::authority).sorted().collect(Collectors.joining(", ")));
        }
    }

    static void requireRolesHeldBy(SextantPrincipal caller, Collection<String> roles) {
        Roles.requireKnown(roles);
        requireHeldBy(caller, Role.permissionsOf(roles));
    }
}
