package io.sextant.workflow;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * A workflow definition as read and checked by {@link WorkflowDefinitionReader}: its states in
 * document order, the one an instance starts in, and the JSON Schema its variables follow (empty
 * when the document declares none), kept for the instance API to check new instances against.
 */
public record WorkflowDefinition(
        String key, int version, String initial, Map<String, StateDef> states, Map<String, Object> variables) {

    public WorkflowDefinition {
        states = Collections.unmodifiableMap(new LinkedHashMap<>(states));
        variables = Collections.unmodifiableMap(new LinkedHashMap<>(variables));
    }

    /** The state of that name; the definition has been checked, so an unknown name is a programming error. */
    public StateDef state(String name) {
        StateDef state = states.get(name);
        if (state == null) {
            throw new IllegalArgumentException("workflow " + key + " has no state " + name);
        }
        return state;
    }

    /** The names of the states, in document order. */
    public Set<String> stateNames() {
        return states.keySet();
    }

    /**
     * A state: its transitions on commands, events and named timers (first match in document order
     * wins), its timers that start when it is entered and stop when it is left, and its entry
     * actions.
     */
    public record StateDef(
            String name, StateType type, List<TransitionDef> on, List<TimerDef> after, List<ActionDef> entry) {

        public StateDef {
            on = List.copyOf(on);
            after = List.copyOf(after);
            entry = List.copyOf(entry);
        }

        public boolean isFinal() {
            return type == StateType.FINAL;
        }
    }

    /** A final state ends the instance: it accepts no command, event or timer. */
    public enum StateType {
        NORMAL,
        FINAL
    }

    /** A transition: what triggers it, a CEL guard that must hold (null: always), where it goes, what it does. */
    public record TransitionDef(
            TriggerDef trigger, @Nullable String guard, String target, List<ActionDef> actions) {

        public TransitionDef {
            actions = List.copyOf(actions);
        }
    }

    /** What a transition waits for. */
    public sealed interface TriggerDef {

        /** A command sent through the API; the caller must hold {@code permission} when one is named. */
        record Command(String name, @Nullable String permission) implements TriggerDef {}

        /** An event of the log of this type, taken when the CEL {@code match} holds (null: any). */
        record Event(String type, @Nullable String match) implements TriggerDef {}

        /** A timer scheduled by name with a {@link ActionDef.Schedule} action. */
        record Timer(String name) implements TriggerDef {}
    }

    /**
     * A timer of a state, started on entry: due after {@code delay}, or at the instant the CEL
     * expression {@code at} gives (for example a deadline held in a variable).
     */
    public record TimerDef(
            @Nullable Duration delay, @Nullable String at, String target, List<ActionDef> actions) {

        public TimerDef {
            actions = List.copyOf(actions);
        }
    }

    /** What a transition or an entry does; every value is a CEL expression evaluated at that moment. */
    public sealed interface ActionDef {

        /** Set variables, each to the value of its expression (all evaluated before any is set). */
        record SetVariables(Map<String, String> variables) implements ActionDef {
            public SetVariables {
                variables = ordered(variables);
            }
        }

        /** Emit the custom event {@code sextant.workflow.custom.<name>} with this data. */
        record Emit(String name, Map<String, String> data) implements ActionDef {
            public Emit {
                data = ordered(data);
            }
        }

        /** Schedule the named timer (replacing a pending one of the same name), after a delay or at an instant. */
        record Schedule(
                String timer,
                @Nullable Duration delay,
                @Nullable String at) implements ActionDef {}

        /** Cancel the named timer if it is pending. */
        record Cancel(String timer) implements ActionDef {}

        /** Enqueue a background job of this kind. */
        record Enqueue(String kind, Map<String, String> payload) implements ActionDef {
            public Enqueue {
                payload = ordered(payload);
            }
        }

        /** Start a child instance of the definition with this key. */
        record Start(String definition, Map<String, String> variables) implements ActionDef {
            public Start {
                variables = ordered(variables);
            }
        }

        private static Map<String, String> ordered(Map<String, String> map) {
            return Collections.unmodifiableMap(new LinkedHashMap<>(map));
        }
    }
}
