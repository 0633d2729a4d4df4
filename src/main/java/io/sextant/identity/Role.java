package io.sextant.identity;

import static io.sextant.identity.Permission.ACCESS_MANAGE;
import static io.sextant.identity.Permission.API_KEYS_MANAGE;
import static io.sextant.identity.Permission.ASSETS_READ;
import static io.sextant.identity.Permission.ASSETS_WRITE;
import static io.sextant.identity.Permission.AUDIT_READ;
import static io.sextant.identity.Permission.EVENTS_READ;
import static io.sextant.identity.Permission.JOBS_READ;
import static io.sextant.identity.Permission.POSITIONS_EXPORT;
import static io.sextant.identity.Permission.POSITIONS_READ;
import static io.sextant.identity.Permission.POSITIONS_WRITE;
import static io.sextant.identity.Permission.SERVICE_ACCOUNTS_MANAGE;
import static io.sextant.identity.Permission.SIGNING_KEYS_MANAGE;
import static io.sextant.identity.Permission.SUBSCRIPTIONS_MANAGE;
import static io.sextant.identity.Permission.TENANTS_MANAGE;
import static io.sextant.identity.Permission.TENANT_SETTINGS_MANAGE;
import static io.sextant.identity.Permission.USERS_MANAGE;
import static io.sextant.identity.Permission.WORKFLOWS_COMMAND;
import static io.sextant.identity.Permission.WORKFLOWS_DEFINE;
import static io.sextant.identity.Permission.WORKFLOWS_READ;
import static io.sextant.identity.Permission.ZONES_READ;
import static io.sextant.identity.Permission.ZONES_WRITE;

import java.util.Arrays;
import java.util.Collection;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

/**
 * Tenant roles and the permissions each grants. {@code platform-admin} is the one role that reaches
 * beyond its own tenant: it manages tenants and the issuer's signing keys.
 */
public enum Role {
    VIEWER("viewer", EnumSet.of(ASSETS_READ, POSITIONS_READ, ZONES_READ, EVENTS_READ, WORKFLOWS_READ)),
    OPERATOR(
            "operator",
            EnumSet.of(
                    ASSETS_READ,
                    ASSETS_WRITE,
                    POSITIONS_READ,
                    POSITIONS_WRITE,
                    POSITIONS_EXPORT,
                    ZONES_READ,
                    ZONES_WRITE,
                    EVENTS_READ,
                    WORKFLOWS_READ,
                    WORKFLOWS_COMMAND)),
    ADMIN(
            "admin",
            EnumSet.of(
                    ASSETS_READ,
                    ASSETS_WRITE,
                    POSITIONS_READ,
                    POSITIONS_WRITE,
                    POSITIONS_EXPORT,
                    ZONES_READ,
                    ZONES_WRITE,
                    EVENTS_READ,
                    SUBSCRIPTIONS_MANAGE,
                    JOBS_READ,
                    USERS_MANAGE,
                    TENANT_SETTINGS_MANAGE,
                    SERVICE_ACCOUNTS_MANAGE,
                    API_KEYS_MANAGE,
                    WORKFLOWS_READ,
                    WORKFLOWS_COMMAND,
                    WORKFLOWS_DEFINE,
                    ACCESS_MANAGE,
                    AUDIT_READ)),
    PLATFORM_ADMIN("platform-admin", EnumSet.of(TENANTS_MANAGE, SIGNING_KEYS_MANAGE));

    private final String id;
    private final Set<Permission> permissions;

    Role(String id, Set<Permission> permissions) {
        this.id = id;
        this.permissions = permissions;
    }

    public String id() {
        return id;
    }

    public Set<Permission> permissions() {
        return permissions;
    }

    public static Optional<Role> fromId(String id) {
        return Arrays.stream(values()).filter(r -> r.id.equals(id)).findFirst();
    }

    /** The union of the permissions of the named roles; names that are no role grant nothing. */
    public static Set<Permission> permissionsOf(Collection<String> roleIds) {
        Set<Permission> permissions = EnumSet.noneOf(Permission.class);
        for (String roleId : roleIds) {
            fromId(roleId).ifPresent(role -> permissions.addAll(role.permissions()));
        }
        return permissions;
    }
}
