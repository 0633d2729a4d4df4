package io.sextant.geofencing;

import static org.assertj.core.api.Assertions.assertThat;

import io.sextant.geofencing.Transition.Dwelled;
import io.sextant.geofencing.Transition.Entered;
import io.sextant.geofencing.Transition.Exited;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.IntRange;
import org.jspecify.annotations.Nullable;

class FenceStateMachineProperties {

    private static final Instant T0 = Instant.parse("2025-03-04T06:00:00Z");
    private static final int MAX_LEGS = 8;
    private static final int MAX_STEPS_PER_LEG = 8;

    // --- generators -------------------------------------------------------------------------

    @Provide
    Arbitrary<FenceRules> anyRules() {
        return rules(
                Arbitraries.doubles().between(10, 80).ofScale(1).injectNull(0.3),
                Arbitraries.integers()
                        .between(30, 1_200)
                        .map(Duration::ofSeconds)
                        .injectNull(0.3));
    }

    @Provide
    Arbitrary<FenceRules> rulesWithDwell() {
        return rules(
                Arbitraries.doubles().between(10, 80).ofScale(1).injectNull(0.3),
                Arbitraries.integers().between(30, 1_200).map(Duration::ofSeconds));
    }

    @Provide
    Arbitrary<FenceRules> rulesWithAccuracyThreshold() {
        return rules(
                Arbitraries.doubles().between(10, 80).ofScale(1),
                Arbitraries.integers()
                        .between(30, 1_200)
                        .map(Duration::ofSeconds)
                        .injectNull(0.3));
    }

    private static Arbitrary<FenceRules> rules(Arbitrary<Double> maxAccuracy, Arbitrary<Duration> dwell) {
        Arbitrary<Duration> minDuration = Arbitraries.frequencyOf(
                Tuple.of(1, Arbitraries.just(Duration.ZERO)),
                Tuple.of(3, Arbitraries.integers().between(1, 180).map(Duration::ofSeconds)));
        return Combinators.combine(Arbitraries.integers().between(1, 4), minDuration, maxAccuracy, dwell)
                .as(FenceRules::new);
    }

    /**
     * Fixes in runs of the same presence (so that crossings with several fixes happen), mostly in
     * time order with gaps up to two minutes, some at the same time or earlier than the one before,
     * with accuracies from good to useless or unknown.
     */
    @Provide
    Arbitrary<List<PresenceFix>> anyFixes() {
        Arbitrary<List<Tuple.Tuple2<Presence, Integer>>> runs = Combinators.combine(
                        Arbitraries.of(Presence.class), Arbitraries.integers().between(1, 6))
                .as(Tuple::of)
                .list()
                .ofMaxSize(15);
        Arbitrary<List<Integer>> gaps = Arbitraries.frequencyOf(
                        Tuple.of(16, Arbitraries.integers().between(1, 120)),
                        Tuple.of(1, Arbitraries.just(0)),
                        Tuple.of(1, Arbitraries.integers().between(-60, -1)))
                .list()
                .ofSize(90);
        Arbitrary<List<Double>> accuracies = Arbitraries.doubles()
                .between(1, 120)
                .ofScale(1)
                .injectNull(0.2)
                .list()
                .ofSize(90);
        return Combinators.combine(runs, gaps, accuracies).as((presenceRuns, gapSeconds, accuracy) -> {
            List<PresenceFix> fixes = new ArrayList<>();
            Instant time = T0;
            for (Tuple.Tuple2<Presence, Integer> run : presenceRuns) {
                for (int i = 0; i < run.get2(); i++) {
                    int n = fixes.size();
                    time = time.plusSeconds(gapSeconds.get(n));
                    fixes.add(new PresenceFix(new Fix(time, accuracy.get(n)), run.get1()));
                }
            }
            return fixes;
        });
    }

    /**
     * A walk in signed meters from a boundary (positive inside) that starts outside and goes from
     * waypoint to waypoint in large steps, each waypoint further from the boundary than the margin
     * plus the noise, with noise of amplitude below the margin added to every sample.
     */
    record NoisyWalk(double marginMeters, double noiseMeters, List<Leg> legs, List<Double> noise) {

