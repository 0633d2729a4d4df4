package io.sextant.workflow;

import io.sextant.workflow.Expressions.Compiled;
import io.sextant.workflow.InstanceState.PendingTimer;
import io.sextant.workflow.Step.Applied;
import io.sextant.workflow.Step.HistoryEntry;
import io.sextant.workflow.Step.Rejected;
import io.sextant.workflow.Step.Rejection;
import io.sextant.workflow.WorkflowDefinition.ActionDef;
import io.sextant.workflow.WorkflowDefinition.StateDef;
import io.sextant.workflow.WorkflowDefinition.TimerDef;
import io.sextant.workflow.WorkflowDefinition.TransitionDef;
import io.sextant.workflow.WorkflowDefinition.TriggerDef;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The transition core of one definition, free of I/O: an instance's state and a trigger in, the
 * next state with its effects and history entry out, or the reason nothing happened. The order is
 * that of SCXML: leave the source (its {@code after} timers are cancelled), run the transition's
 * actions, enter the target (its entry actions, then its {@code after} timers are scheduled).
 * Expressions are evaluated with CEL against {@code vars}, {@code event}, {@code command}, {@code
 * caller}, {@code instance} and {@code now}.
 */
public final class WorkflowMachine {

    /** The prefix of the type of events a definition emits with an emit action. */
    public static final String CUSTOM_EVENT_PREFIX = "sextant.workflow.custom.";

    private final WorkflowDefinition definition;
    private final Map<String, Compiled> expressions = new HashMap<>();

    /** A machine for a definition that {@link WorkflowDefinitionReader} accepted. */
    public WorkflowMachine(WorkflowDefinition definition) {
        this.definition = definition;
        for (StateDef state : definition.states().values()) {
            for (TransitionDef transition : state.on()) {
                compile(transition.guard());
                if (transition.trigger() instanceof TriggerDef.Event(String type, @Nullable String match)) {
                    compile(match);
                }
                transition.actions().forEach(this::compile);
            }
            for (TimerDef timer : state.after()) {
                compile(timer.at());
                timer.actions().forEach(this::compile);
            }
            state.entry().forEach(this::compile);
        }
    }

    public WorkflowDefinition definition() {
        return definition;
    }

    /** Whether some transition of the state waits for events of this type (whatever its match). */
    public boolean awaits(String state, String eventType) {
        for (TransitionDef transition : definition.state(state).on()) {
            if (transition.trigger() instanceof TriggerDef.Event(String type, @Nullable String match)
                    && type.equals(eventType)) {
                return true;
            }
        }
        return false;
    }

    /** The commands the state accepts, in document order; none in a final state. */
    public List<String> allowedCommands(String state) {
        Set<String> commands = new LinkedHashSet<>();
        for (TransitionDef transition : definition.state(state).on()) {
            if (transition.trigger() instanceof TriggerDef.Command command) {
                commands.add(command.name());
            }
        }
        return List.copyOf(commands);
    }

    /** A new instance entering the initial state: its entry actions run and its timers are scheduled. */
    public Step start(
            String instanceId,
            Map<String, Object> variables,
            Map<String, String> assets,
            Map<String, String> zones,
            @Nullable String actor,
            Instant now) {
        InstanceState before =
                new InstanceState(instanceId, definition.initial(), 0, Map.of(), assets, zones, Map.of());
        Move move = new Move(before, Context.NONE, now, 0);
        move.variables.putAll(plain(variables));
        try {
            move.enter(definition.state(definition.initial()));
        } catch (Expressions.Failed e) {
            return new Rejected(new Rejection.EvaluationFailed(String.valueOf(e.getMessage())));
        }
        return move.applied(new HistoryEntry("start", actor, null, definition.initial(), now));
    }

    /** What the trigger does to the instance at {@code now}. */
    public Step step(InstanceState instance, Trigger trigger, Instant now) {
        StateDef state = definition.state(instance.state());
        if (state.isFinal()) {
            return new Rejected(new Rejection.Finished(state.name()));
        }
        try {
            return switch (trigger) {
                case Trigger.Command command -> command(instance, state, command, now);
                case Trigger.Event event -> event(instance, state, event, now);
                case Trigger.TimerFired fired -> timer(instance, state, fired.timerId(), now);
            };
        } catch (Expressions.Failed e) {
            return new Rejected(new Rejection.EvaluationFailed(String.valueOf(e.getMessage())));
        }
    }

