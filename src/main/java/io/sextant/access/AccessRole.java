package io.sextant.access;

import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A role: a named set of permissions. The built-in roles (viewer, operator, admin, platform-admin)
 * are listed with {@code builtIn} true and cannot be changed; a tenant defines others.
 *
 * @param version the ETag of a defined role; 0 for a built-in one
 */
public record AccessRole(
        String name,
        String description,
        List<String> permissions,
        boolean builtIn,
        long version,
        @Nullable Instant createdAt,
        @Nullable Instant updatedAt) {

    public AccessRole {
        permissions = permissions.stream().sorted().distinct().toList();
    }
}
