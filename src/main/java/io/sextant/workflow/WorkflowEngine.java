package io.sextant.workflow;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.sextant.asset.Assets;
import io.sextant.events.EventLog;
import io.sextant.events.EventTypes;
import io.sextant.events.NewEvent;
import io.sextant.jobs.Jobs;
import io.sextant.jobs.NewJob;
import io.sextant.shared.Ids;
import io.sextant.shared.access.AssetFacts;
import io.sextant.workflow.Step.Applied;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * Carries out what the pure {@link WorkflowMachine} decides, in the caller's transaction: the
 * instance's new state (optimistically, against the version it was read at), its history row, the
 * {@code sextant.workflow.*} events on the log (the outbox) and the effects — durable timers and
 * background jobs on the job queue, child instances. All of a transition commits together or none
 * of it does. The caller holds the instance's row lock ({@link WorkflowInstanceRepository#lock}).
 */
@Component
class WorkflowEngine {

    /** The job kind of a durable workflow timer. */
    static final String TIMER_JOB = "workflow.timer";

    /** How deep children may start children within one transition. */
    static final int MAX_CHILD_DEPTH = 8;

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final WorkflowInstanceRepository instances;
    private final WorkflowDefinitions definitions;
    private final EventLog eventLog;
    private final Jobs jobs;
    private final Assets assets;
    private final Counter transitions;
    private final Counter rejections;

    WorkflowEngine(
            WorkflowInstanceRepository instances,
            WorkflowDefinitions definitions,
            EventLog eventLog,
            Jobs jobs,
            Assets assets,
            MeterRegistry meters) {
        this.instances = instances;
        this.definitions = definitions;
        this.eventLog = eventLog;
        this.jobs = jobs;
        this.assets = assets;
        this.transitions = Counter.builder("sextant.workflow.transitions")
                .description("Workflow transitions applied (instance starts included)")
                .register(meters);
        this.rejections = Counter.builder("sextant.workflow.rejections")
                .description("Triggers that moved no instance (not allowed, not matched, stale timer, failed)")
                .register(meters);
    }

    /** A transition that could not be carried out (a child's definition missing, too deep); nothing of it is kept. */
    static final class StepFailed extends RuntimeException {

        private static final long serialVersionUID = 1L;

        StepFailed(String message) {
            super(message);
        }
    }

    /**
     * Starts an instance of the published definition: its initial state entered, its entry actions
     * and timers carried out, {@code sextant.workflow.started} appended.
     *
     * @return the stored instance, or the rejection of its start (an entry action failed)
     */
    Started start(
            UUID tenantId,
            PublishedDefinition published,
            Map<String, Object> variables,
            Map<String, String> boundAssets,
            Map<String, String> boundZones,
            @Nullable String actor,
            @Nullable UUID parentId,
            Instant now,
            int depth) {
        WorkflowMachine machine = definitions.machine(tenantId, published);
        UUID id = Ids.newId();
        Step step = machine.start(id.toString(), variables, boundAssets, boundZones, actor, now);
        if (!(step instanceof Applied applied)) {
            rejections.increment();
            return new Started(null, ((Step.Rejected) step).rejection());
        }
        boolean finished = machine.definition().state(applied.state().state()).isFinal();
        StoredInstance stored = new StoredInstance(
                tenantId,
                id,
                published.key(),
                published.version(),
                applied.state(),
                finished,
                parentId,
                actor,
                now,
                now);
        instances.insert(stored);
        instances.appendHistory(tenantId, id, applied.state().version(), applied.history(), applied.changed());
        transitions.increment();
        Map<String, Object> data = base(stored);
        data.put("state", applied.state().state());
        data.put("variables", applied.state().variables());
        data.put("assets", new TreeMap<>(boundAssets));
        data.put("zones", new TreeMap<>(boundZones));
        if (actor != null) {
            data.put("actor", actor);
        }
        List<NewEvent> events = new ArrayList<>();
        events.add(event(stored, EventTypes.WORKFLOW_STARTED, data, now));
        if (finished) {
            events.add(completed(stored, now));
        }
        carryOut(stored, applied.effects(), events, now, depth);
        return new Started(stored, null);
    }

    /** An instance started, or why not. */
    record Started(@Nullable StoredInstance instance, Step.@Nullable Rejection rejection) {}

    /**
     * What the trigger does to the locked instance at {@code now}; an applied step is stored with
     * its history, events and effects before this returns.
     */
    Stepped step(StoredInstance instance, Trigger trigger, Instant now) {
        WorkflowMachine machine = machineOf(instance);
        Step step = machine.step(instance.state(), trigger, now);
        if (step instanceof Applied applied) {
            return new Stepped(step, store(instance, instance.definitionVersion(), machine, applied, now));
        }
        rejections.increment();
        return new Stepped(step, instance);
    }

    /** A step and the instance after it: as stored when it applied, unchanged when it was refused. */
    record Stepped(Step step, StoredInstance after) {}

    /**
     * What the trigger would do to the instance as it stands, without storing anything or counting
     * a rejection: the consumer's test before it takes an instance's lock.
     */
    Step tryStep(StoredInstance instance, Trigger trigger, Instant now) {
        return machineOf(instance).step(instance.state(), trigger, now);
    }

    /** The machine an instance runs. */
    WorkflowMachine machineOf(StoredInstance instance) {
        return definitions.machine(instance.tenantId(), instance.definitionKey(), instance.definitionVersion());
    }

