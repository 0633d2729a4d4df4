package io.sextant.geofencing;

import static io.sextant.geofencing.Presence.BAND;
import static io.sextant.geofencing.Presence.INSIDE;
import static io.sextant.geofencing.Presence.OUTSIDE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sextant.geofencing.Transition.Dwelled;
import io.sextant.geofencing.Transition.Entered;
import io.sextant.geofencing.Transition.Exited;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class FenceStateMachineTest {

    private static final Instant T0 = Instant.parse("2025-03-04T06:00:00Z");

    /** Two fixes spanning 20 s to cross, fixes worse than 30 m ignored, a dwell after 10 minutes. */
    private static final FenceRules CAREFUL = new FenceRules(2, Duration.ofSeconds(20), 30.0, Duration.ofMinutes(10));

    private static Instant at(int seconds) {
        return T0.plusSeconds(seconds);
    }

    private static PresenceFix fix(int seconds, Presence presence) {
        return new PresenceFix(new Fix(at(seconds), 5.0), presence);
    }

    private static PresenceFix fix(int seconds, Presence presence, Double accuracyMeters) {
        return new PresenceFix(new Fix(at(seconds), accuracyMeters), presence);
    }

    private static List<Transition> replay(FenceRules rules, PresenceFix... fixes) {
        return FenceStateMachine.replay(FenceState.OUTSIDE, List.of(fixes), rules);
    }

    private static FenceState stateAfter(FenceRules rules, PresenceFix... fixes) {
        return FenceStateMachine.replayWithFinalState(FenceState.OUTSIDE, List.of(fixes), rules)
                .finalState();
    }

    @Test
    void with_immediate_rules_the_first_fix_inside_enters_at_its_time() {
        Step step = FenceStateMachine.next(FenceState.OUTSIDE, new Fix(at(0), null), INSIDE, FenceRules.IMMEDIATE);

        assertThat(step.transitions()).containsExactly(new Entered(at(0)));
        assertThat(step.state()).isEqualTo(new FenceState(true, at(0), 0, null, false, at(0)));
    }

    @Test
    void a_fix_outside_leaves_an_asset_never_seen_inside_outside_without_a_transition() {
        Step step = FenceStateMachine.next(FenceState.OUTSIDE, new Fix(at(0), 5.0), OUTSIDE, CAREFUL);

        assertThat(step.transitions()).isEmpty();
        assertThat(step.state().inside()).isFalse();
        assertThat(step.state().isInitial()).isFalse();
        assertThat(FenceState.OUTSIDE.isInitial()).isTrue();
    }

    @Test
    void an_entry_is_confirmed_by_enough_fixes_over_enough_time_and_dated_to_the_first_of_them() {
        FenceState state = stateAfter(CAREFUL, fix(0, INSIDE), fix(10, INSIDE));
        assertThat(state.inside()).isFalse();
        assertThat(state.pendingFixes()).isEqualTo(2);
        assertThat(state.pendingSince()).isEqualTo(at(0));

        Step confirming = FenceStateMachine.next(state, new Fix(at(20), 5.0), INSIDE, CAREFUL);

        assertThat(confirming.transitions()).containsExactly(new Entered(at(0)));
        assertThat(confirming.state()).isEqualTo(new FenceState(true, at(0), 0, null, false, at(20)));
    }

    @Test
    void enough_time_without_enough_fixes_confirms_nothing() {
        assertThat(replay(CAREFUL, fix(0, INSIDE), fix(120, BAND), fix(240, BAND)))
                .isEmpty();
    }

    @Test
    void a_fix_in_the_band_neither_counts_towards_nor_cancels_a_pending_crossing() {
        FenceState state = stateAfter(CAREFUL, fix(0, INSIDE), fix(10, BAND));

        assertThat(state.pendingFixes()).isEqualTo(1);
        assertThat(state.pendingSince()).isEqualTo(at(0));
        assertThat(state.lastFixTime()).isEqualTo(at(10));
        assertThat(replay(CAREFUL, fix(0, INSIDE), fix(10, BAND), fix(20, INSIDE)))
                .containsExactly(new Entered(at(0)));
    }

    @Test
    void only_a_decisive_fix_confirms_a_crossing_however_long_the_band_lasts() {
        FenceRules oneFixHalfAMinute = new FenceRules(1, Duration.ofSeconds(30), null, null);

        assertThat(replay(oneFixHalfAMinute, fix(0, INSIDE), fix(60, BAND))).isEmpty();
        assertThat(replay(oneFixHalfAMinute, fix(0, INSIDE), fix(60, BAND), fix(70, INSIDE)))
                .containsExactly(new Entered(at(0)));
    }

    @Test
    void a_decisive_fix_on_the_current_side_cancels_a_pending_crossing() {
        List<Transition> transitions =
                replay(CAREFUL, fix(0, INSIDE), fix(10, OUTSIDE), fix(20, INSIDE), fix(30, INSIDE), fix(40, INSIDE));

        assertThat(transitions).containsExactly(new Entered(at(20)));
    }

    @Test
    void an_exit_is_dated_to_the_first_fix_outside() {
        List<Transition> transitions = replay(
                CAREFUL,
                fix(0, INSIDE),
                fix(20, INSIDE),
                fix(60, BAND),
                fix(70, OUTSIDE),
                fix(80, BAND),
                fix(90, OUTSIDE));

        assertThat(transitions).containsExactly(new Entered(at(0)), new Exited(at(70), at(0)));
    }

    @Test
    void a_fix_less_accurate_than_the_threshold_changes_nothing_not_even_the_last_fix_time() {
        FenceState state = stateAfter(CAREFUL, fix(0, INSIDE));

        Step step = FenceStateMachine.next(state, new Fix(at(30), 31.0), INSIDE, CAREFUL);

        assertThat(step.state()).isSameAs(state);
        assertThat(step.transitions()).isEmpty();
    }

    @Test
    void a_fix_of_unknown_accuracy_is_trusted() {
        assertThat(replay(CAREFUL, fix(0, INSIDE, null), fix(20, INSIDE, null))).containsExactly(new Entered(at(0)));
    }

    @Test
    void a_fix_not_after_the_last_one_changes_nothing() {
        FenceState state = stateAfter(CAREFUL, fix(0, INSIDE), fix(20, INSIDE));

        assertThat(FenceStateMachine.next(state, new Fix(at(20), 5.0), OUTSIDE, CAREFUL))
                .isEqualTo(new Step(state, List.of()));
        assertThat(FenceStateMachine.next(state, new Fix(at(5), 5.0), OUTSIDE, CAREFUL))
                .isEqualTo(new Step(state, List.of()));
    }

    @Test
    void a_dwell_fires_once_dated_to_the_entry_plus_the_dwell_time() {
        List<Transition> transitions =
                replay(CAREFUL, fix(0, INSIDE), fix(20, INSIDE), fix(300, INSIDE), fix(660, INSIDE), fix(900, INSIDE));

        assertThat(transitions).containsExactly(new Entered(at(0)), new Dwelled(at(600), at(0)));
    }

    @Test
    void one_fix_can_confirm_an_entry_and_its_dwell_in_time_order() {
        FenceRules slow = new FenceRules(2, Duration.ofMinutes(15), null, Duration.ofMinutes(10));

        assertThat(replay(slow, fix(0, INSIDE), fix(900, INSIDE)))
                .containsExactly(new Entered(at(0)), new Dwelled(at(600), at(0)));
    }

    @Test
    void a_dwell_waits_while_an_exit_pending_from_before_it_was_due_may_yet_end_the_stay() {
        FenceState pending = stateAfter(CAREFUL, fix(0, INSIDE), fix(20, INSIDE), fix(590, OUTSIDE));

        Step later = FenceStateMachine.next(pending, new Fix(at(620), 5.0), BAND, CAREFUL);
        assertThat(later.transitions()).isEmpty();

        Step exit = FenceStateMachine.next(later.state(), new Fix(at(630), 5.0), OUTSIDE, CAREFUL);
        assertThat(exit.transitions()).containsExactly(new Exited(at(590), at(0)));
    }

    @Test
    void a_dwell_held_back_by_a_pending_exit_fires_when_the_asset_shows_up_inside_again() {
        List<Transition> transitions =
                replay(CAREFUL, fix(0, INSIDE), fix(20, INSIDE), fix(590, OUTSIDE), fix(650, INSIDE));

        assertThat(transitions).containsExactly(new Entered(at(0)), new Dwelled(at(600), at(0)));
    }

    @Test
    void a_stay_long_enough_raises_its_dwell_before_its_exit_even_without_a_fix_in_between() {
        List<Transition> transitions =
                replay(CAREFUL, fix(0, INSIDE), fix(20, INSIDE), fix(700, OUTSIDE), fix(720, OUTSIDE));

        assertThat(transitions)
                .containsExactly(new Entered(at(0)), new Dwelled(at(600), at(0)), new Exited(at(700), at(0)));
    }

    @Test
    void a_dwell_decided_with_the_exit_that_ends_its_stay_says_when_that_stay_began() {
        // Backfilled: the last fix inside comes before the dwell is due, the next one is outside.
        FenceRules dwellOnly = new FenceRules(1, Duration.ZERO, null, Duration.ofMinutes(10));

        Step exit = FenceStateMachine.next(
                stateAfter(dwellOnly, fix(0, INSIDE), fix(300, INSIDE)), new Fix(at(720), null), OUTSIDE, dwellOnly);

        assertThat(exit.transitions()).containsExactly(new Dwelled(at(600), at(0)), new Exited(at(720), at(0)));
        FenceEvents.TransitionFacts dwell = FenceEvents.facts(exit.transitions().getFirst(), null);
        assertThat(dwell.enteredAt()).isEqualTo(at(0));
        assertThat(dwell.durationSeconds()).isEqualTo(600);
        assertThat(dwell.enteredAt()).isBefore(dwell.time());
    }

    @Test
    void an_exit_whose_stay_began_at_another_time_is_a_different_transition() {
        Correction correction = FenceStateMachine.diff(
                List.of(new Entered(at(0)), new Exited(at(90), at(0))),
                List.of(
                        new Entered(at(0)),
                        new Exited(at(45), at(0)),
                        new Entered(at(60)),
                        new Exited(at(90), at(60))));

        assertThat(correction.retracted()).containsExactly(new Exited(at(90), at(0)));
        assertThat(correction.asserted())
                .containsExactly(new Exited(at(45), at(0)), new Entered(at(60)), new Exited(at(90), at(60)));
    }

    @Test
    void an_event_shows_the_stay_of_an_exit_or_dwell_and_the_fix_at_the_time_of_an_entry_or_exit() {
        FenceEvents.FixData fixAt90 = new FenceEvents.FixData(at(90), 10.02, 50.005, 4.0);

        FenceEvents.TransitionFacts exit = FenceEvents.facts(new Exited(at(90), at(0)), fixAt90);
        FenceEvents.TransitionFacts entry = FenceEvents.facts(new Entered(at(0)), null);
        FenceEvents.TransitionFacts dwell = FenceEvents.facts(new Dwelled(at(600), at(0)), null);

        assertThat(exit).isEqualTo(new FenceEvents.TransitionFacts("sextant.zone.exited", at(90), at(0), 90L, fixAt90));
        assertThat(entry).isEqualTo(new FenceEvents.TransitionFacts("sextant.zone.entered", at(0), null, null, null));
        assertThat(dwell).isEqualTo(new FenceEvents.TransitionFacts("sextant.zone.dwell", at(600), at(0), 600L, null));
        assertThat(FenceEvents.positionTime(new Exited(at(90), at(0)))).isEqualTo(at(90));
        assertThat(FenceEvents.positionTime(new Entered(at(0)))).isEqualTo(at(0));
        assertThat(FenceEvents.positionTime(new Dwelled(at(600), at(0)))).isNull();
    }

    @Test
    void a_stay_shorter_than_the_dwell_time_raises_no_dwell() {
        assertThat(replay(CAREFUL, fix(0, INSIDE), fix(20, INSIDE), fix(500, OUTSIDE), fix(900, OUTSIDE)))
                .containsExactly(new Entered(at(0)), new Exited(at(500), at(0)));
    }

    @Test
    void the_dwell_timer_fires_once_when_no_fix_arrives() {
        FenceState inside = stateAfter(CAREFUL, fix(0, INSIDE), fix(20, INSIDE));

        assertThat(FenceStateMachine.atTime(inside, at(599), CAREFUL).transitions())
                .isEmpty();
        Step fired = FenceStateMachine.atTime(inside, at(605), CAREFUL);
        assertThat(fired.transitions()).containsExactly(new Dwelled(at(600), at(0)));
        assertThat(fired.state().dwellFired()).isTrue();
        assertThat(fired.state().lastFixTime()).isEqualTo(at(20));
        assertThat(FenceStateMachine.atTime(fired.state(), at(900), CAREFUL).transitions())
                .isEmpty();
        assertThat(FenceStateMachine.next(fired.state(), new Fix(at(700), 5.0), INSIDE, CAREFUL)
                        .transitions())
                .isEmpty();
    }

    @Test
    void the_dwell_timer_is_due_at_the_entry_plus_the_dwell_until_it_fires() {
        FenceState inside = stateAfter(CAREFUL, fix(0, INSIDE), fix(20, INSIDE));

        assertThat(FenceStateMachine.dwellDueAt(inside, CAREFUL)).isEqualTo(at(600));
        assertThat(FenceStateMachine.dwellDueAt(
                        FenceStateMachine.atTime(inside, at(600), CAREFUL).state(), CAREFUL))
                .isNull();
        assertThat(FenceStateMachine.dwellDueAt(FenceState.OUTSIDE, CAREFUL)).isNull();
        assertThat(FenceStateMachine.dwellDueAt(inside, FenceRules.IMMEDIATE)).isNull();
    }

    @Test
    void the_dwell_timer_does_nothing_outside_or_without_a_dwell() {
        FenceState exited = stateAfter(CAREFUL, fix(0, INSIDE), fix(20, INSIDE), fix(100, OUTSIDE), fix(120, OUTSIDE));
        FenceState insideWithoutDwell = stateAfter(FenceRules.IMMEDIATE, fix(0, INSIDE));

        assertThat(FenceStateMachine.atTime(exited, at(3_600), CAREFUL).transitions())
                .isEmpty();
        assertThat(FenceStateMachine.atTime(FenceState.OUTSIDE, at(3_600), CAREFUL)
                        .transitions())
                .isEmpty();
        assertThat(FenceStateMachine.atTime(insideWithoutDwell, at(3_600), FenceRules.IMMEDIATE)
                        .transitions())
                .isEmpty();
    }

    @Test
    void replaying_with_a_late_fix_yields_the_correction_to_announce() {
        List<PresenceFix> asReceived = List.of(fix(0, INSIDE), fix(20, INSIDE), fix(200, OUTSIDE), fix(220, OUTSIDE));
        List<Transition> emitted = FenceStateMachine.replay(FenceState.OUTSIDE, asReceived, CAREFUL);
        // A fix buffered on the device arrives late: the asset was already outside at 100 s.
        List<PresenceFix> withLateFix =
                List.of(fix(0, INSIDE), fix(20, INSIDE), fix(100, OUTSIDE), fix(200, OUTSIDE), fix(220, OUTSIDE));

        Correction correction =
                FenceStateMachine.diff(emitted, FenceStateMachine.replay(FenceState.OUTSIDE, withLateFix, CAREFUL));

        assertThat(correction.retracted()).containsExactly(new Exited(at(200), at(0)));
        assertThat(correction.asserted()).containsExactly(new Exited(at(100), at(0)));
        assertThat(correction.isEmpty()).isFalse();
    }

    @Test
    void the_same_transitions_need_no_correction() {
        List<Transition> transitions = List.of(new Entered(at(0)), new Dwelled(at(600), at(0)));

        assertThat(FenceStateMachine.diff(transitions, List.copyOf(transitions)).isEmpty())
                .isTrue();
    }

    @Test
    void a_transition_of_another_type_at_the_same_time_is_a_different_transition() {
        Correction correction =
                FenceStateMachine.diff(List.of(new Entered(at(0))), List.of(new Exited(at(0), at(-60))));

        assertThat(correction.retracted()).containsExactly(new Entered(at(0)));
        assertThat(correction.asserted()).containsExactly(new Exited(at(0), at(-60)));
    }

    @Test
    void rules_that_could_never_cross_or_dwell_are_refused() {
        assertThatThrownBy(() -> new FenceRules(0, Duration.ZERO, null, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("minFixes");
        assertThatThrownBy(() -> new FenceRules(1, Duration.ofSeconds(-1), null, null))
                .hasMessageContaining("minDuration");
        assertThatThrownBy(() -> new FenceRules(1, Duration.ZERO, 0.0, null)).hasMessageContaining("maxAccuracyMeters");
        assertThatThrownBy(() -> new FenceRules(1, Duration.ZERO, null, Duration.ZERO))
                .hasMessageContaining("dwell");
    }

    @Test
    void presence_is_in_the_band_within_the_margin_on_either_side_and_never_with_no_margin() {
        assertThat(Presence.classify(true, 14.9, 15)).isEqualTo(BAND);
        assertThat(Presence.classify(false, 0, 15)).isEqualTo(BAND);
        assertThat(Presence.classify(true, 15, 15)).isEqualTo(INSIDE);
        assertThat(Presence.classify(false, 15, 15)).isEqualTo(OUTSIDE);
        assertThat(Presence.classify(true, 0, 0)).isEqualTo(INSIDE);
        assertThat(Presence.classify(false, 0, 0)).isEqualTo(OUTSIDE);
        assertThatThrownBy(() -> Presence.classify(true, Double.NaN, 15)).isInstanceOf(IllegalArgumentException.class);
    }
}
