package io.sextant.workflow;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * An instance as the API shows it: the definition and version it runs, where it stands ({@code
 * state}, {@code version}: the transitions taken, also its ETag), its variables, the assets and
 * zones bound to it by role, its pending timers, and the commands its state accepts.
 */
public record WorkflowInstance(
        UUID id,
        String definition,
        int definitionVersion,
        String state,
        long version,
        boolean finished,
        Map<String, Object> variables,
        Map<String, String> assets,
        Map<String, String> zones,
        List<Timer> timers,
        List<String> allowedCommands,
        @Nullable UUID parentId,
        @Nullable String createdBy,
        Instant createdAt,
        Instant updatedAt) {

    /** A pending timer: its id, the state timer or named timer it is, and when it is due. */
    public record Timer(String id, String name, Instant dueAt) {}
}
