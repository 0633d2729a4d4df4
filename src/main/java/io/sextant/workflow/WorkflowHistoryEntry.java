package io.sextant.workflow;

import java.time.Instant;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * One line of an instance's history: {@code seq} is the instance's version after the move, the
 * cause ({@code start}, {@code command dispatch}, {@code event sextant.zone.exited}, {@code timer
 * <id>}, {@code migrate …}), the actor (a command's caller, an event's id), the states before and
 * after and the variables it changed, with their new values.
 */
public record WorkflowHistoryEntry(
        long seq,
        Instant at,
        String cause,
        @Nullable String actor,
        @Nullable String from,
        String to,
        Map<String, Object> changed) {}
