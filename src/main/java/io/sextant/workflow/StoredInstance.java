package io.sextant.workflow;

import io.sextant.workflow.InstanceState.PendingTimer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/** An instance as stored: the machine's {@link InstanceState} and what the engine keeps around it. */
record StoredInstance(
        UUID tenantId,
        UUID id,
        String definitionKey,
        int definitionVersion,
        InstanceState state,
        boolean finished,
        @Nullable UUID parentId,
        @Nullable String createdBy,
        Instant createdAt,
        Instant updatedAt) {

    /** The instance after a step: now on {@code version} of its definition (a migration changes it), in {@code next}. */
    StoredInstance moved(int version, InstanceState next, boolean nowFinished, Instant at) {
        return new StoredInstance(
                tenantId, id, definitionKey, version, next, nowFinished, parentId, createdBy, createdAt, at);
    }

    WorkflowInstance view(List<String> allowedCommands) {
        List<WorkflowInstance.Timer> timers = new ArrayList<>();
        for (PendingTimer timer : state.timers().values()) {
            String name = switch (timer) {
                case PendingTimer.StateTimer t -> t.state() + ".after[" + t.index() + "]";
                case PendingTimer.NamedTimer t -> t.name();
            };
            timers.add(new WorkflowInstance.Timer(timer.id(), name, timer.dueAt()));
        }
        return new WorkflowInstance(
                id,
                definitionKey,
                definitionVersion,
                state.state(),
                state.version(),
                finished,
                state.variables(),
                state.assets(),
                state.zones(),
                timers,
                allowedCommands,
                parentId,
                createdBy,
                createdAt,
                updatedAt);
    }
}
