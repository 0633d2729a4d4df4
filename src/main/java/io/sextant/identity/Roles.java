package io.sextant.identity;

import io.sextant.shared.problem.InvalidInput;
import java.util.Arrays;
import java.util.Collection;
import java.util.stream.Collectors;

/** Checks on role names given by API callers. */
final class Roles {

    private Roles() {}

    /**
     * Every name must be a built-in role. The list may be empty: an account whose access comes only
     * from grants (a dispatcher limited to a region holds no unscoped role).
     */
    static void requireKnown(Collection<String> roles) {
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