    /**
     * The instance moved onto this machine's definition, a later version of its own ({@code from}),
     * in the state {@code target}. A migration is not a transition: no action runs; the timers of
     * the state left are cancelled and those of {@code target} start from {@code now}, named timers
     * stay pending, and the version moves on as for any change. Refused when {@code target} is not a
     * state of the new version, or the instance has finished.
     */
    public Step migrate(
            InstanceState instance, WorkflowDefinition from, String target, @Nullable String actor, Instant now) {
        if (!from.key().equals(definition.key()) || from.version() >= definition.version()) {
            return refused("%s v%d is not an earlier version of %s v%d"
                    .formatted(from.key(), from.version(), definition.key(), definition.version()));
        }
        StateDef source = from.states().get(instance.state());
        if (source == null) {
            return refused("%s v%d has no state %s".formatted(from.key(), from.version(), instance.state()));
        }
        if (source.isFinal()) {
            return refused("the instance has finished in state %s".formatted(source.name()));
        }
        StateDef destination = definition.states().get(target);
        if (destination == null) {
            return refused("%s v%d has no state %s".formatted(definition.key(), definition.version(), target));
        }
        Move move = new Move(instance, Context.NONE, now, instance.version() + 1);
        move.leave(source);
        try {
            move.startTimers(destination);
        } catch (Expressions.Failed e) {
            return new Rejected(new Rejection.EvaluationFailed(String.valueOf(e.getMessage())));
        }
        String cause = "migrate %s v%d -> v%d".formatted(definition.key(), from.version(), definition.version());
        return move.applied(new HistoryEntry(cause, actor, source.name(), target, now));
    }

    private static Rejected refused(String reason) {
        return new Rejected(new Rejection.MigrationRefused(reason));
    }

    private Step command(InstanceState instance, StateDef state, Trigger.Command command, Instant now)
            throws Expressions.Failed {
        Context context = Context.of(command);
        String cause = "command " + command.name();
        @Nullable String missingPermission = null;
        boolean permitted = false;
        for (TransitionDef transition : state.on()) {
            if (!(transition.trigger() instanceof TriggerDef.Command(String name, @Nullable String permission))
                    || !name.equals(command.name())) {
                continue;
            }
            if (permission != null && !command.caller().permissions().contains(permission)) {
                missingPermission = permission;
                continue;
            }
            permitted = true;
            if (holds(transition.guard(), instance, state.name(), context, now)) {
                return take(
                        instance,
                        state,
                        transition,
                        context,
                        now,
                        cause,
                        command.caller().subject(),
                        null);
            }
        }
        if (permitted) {
            return new Rejected(new Rejection.GuardFalse(state.name(), cause));
        }
        if (missingPermission != null) {
            return new Rejected(new Rejection.PermissionMissing(command.name(), missingPermission));
        }
        return new Rejected(
                new Rejection.CommandNotAllowed(command.name(), state.name(), allowedCommands(state.name())));
    }

    private Step event(InstanceState instance, StateDef state, Trigger.Event event, Instant now)
            throws Expressions.Failed {
        Context context = Context.of(event);
        String cause = "event " + event.type();
        boolean matched = false;
        for (TransitionDef transition : state.on()) {
            if (!(transition.trigger() instanceof TriggerDef.Event(String type, @Nullable String match))
                    || !type.equals(event.type())
                    || !holds(match, instance, state.name(), context, now)) {
                continue;
            }
            matched = true;
            if (holds(transition.guard(), instance, state.name(), context, now)) {
                return take(instance, state, transition, context, now, cause, event.id(), null);
            }
        }
        return new Rejected(
                matched
                        ? new Rejection.GuardFalse(state.name(), cause)
                        : new Rejection.EventNotMatched(state.name(), event.type()));
    }

    private Step timer(InstanceState instance, StateDef state, String timerId, Instant now) throws Expressions.Failed {
        String cause = "timer " + timerId;
        return switch (instance.timers().get(timerId)) {
            case null -> new Rejected(new Rejection.StaleTimer(timerId));
            // leaving a state drops its timers, so this only guards against a state stored inconsistently
            case PendingTimer.StateTimer timer
            when !timer.state().equals(state.name()) -> new Rejected(new Rejection.StaleTimer(timerId));
            case PendingTimer.StateTimer timer -> {
                TimerDef after = state.after().get(timer.index());
                TransitionDef transition =
                        new TransitionDef(new TriggerDef.Timer(timerId), null, after.target(), after.actions());
                yield take(instance, state, transition, Context.NONE, now, cause, null, timerId);
            }
            case PendingTimer.NamedTimer timer -> {
                boolean awaited = false;
                for (TransitionDef transition : state.on()) {
                    if (transition.trigger() instanceof TriggerDef.Timer(String name) && name.equals(timer.name())) {
                        awaited = true;
                        if (holds(transition.guard(), instance, state.name(), Context.NONE, now)) {
                            yield take(instance, state, transition, Context.NONE, now, cause, null, timerId);
                        }
                    }
                }
                yield new Rejected(
                        awaited
                                ? new Rejection.GuardFalse(state.name(), cause)
                                : new Rejection.TimerNotAwaited(state.name(), timerId));
            }
        };
    }

