package io.sextant.workflow;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.sextant.events.Event;
import io.sextant.events.EventConsumer;
import io.sextant.shared.TenantContext;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * Hands the event log to the instances each event correlates with: the running instances bound
 * (as any role) to the event's asset or zone. A durable consumer: the relay calls it in the
 * transaction that advances its cursor, so a transition commits with the cursor past its event or
 * neither does — each event moves each instance at most once, and none is skipped across a crash.
 *
 * <p>Each instance's step runs under a savepoint: one whose effects cannot be carried out (a child
 * definition missing) is rolled back alone and counted, and does not hold up the log. An
 * instance's own events do not come back to it.
 */
@Component
class WorkflowEventConsumer implements EventConsumer {

    static final String NAME = "workflows";

    private static final Logger log = LoggerFactory.getLogger(WorkflowEventConsumer.class);
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {};

    private final WorkflowInstanceRepository instances;
    private final WorkflowEngine engine;
    private final TransactionTemplate savepoint;
    private final Clock clock;
    private final Counter failed;

    WorkflowEventConsumer(
            WorkflowInstanceRepository instances,
            WorkflowEngine engine,
            PlatformTransactionManager transactions,
            Clock clock,
            MeterRegistry meters) {
        this.instances = instances;
        this.engine = engine;
        this.savepoint = new TransactionTemplate(transactions);
        this.savepoint.setPropagationBehavior(TransactionDefinition.PROPAGATION_NESTED);
        this.clock = clock;
        this.failed = Counter.builder("sextant.workflow.event.failures")
                .description("Event-triggered transitions rolled back because their effects failed")
                .register(meters);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void consume(List<Event> events) {
        if (events.isEmpty()) {
            return;
        }
        UUID tenantId = events.getFirst().tenantId();
        TenantContext.callAs(tenantId, () -> {
            // one query for the whole batch: which running instances each asset and zone is bound to
            Set<UUID> refs = new HashSet<>();
            for (Event event : events) {
                if (event.assetId() != null) {
                    refs.add(event.assetId());
                }
                if (event.zoneId() != null) {
                    refs.add(event.zoneId());
                }
            }
            Map<UUID, List<UUID>> bound = new HashMap<>();
            for (WorkflowInstanceRepository.Bound binding : instances.runningBoundTo(tenantId, refs)) {
                bound.computeIfAbsent(binding.refId(), r -> new ArrayList<>()).add(binding.instanceId());
            }
            if (!bound.isEmpty()) {
                for (Event event : events) {
                    deliver(tenantId, event, bound);
                }
            }
            return Boolean.TRUE;
        });
    }

    private void deliver(UUID tenantId, Event event, Map<UUID, List<UUID>> bound) {
        Set<UUID> targets = new TreeSet<>();
        if (event.assetId() != null) {
            targets.addAll(bound.getOrDefault(event.assetId(), List.of()));
        }
        if (event.zoneId() != null) {
            targets.addAll(bound.getOrDefault(event.zoneId(), List.of()));
        }
        if (targets.isEmpty()) {
            return;
        }
        Trigger.Event trigger = trigger(event);
        for (UUID instanceId : targets) {
            if (event.source().equals(WorkflowEngine.source(instanceId))) {
                continue;
            }
            try {
                // an instance that finished earlier in this batch is skipped here
                savepoint.executeWithoutResult(status -> instances
                        .lock(tenantId, instanceId)
                        .filter(instance -> !instance.finished())
                        .ifPresent(instance -> engine.step(instance, trigger, now())));
            } catch (WorkflowEngine.StepFailed e) {
                failed.increment();
                log.warn("Event {} did not move workflow instance {}: {}", event.id(), instanceId, e.getMessage());
            }
        }
    }

    static Trigger.Event trigger(Event event) {
        Map<String, Object> data = event.data().isObject() ? JSON.convertValue(event.data(), MAP) : Map.of();
        return new Trigger.Event(
                event.id().toString(),
                event.type(),
                data,
                event.assetId() == null ? null : event.assetId().toString(),
                event.zoneId() == null ? null : event.zoneId().toString(),
                event.time());
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }
}
