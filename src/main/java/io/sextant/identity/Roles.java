package io.sextant.identity;

import io.sextant.shared.problem.InvalidInput;
import java.util.Arrays;
import java.util.Collection;
import java.util.stream.Collectors;

/** Checks on role names given by API callers. */
final class Roles {

    private Roles() {}

    static void requireKnown(Collection<String> roles) {
        if (roles.isEmpty()) {
            throw new InvalidInput("roles", "must name at least one role");
        }
        for (String role : roles) {
            if (Role.fromId(role).isEmpty()) {
                throw new InvalidInput(
                        "roles",
                        "'" + role + "' is not a role; roles are "
                                + Arrays.stream(Role.values()).map(Role::id).collect(Collectors.joining(", ")));
            }
        }
    }
}
