package io.sextant.geofencing;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * Late data for one asset and one zone, as pure functions: where a replay of the asset's stored
 * track must start, and what it changes about the transitions emitted before. The engine loads
 * what these need and stores what they return; the result is what replaying every fix from
 * scratch, in event-time order, would have emitted.
 *
 * <p>A replay may start at a crossing only if the late fixes cannot undo it. A crossing is dated to
 * the first fix of its run but decided by a later one; a late fix between the two may break the
 * run. So the start is the last crossing before the earliest late fix that was confirmed before
 * it; if that one's confirmation is not known to be, the crossing before it, which was confirmed
 * before the next run began. Fixes between a crossing and its confirmation are all on its new
 * side (or in the band), so replaying them from the crossing changes nothing.
 */
final class Reevaluation {

    private Reevaluation() {}

    /**
     * A transition emitted before and not retracted.
     *
     * @param confirmedAt the time of the fix that confirmed it ({@code null}: not known)
     */
    record Emitted(Transition transition, @Nullable Instant confirmedAt) {}

    /**
     * Where a replay starts: the stored fixes after {@code from}, replayed from {@code initial},
     * replace {@code previous}, the transitions emitted after {@code from}.
     */
    record Start(Instant from, FenceState initial, List<Emitted> previous) {

        Start {
            previous = List.copyOf(previous);
        }
    }

    /**
     * What a replay changes: the state to go on from, the transitions to retract, and those to
     * assert with the time of the fix that confirmed each.
     */
    record Outcome(FenceState finalState, List<Transition> retracted, List<Emitted> asserted) {

        Outcome {
            retracted = List.copyOf(retracted);
            asserted = List.copyOf(asserted);
        }

        boolean changesNothing() {
            return retracted.isEmpty() && asserted.isEmpty();
        }
    }

    /**
     * Where to replay from, given the transitions emitted before (not retracted, in time order,
     * from the last crossing at or before the horizon on), the time of the earliest late fix, and
     * the horizon: how far back a replay may go at most.
     */
    static Start start(List<Emitted> history, Instant earliestLate, Instant horizon) {
        List<Transition> crossings = new ArrayList<>();
        @Nullable Emitted last = null;
        for (Emitted emitted : history) {
            Transition transition = emitted.transition();
            if (!(transition instanceof Transition.Dwelled) && transition.time().isBefore(earliestLate)) {
                crossings.add(transition);
                last = emitted;
            }
        }
        @Nullable Transition anchor = null;
        if (last != null && last.confirmedAt() != null && last.confirmedAt().isBefore(earliestLate)) {
            anchor = last.transition();
        } else if (crossings.size() >= 2) {
            anchor = crossings.get(crossings.size() - 2);
        }
        if (anchor == null || anchor.time().isBefore(horizon)) {
            // Not within reach: start at the horizon, in the state the last crossing by then left.
            anchor = null;
            for (Transition crossing : crossings) {
                if (!crossing.time().isAfter(horizon)) {
                    anchor = crossing;
                }
            }
            return start(history, horizon, anchor);
        }
        return start(history, anchor.time(), anchor);
    }

    private static Start start(List<Emitted> history, Instant from, @Nullable Transition anchor) {
        FenceState initial = FenceState.OUTSIDE;
        if (anchor instanceof Transition.Entered entered) {
            boolean dwellFired = history.stream()
                    .anyMatch(e -> e.transition() instanceof Transition.Dwelled dwell
                            && dwell.enteredAt().equals(entered.time())
                            && !dwell.time().isAfter(from));
            initial = new FenceState(true, entered.time(), 0, null, dwellFired, null);
        } else if (anchor instanceof Transition.Exited exited) {
            initial = new FenceState(false, exited.time(), 0, null, false, null);
        }
        List<Emitted> previous = history.stream()
                .filter(e -> e.transition().time().isAfter(from))
                .toList();
        return new Start(from, initial, previous);
    }

    /**
     * Replays the stored fixes after {@code start.from()} (late ones included, in time order) and
     * compares what they give, where the zone is active, with what was emitted.
     */
    static Outcome reconcile(Start start, List<PresenceFix> fixes, FenceRules rules, Predicate<Instant> activeAt) {
        FenceState state = start.initial();
        List<Emitted> replayed = new ArrayList<>();
        for (PresenceFix fix : fixes) {
            Step step = FenceStateMachine.next(state, fix.fix(), fix.presence(), rules);
            state = step.state();
            for (Transition transition : step.transitions()) {
                replayed.add(new Emitted(transition, fix.fix().time()));
            }
        }
        // A dwell the timer raised after the last fix is not in a replay of fixes: let the timer's
        // rule run up to the last transition emitted before, so that it is not retracted.
        List<Emitted> previous = start.previous();
        Instant lastEmitted =
                previous.isEmpty() ? null : previous.getLast().transition().time();
        if (lastEmitted != null && state.lastFixTime() != null && lastEmitted.isAfter(state.lastFixTime())) {
            Step timer = FenceStateMachine.atTime(state, lastEmitted, rules);
            state = timer.state();
            for (Transition transition : timer.transitions()) {
                replayed.add(new Emitted(transition, lastEmitted));
            }
        }
        List<Emitted> active = replayed.stream()
                .filter(e -> activeAt.test(e.transition().time()))
                .toList();
        Correction correction = FenceStateMachine.diff(
                previous.stream().map(Emitted::transition).toList(),
                active.stream().map(Emitted::transition).toList());
        List<Emitted> unclaimed = new ArrayList<>(active);
        List<Emitted> asserted = new ArrayList<>();
        for (Transition transition : correction.asserted()) {
            for (int i = 0; i < unclaimed.size(); i++) {
                if (unclaimed.get(i).transition().equals(transition)) {
                    asserted.add(unclaimed.remove(i));
                    break;
                }
            }
        }
        return new Outcome(state, correction.retracted(), asserted);
    }
}
