package io.sextant.workflow;

import io.sextant.workflow.Expressions.Result;
import io.sextant.workflow.WorkflowDefinition.ActionDef;
import io.sextant.workflow.WorkflowDefinition.StateDef;
import io.sextant.workflow.WorkflowDefinition.TimerDef;
import io.sextant.workflow.WorkflowDefinition.TransitionDef;
import io.sextant.workflow.WorkflowDefinition.TriggerDef;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * What the schema cannot say about a definition: that targets and the initial state exist, every
 * state can be reached, some state is final and final states accept nothing, events are of known
 * types, named timers are both scheduled and awaited, and every CEL expression compiles to the type
 * its place needs. Each error carries the JSON pointer of the offending part.
 */
final class DefinitionChecks {

    static final String WORKFLOW_EVENT_PREFIX = "sextant.workflow.";

    private final WorkflowDefinition definition;
    private final Set<String> knownEventTypes;
    private final Set<String> scheduledTimers = new HashSet<>();
    private final Set<String> awaitedTimers = new HashSet<>();
    private final List<DefinitionError> errors = new ArrayList<>();

    private DefinitionChecks(WorkflowDefinition definition, Set<String> knownEventTypes) {
        this.definition = definition;
        this.knownEventTypes = knownEventTypes;
    }

    static List<DefinitionError> check(WorkflowDefinition definition, Set<String> knownEventTypes) {
        DefinitionChecks checks = new DefinitionChecks(definition, knownEventTypes);
        checks.collectTimerNames();
        checks.checkStates();
        checks.checkReachability();
        return checks.errors;
    }

    private void collectTimerNames() {
        for (StateDef state : definition.states().values()) {
            for (TransitionDef transition : state.on()) {
                if (transition.trigger() instanceof TriggerDef.Timer(String name)) {
                    awaitedTimers.add(name);
                }
                transition.actions().forEach(this::collectScheduled);
            }
            state.after().forEach(timer -> timer.actions().forEach(this::collectScheduled));
            state.entry().forEach(this::collectScheduled);
        }
    }

    private void collectScheduled(ActionDef action) {
        if (action instanceof ActionDef.Schedule schedule) {
            scheduledTimers.add(schedule.timer());
        }
    }

    private void checkStates() {
        if (!definition.states().containsKey(definition.initial())) {
            error("/initial", "no state is named %s".formatted(definition.initial()));
        }
        if (definition.states().values().stream().noneMatch(StateDef::isFinal)) {
            error("/states", "no state is final, so no instance could ever finish");
        }
        for (StateDef state : definition.states().values()) {
            String at = "/states/" + state.name();
            if (state.isFinal() && !state.on().isEmpty()) {
                error(
                        at + "/on",
                        "%s is final and accepts nothing, so it can have no transitions".formatted(state.name()));
            }
            if (state.isFinal() && !state.after().isEmpty()) {
                error(
                        at + "/after",
                        "%s is final and accepts nothing, so it can have no timers".formatted(state.name()));
            }
            for (int i = 0; i < state.on().size(); i++) {
                checkTransition(state.on().get(i), at + "/on/" + i);
            }
            for (int i = 0; i < state.after().size(); i++) {
                checkTimer(state.after().get(i), at + "/after/" + i);
            }
            checkActions(state.entry(), at + "/entry");
        }
    }

    private void checkTransition(TransitionDef transition, String at) {
        switch (transition.trigger()) {
            case TriggerDef.Command command -> {}
            case TriggerDef.Event(String type, @Nullable String match) -> {
                if (!knownEventTypes.contains(type) && !type.startsWith(WORKFLOW_EVENT_PREFIX)) {
                    error(
                            at + "/event",
                            "%s is not a known event type (known: %s and %s*)"
                                    .formatted(
                                            type,
                                            String.join(", ", new TreeSet<>(knownEventTypes)),
                                            WORKFLOW_EVENT_PREFIX));
                }
                expression(match, Result.BOOLEAN, at + "/match");
            }
            case TriggerDef.Timer(String name) -> {
                if (!scheduledTimers.contains(name)) {
                    error(at + "/timer", "no action schedules a timer named %s".formatted(name));
                }
            }
        }
        expression(transition.guard(), Result.BOOLEAN, at + "/guard");
        target(transition.target(), at + "/target");
        checkActions(transition.actions(), at + "/actions");
    }

    private void checkTimer(TimerDef timer, String at) {
        expression(timer.at(), Result.TIMESTAMP, at + "/at");
        target(timer.target(), at + "/target");
        checkActions(timer.actions(), at + "/actions");
    }

    private void checkActions(List<ActionDef> actions, String at) {
        for (int i = 0; i < actions.size(); i++) {
            String actionAt = at + "/" + i;
            switch (actions.get(i)) {
                case ActionDef.SetVariables set -> values(set.variables(), actionAt + "/set");
                case ActionDef.Emit emit -> values(emit.data(), actionAt + "/emit/data");
                case ActionDef.Schedule schedule -> {
                    if (!awaitedTimers.contains(schedule.timer())) {
                        error(
                                actionAt + "/schedule/timer",
                                "no state has a transition on timer %s, so it would fire without a target"
                                        .formatted(schedule.timer()));
                    }
                    expression(schedule.at(), Result.TIMESTAMP, actionAt + "/schedule/at");
                }
                case ActionDef.Cancel cancel -> {
                    if (!scheduledTimers.contains(cancel.timer())) {
                        error(
                                actionAt + "/cancel/timer",
                                "no action schedules a timer named %s".formatted(cancel.timer()));
                    }
                }
                case ActionDef.Enqueue enqueue -> values(enqueue.payload(), actionAt + "/enqueue/payload");
                case ActionDef.Start start -> values(start.variables(), actionAt + "/start/variables");
            }
        }
    }

    private void values(Map<String, String> expressions, String at) {
        expressions.forEach((name, expression) -> expression(expression, Result.VALUE, at + "/" + name));
    }

    private void expression(@Nullable String expression, Result result, String at) {
        if (expression == null) {
            return;
        }
        try {
            Expressions.compile(expression, result);
        } catch (Expressions.Invalid e) {
            error(at, "`%s` does not compile: %s".formatted(expression, e.getMessage()));
        }
    }

    private void target(String target, String at) {
        if (!definition.states().containsKey(target)) {
            error(at, "no state is named %s".formatted(target));
        }
    }

    /** States no path of transitions and timers leads to from the initial state. */
    private void checkReachability() {
        if (!definition.states().containsKey(definition.initial())) {
            return;
        }
        Set<String> reached = new HashSet<>(Set.of(definition.initial()));
        Deque<String> pending = new ArrayDeque<>(reached);
        while (!pending.isEmpty()) {
            StateDef state = definition.state(pending.pop());
            List<String> targets = new ArrayList<>();
            state.on().forEach(transition -> targets.add(transition.target()));
            state.after().forEach(timer -> targets.add(timer.target()));
            for (String target : targets) {
                if (definition.states().containsKey(target) && reached.add(target)) {
                    pending.push(target);
                }
            }
        }
        for (String state : definition.stateNames()) {
            if (!reached.contains(state)) {
                error(
                        "/states/" + state,
                        "%s cannot be reached from the initial state %s".formatted(state, definition.initial()));
            }
        }
    }

    private void error(String pointer, String message) {
        errors.add(new DefinitionError(pointer, message));
    }
}
