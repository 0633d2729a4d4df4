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
            Set<UUID> candidates = new HashSet<>();
            for (WorkflowInstanceRepository.Bound binding : instances.runningBoundTo(tenantId, refs)) {
                bound.computeIfAbsent(binding.refId(), r -> new ArrayList<>()).add(binding.instanceId());
                candidates.add(binding.instanceId());
            }
            if (candidates.isEmpty()) {
                return Boolean.TRUE;
            }
            // and one for where they stand; kept current as this batch moves them
            Map<UUID, StoredInstance> standing = new HashMap<>();
            instances.snapshot(tenantId, candidates).forEach(i -> standing.put(i.id(), i));
            for (Event event : events) {
                deliver(tenantId, event, bound, standing);
            }
            return Boolean.TRUE;
        });
    }

    /**
     * The event to each running instance it correlates with. Most of them do not wait for it (a
     * zone shared by many instances sees every asset's events): the machine decides that on the
     * instance as it stands, and only an instance the event would move is locked, read again and
     * stepped for real. Deciding on the unlocked row is sound: a command that changes the instance
     * meanwhile is ordered after the event, which it did not see.
     */
    private void deliver(UUID tenantId, Event event, Map<UUID, List<UUID>> bound, Map<UUID, StoredInstance> standing) {
        Set<UUID> targets = new TreeSet<>();
        if (event.assetId() != null) {
            targets.addAll(bound.getOrDefault(event.assetId(), List.of()));
        }
        if (event.zoneId() != null) {
            targets.addAll(bound.getOrDefault(event.zoneId(), List.of()));
        }
        Trigger.Event trigger = null;
        for (UUID instanceId : targets) {
            StoredInstance seen = standing.get(instanceId);
            if (seen == null
                    || seen.finished()
                    || event.source().equals(WorkflowEngine.source(instanceId))
                    || !engine.machineOf(seen).awaits(seen.state().state(), event.type())) {
                continue;
            }
            Trigger.Event asTrigger = trigger == null ? trigger = trigger(event) : trigger;
            Instant now = now();
            if (!(engine.tryStep(seen, asTrigger, now) instanceof Step.Applied)) {
                continue;
            }
            try {
                savepoint.executeWithoutResult(status -> instances
                        .lock(tenantId, instanceId)
                        .filter(instance -> !instance.finished())
                        .ifPresent(instance -> standing.put(
                                instanceId,
                                engine.step(instance, asTrigger, now).after())));
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
