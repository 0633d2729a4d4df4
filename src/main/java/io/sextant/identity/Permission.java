package io.sextant.identity;

import java.util.Arrays;
import java.util.Optional;

/**
 * What a principal may do, as Spring Security authorities ({@code hasAuthority('assets:write')}).
 * Roles grant sets of them; API keys carry an explicit subset of their creator's.
 */
public enum Permission {
    ASSETS_READ("assets:read"),
    ASSETS_WRITE("assets:write"),
    POSITIONS_READ("positions:read"),
    POSITIONS_WRITE("positions:write"),
    /** Start, follow, download and delete one's own exports of positions (bulk extraction). */
    POSITIONS_EXPORT("positions:export"),
    ZONES_READ("zones:read"),
    ZONES_WRITE("zones:write"),
    EVENTS_READ("events:read"),
    SUBSCRIPTIONS_MANAGE("subscriptions:manage"),
    JOBS_READ("jobs:read"),
    USERS_MANAGE("users:manage"),
    TENANT_SETTINGS_MANAGE("tenant-settings:manage"),
    SERVICE_ACCOUNTS_MANAGE("service-accounts:manage"),
    API_KEYS_MANAGE("api-keys:manage"),
    TENANTS_MANAGE("tenants:manage"),
    SIGNING_KEYS_MANAGE("signing-keys:manage"),
    WORKFLOWS_READ("workflows:read"),
    WORKFLOWS_COMMAND("workflows:command"),
    WORKFLOWS_DEFINE("workflows:define"),
    ACCESS_MANAGE("access:manage"),
    AUDIT_READ("audit:read");

    private final String authority;

    Permission(String authority) {
        this.authority = authority;
    }

    public String authority() {
        return authority;
    }

    public static Optional<Permission> fromAuthority(String authority) {
        return Arrays.stream(values())
                .filter(p -> p.authority.equals(authority))
                .findFirst();
    }
}