        record Leg(boolean inside, double beyondMeters, int steps) {}

        List<Double> trueDistances() {
            double clear = marginMeters + noiseMeters;
            List<Double> distances = new ArrayList<>();
            double previous = -(clear + 10);
            distances.add(previous);
            for (Leg leg : legs) {
                double target = (leg.inside() ? 1 : -1) * (clear + leg.beyondMeters());
                for (int k = 1; k <= leg.steps(); k++) {
                    distances.add(previous + (target - previous) * k / leg.steps());
                }
                previous = target;
            }
            return distances;
        }
    }

    @Provide
    Arbitrary<NoisyWalk> noisyWalks() {
        Arbitrary<NoisyWalk.Leg> leg = Combinators.combine(
                        Arbitraries.of(true, false),
                        Arbitraries.doubles().between(0.5, 300),
                        Arbitraries.integers().between(1, MAX_STEPS_PER_LEG))
                .as(NoisyWalk.Leg::new);
        return Arbitraries.doubles()
                .between(2, 50)
                .flatMap(margin -> Combinators.combine(
                                Arbitraries.doubles().between(0, 0.99).map(fraction -> fraction * margin),
                                leg.list().ofMinSize(1).ofMaxSize(MAX_LEGS),
                                Arbitraries.doubles().between(-1, 1).list().ofSize(1 + MAX_LEGS * MAX_STEPS_PER_LEG))
                        .as((noise, legs, unitNoise) -> new NoisyWalk(margin, noise, legs, unitNoise)));
    }

    @Provide
    Arbitrary<List<Transition>> transitionsFromASmallPool() {
        Arbitrary<Instant> time = Arbitraries.integers().between(0, 4).map(minute -> T0.plusSeconds(60L * minute));
        Instant stayBegan = T0.minusSeconds(60);
        return Arbitraries.<Transition>oneOf(
                        time.map(Entered::new),
                        time.map(t -> new Exited(t, stayBegan)),
                        time.map(t -> new Dwelled(t, stayBegan)))
                .list()
                .ofMaxSize(8);
    }

    // --- properties -------------------------------------------------------------------------

    @Property
    void noise_smaller_than_the_margin_never_makes_a_fence_flap(@ForAll("noisyWalks") NoisyWalk walk) {
        List<Double> distances = walk.trueDistances();
        List<PresenceFix> fixes = new ArrayList<>();
        for (int i = 0; i < distances.size(); i++) {
            double noisy = distances.get(i) + walk.noise().get(i) * walk.noiseMeters();
            Presence presence = Presence.classify(noisy > 0, Math.abs(noisy), walk.marginMeters());
            fixes.add(new PresenceFix(new Fix(T0.plusSeconds(10L * i), 5.0), presence));
        }
        // A real crossing: the noise-free walk passes from beyond the margin on one side to beyond
        // it on the other.
        int realCrossings = 0;
        boolean inside = false;
        for (double distance : distances) {
            if (Math.abs(distance) > walk.marginMeters() && (distance > 0) != inside) {
                inside = !inside;
                realCrossings++;
            }
        }

        List<Transition> transitions = FenceStateMachine.replay(FenceState.OUTSIDE, fixes, FenceRules.IMMEDIATE);

        assertThat(transitions).hasSize(realCrossings);
    }

    @Property
    void enters_and_exits_strictly_alternate_beginning_with_an_enter(
            @ForAll("anyFixes") List<PresenceFix> fixes, @ForAll("anyRules") FenceRules rules) {
        List<Transition> crossings = FenceStateMachine.replay(FenceState.OUTSIDE, fixes, rules).stream()
                .filter(transition -> !(transition instanceof Dwelled))
                .toList();

        for (int i = 0; i < crossings.size(); i++) {
            assertThat(crossings.get(i)).isInstanceOf(i % 2 == 0 ? Entered.class : Exited.class);
        }
    }