    /** Stores an applied step of the instance, which now runs {@code definitionVersion} of its definition. */
    StoredInstance store(
            StoredInstance instance, int definitionVersion, WorkflowMachine machine, Applied applied, Instant now) {
        boolean finished = machine.definition().state(applied.state().state()).isFinal();
        StoredInstance next = instance.moved(definitionVersion, applied.state(), finished, now);
        if (!instances.update(next, instance.state().version())) {
            // the caller holds the row lock, so only a caller that did not lock it gets here
            throw new IllegalStateException("workflow instance " + instance.id() + " changed under its lock");
        }
        instances.appendHistory(
                instance.tenantId(), instance.id(), applied.state().version(), applied.history(), applied.changed());
        transitions.increment();
        Step.HistoryEntry history = applied.history();
        Map<String, Object> data = base(next);
        data.put("cause", history.cause());
        if (history.actor() != null) {
            data.put("actor", history.actor());
        }
        if (history.from() != null) {
            data.put("from", history.from());
        }
        data.put("to", history.to());
        data.put("version", applied.state().version());
        data.put("changed", applied.changed());
        List<NewEvent> events = new ArrayList<>();
        events.add(event(next, EventTypes.WORKFLOW_TRANSITIONED, data, now));
        if (finished) {
            events.add(completed(next, now));
        }
        carryOut(next, applied.effects(), events, now, 0);
        return next;
    }

    private void carryOut(
            StoredInstance instance, List<Effect> effects, List<NewEvent> events, Instant now, int depth) {
        List<NewJob> queued = new ArrayList<>();
        for (Effect effect : effects) {
            switch (effect) {
                case Effect.EmitEvent emit -> {
                    Map<String, Object> data = new LinkedHashMap<>(emit.data());
                    data.putAll(base(instance));
                    events.add(event(instance, emit.type(), data, now));
                }
                case Effect.ScheduleTimer schedule ->
                    queued.add(new NewJob(
                            TIMER_JOB,
                            instance.tenantId(),
                            json(Map.of(
                                    "tenantId", instance.tenantId().toString(),
                                    "instanceId", instance.id().toString(),
                                    "timerId", schedule.timer().id())),
                            schedule.timer().dueAt(),
                            null));
                // a cancelled timer's job stays queued: when it fires the timer is no longer pending,
                // and the machine calls it stale
                case Effect.CancelTimer cancel -> {}
                case Effect.EnqueueJob enqueue -> {
                    Map<String, Object> payload = new LinkedHashMap<>(enqueue.payload());
                    payload.putIfAbsent("instanceId", instance.id().toString());
                    queued.add(new NewJob(enqueue.kind(), instance.tenantId(), json(payload), now, null));
                }
                case Effect.StartChild child -> startChild(instance, child, now, depth);
            }
        }
        eventLog.append(events);
        jobs.enqueue(queued);
    }

    private void startChild(StoredInstance parent, Effect.StartChild child, Instant now, int depth) {
        if (depth + 1 > MAX_CHILD_DEPTH) {
            throw new StepFailed(
                    "instance %s would start a child more than %d levels deep".formatted(parent.id(), MAX_CHILD_DEPTH));
        }
        PublishedDefinition published = definitions
                .find(parent.tenantId(), child.definition(), null)
                .orElseThrow(() -> new StepFailed(
                        "instance %s starts a %s, which is not published".formatted(parent.id(), child.definition())));
        Started started = start(
                parent.tenantId(),
                published,
                child.variables(),
                parent.state().assets(),
                parent.state().zones(),
                "instance " + parent.id(),
                parent.id(),
                now,
                depth + 1);
        if (started.instance() == null) {
            throw new StepFailed("the child %s of instance %s did not start: %s"
                    .formatted(child.definition(), parent.id(), started.rejection()));
        }
    }

    private NewEvent completed(StoredInstance instance, Instant now) {
        Map<String, Object> data = base(instance);
        data.put("state", instance.state().state());
        data.put("version", instance.state().version());
        data.put("variables", instance.state().variables());
        return event(instance, EventTypes.WORKFLOW_COMPLETED, data, now);
    }

    private static Map<String, Object> base(StoredInstance instance) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("instanceId", instance.id().toString());
        data.put("definition", instance.definitionKey());
        data.put("definitionVersion", instance.definitionVersion());
        return data;
    }

    /**
     * An event about the instance, sourced at it. It concerns the instance's asset when exactly one
     * is bound (so asset filters and grants apply to it), and its zone likewise.
     */
    private NewEvent event(StoredInstance instance, String type, Map<String, Object> data, Instant now) {
        @Nullable UUID assetId = single(instance.state().assets());
        @Nullable UUID zoneId = single(instance.state().zones());
        List<String> tags = assetId == null
                ? List.of()
                : assets.facts(assetId).map(AssetFacts::tags).orElse(List.of());
        return new NewEvent(
                instance.tenantId(),
                type,
                source(instance.id()),
                instance.id().toString(),
                now,
                assetId,
                zoneId,
                tags,
                List.of(),
                plain(data));
    }

    static String source(UUID instanceId) {
        return "/workflows/instances/" + instanceId;
    }

    private static @Nullable UUID single(Map<String, String> roles) {
        return roles.size() == 1 ? UUID.fromString(roles.values().iterator().next()) : null;
    }

    /** Instants as ISO-8601 text, the way every other event carries times. */
    private static Object plain(Object value) {
        return switch (value) {
            case Instant instant -> instant.toString();
            case Map<?, ?> map -> {
                Map<String, Object> converted = new LinkedHashMap<>();
                map.forEach((k, v) -> converted.put(String.valueOf(k), plain(v)));
                yield converted;
            }
            case List<?> list -> list.stream().map(WorkflowEngine::plain).toList();
            default -> value;
        };
    }

    private static String json(Map<String, Object> payload) {
        return JSON.writeValueAsString(plain(payload));
    }
}