    private Applied take(
            InstanceState instance,
            StateDef source,
            TransitionDef transition,
            Context context,
            Instant now,
            String cause,
            @Nullable String actor,
            @Nullable String firedTimer)
            throws Expressions.Failed {
        Move move = new Move(instance, context, now, instance.version() + 1);
        if (firedTimer != null) {
            move.timers.remove(firedTimer);
        }
        move.leave(source);
        move.run(transition.actions(), source.name());
        move.enter(definition.state(transition.target()));
        return move.applied(new HistoryEntry(cause, actor, source.name(), transition.target(), now));
    }

    private boolean holds(
            @Nullable String expression, InstanceState instance, String state, Context context, Instant now)
            throws Expressions.Failed {
        if (expression == null) {
            return true;
        }
        Object value = evaluate(
                expression,
                bindings(
                        instance.id(),
                        state,
                        instance.version(),
                        instance.variables(),
                        instance.assets(),
                        instance.zones(),
                        context,
                        now));
        if (value instanceof Boolean b) {
            return b;
        }
        throw new Expressions.Failed("`%s` gave %s, not a boolean".formatted(expression, value));
    }

    private Object evaluate(String expression, Map<String, Object> bindings) throws Expressions.Failed {
        return Objects.requireNonNull(expressions.get(expression), expression).evaluate(bindings);
    }

    private static Map<String, Object> bindings(
            String id,
            String state,
            long version,
            Map<String, Object> variables,
            Map<String, String> assets,
            Map<String, String> zones,
            Context context,
            Instant now) {
        return Map.of(
                "vars", Expressions.toCel(variables),
                "event", context.event(),
                "command", context.command(),
                "caller", context.caller(),
                "instance", Map.of("id", id, "state", state, "version", version, "assets", assets, "zones", zones),
                "now", now);
    }

    /** Plain values as the machine keeps them: integers as longs, decimals as doubles. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> plain(Map<String, Object> values) {
        return (Map<String, Object>) Expressions.toCel(values);
    }

    private void compile(@Nullable String expression) {
        if (expression == null || expressions.containsKey(expression)) {
            return;
        }
        try {
            expressions.put(expression, Expressions.compile(expression, Expressions.Result.VALUE));
        } catch (Expressions.Invalid e) {
            throw new IllegalArgumentException(
                    "definition %s was not checked: `%s` does not compile".formatted(definition.key(), expression), e);
        }
    }

    private void compile(ActionDef action) {
        switch (action) {
            case ActionDef.SetVariables set -> set.variables().values().forEach(this::compile);
            case ActionDef.Emit emit -> emit.data().values().forEach(this::compile);
            case ActionDef.Schedule schedule -> compile(schedule.at());
            case ActionDef.Cancel cancel -> {}
            case ActionDef.Enqueue enqueue -> enqueue.payload().values().forEach(this::compile);
            case ActionDef.Start start -> start.variables().values().forEach(this::compile);
        }
    }

    /** What the trigger contributes to the CEL bindings: the event, or the command and its caller. */
    private record Context(Map<String, Object> event, Map<String, Object> command, Map<String, Object> caller) {

        static final Context NONE = new Context(Map.of(), Map.of(), Map.of());

        static Context of(Trigger.Command command) {
            return new Context(
                    Map.of(),
                    Map.of("name", command.name(), "args", Expressions.toCel(command.args())),
                    Map.of(
                            "subject",
                            command.caller().subject(),
                            "groups",
                            command.caller().groups()));
        }

        static Context of(Trigger.Event event) {
            Map<String, Object> map = new LinkedHashMap<>();
            map.put("id", event.id());
            map.put("type", event.type());
            map.put("data", Expressions.toCel(event.data()));
            if (event.assetId() != null) {
                map.put("assetId", event.assetId());
            }
            if (event.zoneId() != null) {
                map.put("zoneId", event.zoneId());
            }
            map.put("time", event.time());
            return new Context(map, Map.of(), Map.of());
        }
    }

    /** One transition under way: the variables, timers and effects as its actions change them. */
    private final class Move {

        private final InstanceState before;
        private final Context context;
        private final Instant now;
        private final long version;
        private final Map<String, Object> variables;
        private final Map<String, PendingTimer> timers;
        private final List<Effect> effects = new ArrayList<>();
        private String state;