    @Property
    void a_dwell_fires_once_for_each_stay_as_long_as_the_dwell_time_and_never_outside(
            @ForAll("anyFixes") List<PresenceFix> fixes, @ForAll("rulesWithDwell") FenceRules rules) {
        Duration dwell = rules.dwell();
        Replay replay = FenceStateMachine.replayWithFinalState(FenceState.OUTSIDE, fixes, rules);

        @Nullable Instant enteredAt = null;
        boolean dwelled = false;
        for (Transition transition : replay.transitions()) {
            switch (transition) {
                case Entered entered -> {
                    enteredAt = entered.time();
                    dwelled = false;
                }
                case Dwelled dwell1 -> {
                    assertThat(enteredAt).as("a dwell only inside").isNotNull();
                    assertThat(dwelled).as("one dwell per stay").isFalse();
                    assertThat(dwell1.time()).isEqualTo(enteredAt.plus(dwell));
                    assertThat(dwell1.enteredAt()).as("the stay it is about").isEqualTo(enteredAt);
                    dwelled = true;
                }
                case Exited exited -> {
                    assertThat(exited.enteredAt()).as("the stay it ends").isEqualTo(enteredAt);
                    assertThat(dwelled)
                            .as("a dwell exactly when the stay lasted the dwell time")
                            .isEqualTo(lasted(enteredAt, exited.time(), dwell));
                    enteredAt = null;
                }
            }
        }
        FenceState end = replay.finalState();
        if (enteredAt != null) {
            // The open stay is known to have lasted until the first fix of a pending exit, or else the last fix.
            Instant knownInsideUntil = end.pendingSince() != null ? end.pendingSince() : end.lastFixTime();
            assertThat(dwelled).isEqualTo(lasted(enteredAt, knownInsideUntil, dwell));
            assertThat(end.dwellFired()).isEqualTo(dwelled);
        }
    }

    private static boolean lasted(@Nullable Instant from, @Nullable Instant to, Duration duration) {
        assertThat(from).isNotNull();
        assertThat(to).isNotNull();
        return Duration.between(from, to).compareTo(duration) >= 0;
    }

    @Property
    void a_crossing_takes_min_fixes_decisive_fixes_in_a_row_spanning_min_duration_and_no_more(
            @ForAll("anyFixes") List<PresenceFix> fixes, @ForAll("anyRules") FenceRules rules) {
        List<List<Transition>> emitted = transitionsPerFix(fixes, rules);
        List<Integer> accepted = acceptedFixes(fixes, rules);

        boolean inside = false;
        @Nullable Instant enteredAt = null;
        int afterLastCrossing = 0;
        for (int j = 0; j < accepted.size(); j++) {
            PresenceFix fix = fixes.get(accepted.get(j));
            // Walk back over the decisive fixes on the other side, up to one on the current side.
            int count = 0;
            @Nullable Instant first = null;
            for (int k = j; k >= afterLastCrossing; k--) {
                Presence presence = fixes.get(accepted.get(k)).presence();
                if (presence == Presence.BAND) {
                    continue;
                }
                if ((presence == Presence.INSIDE) == inside) {
                    break;
                }
                count++;
                first = fixes.get(accepted.get(k)).fix().time();
            }
            boolean otherSide = fix.presence().isDecisive() && (fix.presence() == Presence.INSIDE) != inside;
            boolean crosses = otherSide
                    && count >= rules.minFixes()
                    && lasted(first, fix.fix().time(), rules.minDuration());

            List<Transition> crossings = emitted.get(accepted.get(j)).stream()
                    .filter(transition -> !(transition instanceof Dwelled))
                    .toList();
            if (crosses) {
                assertThat(first).isNotNull();
                assertThat(crossings)
                        .containsExactly(
                                inside
                                        ? new Exited(first, java.util.Objects.requireNonNull(enteredAt))
                                        : new Entered(first));
                enteredAt = inside ? null : first;
                inside = !inside;
                afterLastCrossing = j + 1;
            } else {
                assertThat(crossings).isEmpty();
            }
        }
    }

