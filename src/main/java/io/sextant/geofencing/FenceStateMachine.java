package io.sextant.geofencing;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Enter, exit and dwell for one asset and one zone as a pure function of the previous state, one
 * fix and where that fix lies. Nothing here reads a clock or stores anything: time comes in with
 * the input, so the same fixes always give the same transitions, live or replayed.
 *
 * <p>A crossing is believed only after {@link FenceRules#minFixes()} decisive fixes on the other
 * side in a row spanning {@link FenceRules#minDuration()}, and is dated to the first of them, when
 * the asset actually crossed. Fixes in the {@link Presence#BAND band} along the boundary neither
 * count towards nor cancel a pending crossing.
 *
 * <p>A dwell is raised once per stay, dated {@code since + dwell}, as soon as the stay is known to
 * have lasted that long: while an exit is pending the stay is only known to last until the first
 * fix outside, so a dwell never comes after the exit that ends its stay.
 */
public final class FenceStateMachine {

    private FenceStateMachine() {}

    /**
     * Applies one fix. A fix known to be less accurate than the rules allow, or not after the last
     * fix applied, changes nothing at all; any other fix becomes the last one, counts towards a
     * crossing if it is decisive on the other side, cancels one if it is decisive on the current
     * side, and may confirm a crossing, a dwell, or both (an exit and the dwell its stay earned, or
     * an entry and the dwell already due), in time order.
     */
    public static Step next(FenceState state, Fix fix, Presence presence, FenceRules rules) {
        if (fix.isLessAccurateThan(rules.maxAccuracyMeters())) {
            return Step.unchanged(state);
        }
        Instant time = fix.time();
        if (state.lastFixTime() != null && !time.isAfter(state.lastFixTime())) {
            return Step.unchanged(state);
        }
        List<Transition> transitions = new ArrayList<>(2);
        FenceState current = counted(state, time, presence);
        // Only a decisive fix on the other side can confirm; one in the band cannot tell.
        if (presence.isDecisive() && isConfirmed(current, time, rules)) {
            Instant crossed = pendingSince(current);
            if (current.inside()) {
                // The stay ends where the exit began; a dwell it earned comes first.
                transitions.addAll(dwellDue(current, crossed, rules));
                transitions.add(new Transition.Exited(crossed, stayBegan(current)));
            } else {
                transitions.add(new Transition.Entered(crossed));
            }
            current = new FenceState(!current.inside(), crossed, 0, null, false, time);
        }
        List<Transition> dwell = dwellDue(current, time, rules);
        if (!dwell.isEmpty()) {
            transitions.addAll(dwell);
            current = withDwellFired(current);
        }
        return new Step(current, transitions);
    }

    /**
     * Raises a due dwell when no fix arrives: the durable dwell timer of an asset that stopped
     * reporting while inside.
     */
    public static Step atTime(FenceState state, Instant now, FenceRules rules) {
        List<Transition> dwell = dwellDue(state, now, rules);
        return dwell.isEmpty() ? Step.unchanged(state) : new Step(withDwellFired(state), dwell);
    }

    /**
     * When the dwell of the current stay falls due, for scheduling the dwell timer; {@code null}
     * when outside, without a dwell, or once it has fired.
     */
    public static @Nullable Instant dwellDueAt(FenceState state, FenceRules rules) {
        Duration dwell = rules.dwell();
        Instant since = state.since();
        if (!state.inside() || state.dwellFired() || dwell == null || since == null) {
            return null;
        }
        return since.plus(dwell);
    }

    /**
     * Folds {@link #next} over fixes in time order and returns every transition. A dwell the timer
     * would raise after the last fix is not included: follow with {@link #atTime} on the final
     * state of {@link #replayWithFinalState} for that.
     */
    public static List<Transition> replay(FenceState initial, List<PresenceFix> fixes, FenceRules rules) {
        return replayWithFinalState(initial, fixes, rules).transitions();
    }

    /** Folds {@link #next} over fixes in time order and returns the final state and every transition. */
    public static Replay replayWithFinalState(FenceState initial, List<PresenceFix> fixes, FenceRules rules) {
        FenceState state = initial;
        List<Transition> transitions = new ArrayList<>();
        for (PresenceFix presenceFix : fixes) {
            Step step = next(state, presenceFix.fix(), presenceFix.presence(), rules);
            state = step.state();
            transitions.addAll(step.transitions());
        }
        return new Replay(state, transitions);
    }

    /**
     * What must change after a replay: the transitions emitted before that the replay no longer
     * produces, and the replayed ones not emitted before. Transitions are the same when their type,
     * time and, for exits and dwells, the start of their stay are: an exit whose stay now began
     * later is retracted and asserted anew. Each occurrence is matched once, so repeated
     * transitions are counted.
     */
    public static Correction diff(List<Transition> previouslyEmitted, List<Transition> replayed) {
        Map<Transition, Integer> unmatchedReplayed = new HashMap<>();
        replayed.forEach(transition -> unmatchedReplayed.merge(transition, 1, Integer::sum));
        List<Transition> retracted = new ArrayList<>();
        Map<Transition, Integer> kept = new HashMap<>();
        for (Transition transition : previouslyEmitted) {
            if (unmatchedReplayed.getOrDefault(transition, 0) > 0) {
                unmatchedReplayed.merge(transition, -1, Integer::sum);
                kept.merge(transition, 1, Integer::sum);
            } else {
                retracted.add(transition);
            }
        }
        List<Transition> asserted = new ArrayList<>();
        for (Transition transition : replayed) {
            if (kept.getOrDefault(transition, 0) > 0) {
                kept.merge(transition, -1, Integer::sum);
            } else {
                asserted.add(transition);
            }
        }
        return new Correction(retracted, asserted);
    }

    /** The state once the fix is counted towards, or cancels, a crossing; no crossing yet. */
    private static FenceState counted(FenceState state, Instant time, Presence presence) {
        if (!presence.isDecisive()) {
            return withLastFixTime(state, time);
        }
        boolean onCurrentSide = (presence == Presence.INSIDE) == state.inside();
        if (onCurrentSide) {
            return new FenceState(state.inside(), state.since(), 0, null, state.dwellFired(), time);
        }
        Instant pendingSince = state.pendingSince() != null ? state.pendingSince() : time;
        return new FenceState(
                state.inside(), state.since(), state.pendingFixes() + 1, pendingSince, state.dwellFired(), time);
    }

    private static boolean isConfirmed(FenceState counted, Instant time, FenceRules rules) {
        return counted.pendingFixes() >= rules.minFixes()
                && Duration.between(pendingSince(counted), time).compareTo(rules.minDuration()) >= 0;
    }

    /** The dwell to raise if the stay is known to have lasted the dwell time by {@code time}. */
    private static List<Transition> dwellDue(FenceState state, Instant time, FenceRules rules) {
        Instant due = dwellDueAt(state, rules);
        if (due == null) {
            return List.of();
        }
        // With an exit pending, the stay may have ended at its first fix outside.
        Instant knownInsideUntil = state.pendingSince() != null ? state.pendingSince() : time;
        return knownInsideUntil.isBefore(due) ? List.of() : List.of(new Transition.Dwelled(due, stayBegan(state)));
    }

    private static Instant stayBegan(FenceState state) {
        Instant since = state.since();
        if (!state.inside() || since == null) {
            throw new IllegalStateException("no stay under way");
        }
        return since;
    }

    private static Instant pendingSince(FenceState state) {
        Instant pendingSince = state.pendingSince();
        if (pendingSince == null) {
            throw new IllegalStateException("no crossing is pending");
        }
        return pendingSince;
    }

    private static FenceState withLastFixTime(FenceState state, Instant time) {
        return new FenceState(
                state.inside(), state.since(), state.pendingFixes(), state.pendingSince(), state.dwellFired(), time);
    }

    private static FenceState withDwellFired(FenceState state) {
        return new FenceState(
                state.inside(), state.since(), state.pendingFixes(), state.pendingSince(), true, state.lastFixTime());
    }
}
