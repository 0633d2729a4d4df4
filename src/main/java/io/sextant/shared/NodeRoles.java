package io.sextant.shared;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What this process does in a deployment of several ({@code SEXTANT_ROLES}, default {@code all}):
 * {@code api} serves the REST API, live streams and queries; {@code ingest} takes positions (the
 * ingest endpoints and protocol adapters) and evaluates fences on them; {@code worker} runs the
 * background work — the event relay's durable consumers (deliveries, workflows), jobs and timers.
 * One process with every role is the default, and what the embedded setup runs.
 */
public final class NodeRoles {

    /** One role of a node. */
    public enum Role {
        API,
        INGEST,
        WORKER;

        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** Every role: one process does everything. */
    public static final NodeRoles ALL = new NodeRoles(EnumSet.allOf(Role.class));

    private final Set<Role> roles;

    private NodeRoles(Set<Role> roles) {
        this.roles = Set.copyOf(roles);
    }

    /**
     * Reads a comma-separated list of roles ({@code "api,worker"}), or {@code all}.
     *
     * @throws IllegalArgumentException naming what is not a role, or when the list is empty
     */
    public static NodeRoles parse(String text) {
        String trimmed = text.trim();
        if (trimmed.isEmpty() || trimmed.equalsIgnoreCase("all")) {
            return ALL;
        }
        EnumSet<Role> roles = EnumSet.noneOf(Role.class);
        for (String part : trimmed.split(",")) {
            String name = part.trim().toLowerCase(Locale.ROOT);
            if (name.equals("all")) {
                roles.addAll(EnumSet.allOf(Role.class));
                continue;
            }
            Role role = Arrays.stream(Role.values())
                    .filter(r -> r.id().equals(name))
                    .findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("SEXTANT_ROLES: '" + part.trim()
                            + "' is not a role; the roles are all, api, ingest and worker"));
            roles.add(role);
        }
        return new NodeRoles(roles);
    }

    public boolean has(Role role) {
        return roles.contains(role);
    }

    public boolean api() {
        return has(Role.API);
    }

    public boolean ingest() {
        return has(Role.INGEST);
    }

    public boolean worker() {
        return has(Role.WORKER);
    }

    /** Whether this node has every role (it may still be one of several such nodes). */
    public boolean all() {
        return roles.size() == Role.values().length;
    }

    @Override
    public String toString() {
        return all()
                ? "all"
                : Arrays.stream(Role.values())
                        .filter(roles::contains)
                        .map(Role::id)
                        .collect(Collectors.joining(","));
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof NodeRoles that && roles.equals(that.roles);
    }

    @Override
    public int hashCode() {
        return roles.hashCode();
    }
}