    @Property
    void fixes_less_accurate_than_the_threshold_never_change_the_state(
            @ForAll("anyFixes") List<PresenceFix> fixes, @ForAll("rulesWithAccuracyThreshold") FenceRules rules) {
        FenceState state = FenceState.OUTSIDE;
        List<PresenceFix> trusted = new ArrayList<>();
        for (PresenceFix fix : fixes) {
            Step step = FenceStateMachine.next(state, fix.fix(), fix.presence(), rules);
            Double accuracy = fix.fix().accuracyMeters();
            if (accuracy != null && accuracy > rules.maxAccuracyMeters()) {
                assertThat(step).isEqualTo(new Step(state, List.of()));
            } else {
                trusted.add(fix);
            }
            state = step.state();
        }

        assertThat(FenceStateMachine.replayWithFinalState(FenceState.OUTSIDE, trusted, rules))
                .isEqualTo(FenceStateMachine.replayWithFinalState(FenceState.OUTSIDE, fixes, rules));
    }

    @Property
    void replaying_is_folding_next_over_the_fixes(
            @ForAll("anyFixes") List<PresenceFix> fixes, @ForAll("anyRules") FenceRules rules) {
        FenceState state = FenceState.OUTSIDE;
        List<Transition> folded = new ArrayList<>();
        for (PresenceFix fix : fixes) {
            Step step = FenceStateMachine.next(state, fix.fix(), fix.presence(), rules);
            state = step.state();
            folded.addAll(step.transitions());
        }

        Replay replay = FenceStateMachine.replayWithFinalState(FenceState.OUTSIDE, fixes, rules);

        assertThat(replay).isEqualTo(new Replay(state, folded));
        assertThat(FenceStateMachine.replay(FenceState.OUTSIDE, fixes, rules)).isEqualTo(folded);
        assertThat(FenceStateMachine.diff(folded, replay.transitions()).isEmpty())
                .isTrue();
    }

    @Property
    void replaying_in_two_parts_through_the_saved_state_is_replaying_at_once(
            @ForAll("anyFixes") List<PresenceFix> fixes,
            @ForAll("anyRules") FenceRules rules,
            @ForAll @IntRange(min = 0, max = 100) int cutPercent) {
        int cut = fixes.size() * cutPercent / 100;
        Replay first = FenceStateMachine.replayWithFinalState(FenceState.OUTSIDE, fixes.subList(0, cut), rules);
        Replay second =
                FenceStateMachine.replayWithFinalState(first.finalState(), fixes.subList(cut, fixes.size()), rules);

        List<Transition> joined = new ArrayList<>(first.transitions());
        joined.addAll(second.transitions());
        assertThat(new Replay(second.finalState(), joined))
                .isEqualTo(FenceStateMachine.replayWithFinalState(FenceState.OUTSIDE, fixes, rules));
    }

    @Property
    void transition_times_never_decrease_and_each_is_a_fix_time_or_an_entry_plus_the_dwell(
            @ForAll("anyFixes") List<PresenceFix> fixes, @ForAll("anyRules") FenceRules rules) {
        Set<Instant> fixTimes = new HashSet<>();
        fixes.forEach(fix -> fixTimes.add(fix.fix().time()));
        List<Transition> transitions = FenceStateMachine.replay(FenceState.OUTSIDE, fixes, rules);

        @Nullable Instant previous = null;
        @Nullable Instant enteredAt = null;
        for (Transition transition : transitions) {
            if (previous != null) {
                assertThat(transition.time()).isAfterOrEqualTo(previous);
            }
            previous = transition.time();
            if (transition instanceof Dwelled) {
                assertThat(enteredAt).isNotNull();
                assertThat(transition.time()).isEqualTo(enteredAt.plus(rules.dwell()));
            } else {
                assertThat(fixTimes).contains(transition.time());
            }
            if (transition instanceof Entered) {
                enteredAt = transition.time();
            }
        }
    }

