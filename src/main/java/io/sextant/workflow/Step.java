package io.sextant.workflow;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** What a trigger did to an instance: it moved it ({@link Applied}), or it was refused ({@link Rejected}). */
public sealed interface Step {

    /**
     * The instance moved: its new state (variables after, timers pending), the variables that
     * changed with their new values, the effects to carry out in order, and the history entry.
     */
    record Applied(InstanceState state, Map<String, Object> changed, List<Effect> effects, HistoryEntry history)
            implements Step {
        public Applied {
            changed = Collections.unmodifiableMap(new LinkedHashMap<>(changed));
            effects = List.copyOf(effects);
        }
    }

    /** Nothing changed, and why. */
    record Rejected(Rejection rejection) implements Step {}

    /**
     * One line of an instance's history: what caused the move ({@code command dispatch}, {@code
     * event sextant.zone.exited}, {@code timer <id>}, {@code start}, {@code migrate mission v1 -> v2}), who (the command's caller, the
     * event's id), the state before (null when the instance starts) and after, and when.
     */
    record HistoryEntry(
            String cause, @Nullable String actor, @Nullable String from, String to, Instant at) {}

    /** Why a trigger was refused. */
    sealed interface Rejection {

        /** The command is not accepted in the current state; the API answers 409 listing {@code allowed}. */
        record CommandNotAllowed(String command, String state, List<String> allowed) implements Rejection {
            public CommandNotAllowed {
                allowed = List.copyOf(allowed);
            }
        }

        /** The caller lacks the permission the command's transition requires. */
        record PermissionMissing(String command, String permission) implements Rejection {}

        /** Transitions on the trigger exist in the current state, but no guard held. */
        record GuardFalse(String state, String cause) implements Rejection {}

        /** No transition of the current state takes this event (none on its type, or no match held). */
        record EventNotMatched(String state, String type) implements Rejection {}

        /** The timer is not pending: the state that started it was left, it was cancelled, or it already fired. */
        record StaleTimer(String timerId) implements Rejection {}

        /** The pending named timer has no transition in the current state; it stays pending. */
        record TimerNotAwaited(String state, String timerId) implements Rejection {}

        /** The instance is in a final state, which accepts nothing. */
        record Finished(String state) implements Rejection {}

        /** A guard, match or action expression failed while it ran; the transition is not taken. */
        record EvaluationFailed(String message) implements Rejection {}

        /** The instance cannot move onto the new version as asked: no such state there, or it has finished. */
        record MigrationRefused(String reason) implements Rejection {}
    }
}
