package io.sextant.workflow;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where an instance stands: its state, how many transitions it has taken ({@code version}: the
 * optimistic-concurrency token, and the part of timer ids that makes them unique), its variables,
 * the assets and zones bound to it by role (for example {@code depot}, {@code site}), and its
 * pending timers by id.
 */
public record InstanceState(
        String id,
        String state,
        long version,
        Map<String, Object> variables,
        Map<String, String> assets,
        Map<String, String> zones,
        Map<String, PendingTimer> timers) {

    public InstanceState {
        variables = Collections.unmodifiableMap(new LinkedHashMap<>(variables));
        assets = Map.copyOf(assets);
        zones = Map.copyOf(zones);
        timers = Collections.unmodifiableMap(new LinkedHashMap<>(timers));
    }

    /**
     * A timer waiting to fire. Its id is derived from the instance, the version at which it was
     * scheduled and its place, so the same schedule always yields the same id and a firing whose id
     * is no longer pending (the state was left, the timer cancelled or already fired) is stale.
     */
    public sealed interface PendingTimer {

        String id();

        Instant dueAt();

        /** The {@code index}th {@code after} timer of {@code state}, started when the state was entered. */
        record StateTimer(String id, String state, int index, Instant dueAt) implements PendingTimer {}

        /** A timer scheduled by name with a schedule action; it outlives the state that scheduled it. */
        record NamedTimer(String id, String name, Instant dueAt) implements PendingTimer {}
    }
}