    @Property
    void the_dwell_timer_agrees_with_the_fixes_about_when_a_stay_became_a_dwell(
            @ForAll("anyFixes") List<PresenceFix> fixes,
            @ForAll("rulesWithDwell") FenceRules rules,
            @ForAll @IntRange(min = 0, max = 7_200) int secondsAfterLastFix) {
        FenceState state = FenceStateMachine.replayWithFinalState(FenceState.OUTSIDE, fixes, rules)
                .finalState();
        Instant now = (state.lastFixTime() != null ? state.lastFixTime() : T0).plusSeconds(secondsAfterLastFix);

        Step step = FenceStateMachine.atTime(state, now, rules);

        if (step.transitions().isEmpty()) {
            assertThat(step.state()).isEqualTo(state);
        } else {
            assertThat(state.inside()).isTrue();
            assertThat(state.dwellFired()).isFalse();
            assertThat(step.transitions())
                    .containsExactly(new Dwelled(state.since().plus(rules.dwell()), state.since()));
            assertThat(step.transitions().getFirst().time()).isBeforeOrEqualTo(now);
            assertThat(FenceStateMachine.atTime(step.state(), now.plusSeconds(3_600), rules)
                            .transitions())
                    .isEmpty();
        }
    }

    @Property
    void a_diff_of_transitions_with_themselves_is_empty(
            @ForAll("transitionsFromASmallPool") List<Transition> transitions) {
        assertThat(FenceStateMachine.diff(transitions, transitions).isEmpty()).isTrue();
    }

    @Property
    void a_diff_retracts_what_is_no_longer_replayed_and_asserts_what_is_new(
            @ForAll("transitionsFromASmallPool") List<Transition> previous,
            @ForAll("transitionsFromASmallPool") List<Transition> replayed) {
        Correction correction = FenceStateMachine.diff(previous, replayed);

        Map<Transition, Integer> keptOfPrevious = minus(counts(previous), counts(correction.retracted()));
        Map<Transition, Integer> keptOfReplayed = minus(counts(replayed), counts(correction.asserted()));
        // What stays is the same on both sides: previous = retracted + kept, replayed = asserted + kept.
        assertThat(keptOfPrevious).isEqualTo(keptOfReplayed);
        assertThat(Collections.disjoint(correction.retracted(), correction.asserted()))
                .as("nothing is both retracted and asserted")
                .isTrue();
        assertThat(correction.isEmpty()).isEqualTo(counts(previous).equals(counts(replayed)));
    }

    // --- helpers ----------------------------------------------------------------------------

    /** The transitions each fix caused, by the fix's index. */
    private static List<List<Transition>> transitionsPerFix(List<PresenceFix> fixes, FenceRules rules) {
        List<List<Transition>> emitted = new ArrayList<>();
        FenceState state = FenceState.OUTSIDE;
        for (PresenceFix fix : fixes) {
            Step step = FenceStateMachine.next(state, fix.fix(), fix.presence(), rules);
            emitted.add(step.transitions());
            state = step.state();
        }
        return emitted;
    }

    /** The indexes of the fixes the state machine should act on: accurate enough and after the last one acted on. */
    private static List<Integer> acceptedFixes(List<PresenceFix> fixes, FenceRules rules) {
        List<Integer> accepted = new ArrayList<>();
        @Nullable Instant last = null;
        for (int i = 0; i < fixes.size(); i++) {
            Fix fix = fixes.get(i).fix();
            boolean accurate = rules.maxAccuracyMeters() == null
                    || fix.accuracyMeters() == null
                    || fix.accuracyMeters() <= rules.maxAccuracyMeters();
            if (accurate && (last == null || fix.time().isAfter(last))) {
                accepted.add(i);
                last = fix.time();
            }
        }
        return accepted;
    }

    private static Map<Transition, Integer> counts(List<Transition> transitions) {
        Map<Transition, Integer> counts = new HashMap<>();
        transitions.forEach(transition -> counts.merge(transition, 1, Integer::sum));
        return counts;
    }

    private static Map<Transition, Integer> minus(Map<Transition, Integer> from, Map<Transition, Integer> taken) {
        Map<Transition, Integer> rest = new HashMap<>(from);
        taken.forEach((transition, count) -> {
            int left = rest.getOrDefault(transition, 0) - count;
            assertThat(left).as("only what was there is taken away").isNotNegative();
            if (left == 0) {
                rest.remove(transition);
            } else {
                rest.put(transition, left);
            }
        });
        return rest;
    }
}