        Move(InstanceState before, Context context, Instant now, long version) {
            this.before = before;
            this.context = context;
            this.now = now;
            this.version = version;
            this.variables = new LinkedHashMap<>(before.variables());
            this.timers = new LinkedHashMap<>(before.timers());
            this.state = before.state();
        }

        /** Leaving a state stops its timers: a firing after this is stale. */
        void leave(StateDef source) {
            timers.values().removeIf(timer -> {
                if (timer instanceof PendingTimer.StateTimer t && t.state().equals(source.name())) {
                    effects.add(new Effect.CancelTimer(t.id()));
                    return true;
                }
                return false;
            });
        }

        /** Entry actions first (they may set what a timer's {@code at} reads), then the state's timers. */
        void enter(StateDef target) throws Expressions.Failed {
            state = target.name();
            run(target.entry(), target.name());
            startTimers(target);
        }

        /** The state's {@code after} timers start from now; in a final state nothing waits any more. */
        void startTimers(StateDef target) throws Expressions.Failed {
            state = target.name();
            for (int i = 0; i < target.after().size(); i++) {
                TimerDef timer = target.after().get(i);
                String id = "%s:%d:%s:after:%d".formatted(before.id(), version, target.name(), i);
                schedule(new PendingTimer.StateTimer(id, target.name(), i, dueAt(timer.delay(), timer.at())));
            }
            if (target.isFinal()) {
                // a finished instance waits for nothing
                timers.keySet().forEach(id -> effects.add(new Effect.CancelTimer(id)));
                timers.clear();
            }
        }

        void run(List<ActionDef> actions, String where) throws Expressions.Failed {
            for (ActionDef action : actions) {
                switch (action) {
                    case ActionDef.SetVariables set -> variables.putAll(values(set.variables(), where));
                    case ActionDef.Emit emit ->
                        effects.add(
                                new Effect.EmitEvent(CUSTOM_EVENT_PREFIX + emit.name(), values(emit.data(), where)));
                    case ActionDef.Schedule schedule -> {
                        cancel(schedule.timer());
                        String id = "%s:%d:timer:%s".formatted(before.id(), version, schedule.timer());
                        schedule(new PendingTimer.NamedTimer(
                                id, schedule.timer(), dueAt(schedule.delay(), schedule.at())));
                    }
                    case ActionDef.Cancel cancel -> cancel(cancel.timer());
                    case ActionDef.Enqueue enqueue ->
                        effects.add(new Effect.EnqueueJob(enqueue.kind(), values(enqueue.payload(), where)));
                    case ActionDef.Start start ->
                        effects.add(new Effect.StartChild(start.definition(), values(start.variables(), where)));
                }
            }
        }

        private void schedule(PendingTimer timer) {
            timers.put(timer.id(), timer);
            effects.add(new Effect.ScheduleTimer(timer));
        }

        private void cancel(String name) {
            timers.values().removeIf(timer -> {
                if (timer instanceof PendingTimer.NamedTimer t && t.name().equals(name)) {
                    effects.add(new Effect.CancelTimer(t.id()));
                    return true;
                }
                return false;
            });
        }

        private Instant dueAt(@Nullable Duration delay, @Nullable String at) throws Expressions.Failed {
            if (delay != null) {
                return now.plus(delay);
            }
            Object value = evaluate(Objects.requireNonNull(at, "a timer has a delay or an at"), bindings(state));
            if (value instanceof Instant instant) {
                return instant;
            }
            throw new Expressions.Failed("`%s` gave %s, not a timestamp".formatted(at, value));
        }

        /** Every expression of the map evaluated against the variables as they were before any is set. */
        private Map<String, Object> values(Map<String, String> expressions, String where) throws Expressions.Failed {
            Map<String, Object> bindings = bindings(where);
            Map<String, Object> values = new LinkedHashMap<>();
            for (Map.Entry<String, String> entry : expressions.entrySet()) {
                values.put(entry.getKey(), evaluate(entry.getValue(), bindings));
            }
            return values;
        }

        private Map<String, Object> bindings(String where) {
            return WorkflowMachine.bindings(
                    before.id(), where, version, variables, before.assets(), before.zones(), context, now);
        }

        Applied applied(HistoryEntry history) {
            Map<String, Object> changed = new LinkedHashMap<>();
            variables.forEach((name, value) -> {
                if (!value.equals(before.variables().get(name))) {
                    changed.put(name, value);
                }
            });
            InstanceState after =
                    new InstanceState(before.id(), state, version, variables, before.assets(), before.zones(), timers);
            return new Applied(after, changed, effects, history);
        }
    }
}
