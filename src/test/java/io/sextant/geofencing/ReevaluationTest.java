package io.sextant.geofencing;

import static io.sextant.geofencing.Presence.INSIDE;
import static io.sextant.geofencing.Presence.OUTSIDE;
import static org.assertj.core.api.Assertions.assertThat;

import io.sextant.geofencing.Reevaluation.Emitted;
import io.sextant.geofencing.Transition.Dwelled;
import io.sextant.geofencing.Transition.Entered;
import io.sextant.geofencing.Transition.Exited;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReevaluationTest {

    private static final Instant T0 = Instant.parse("2026-11-20T08:00:00Z");
    private static final Instant HORIZON = T0.minus(Duration.ofDays(1));

    private static Instant at(int seconds) {
        return T0.plusSeconds(seconds);
    }

    private static PresenceFix fix(int seconds, Presence presence) {
        return new PresenceFix(new Fix(at(seconds), null), presence);
    }

    @Test
    void a_late_fix_outside_in_the_middle_of_a_stay_splits_it_and_retracts_the_exit_that_ended_it() {
        // Enter at 0, inside until the exit at 90; a fix outside at 45 arrives late.
        List<Emitted> history =
                List.of(new Emitted(new Entered(at(0)), at(0)), new Emitted(new Exited(at(90), at(0)), at(90)));

        Reevaluation.Start start = Reevaluation.start(history, at(45), HORIZON);
        Reevaluation.Outcome outcome = Reevaluation.reconcile(
                start,
                List.of(fix(30, INSIDE), fix(45, OUTSIDE), fix(60, INSIDE), fix(90, OUTSIDE)),
                FenceRules.IMMEDIATE,
                time -> true);

        assertThat(start.from()).isEqualTo(at(0));
        assertThat(start.initial()).isEqualTo(new FenceState(true, at(0), 0, null, false, null));
        assertThat(outcome.retracted()).containsExactly(new Exited(at(90), at(0)));
        assertThat(outcome.asserted())
                .containsExactly(
                        new Emitted(new Exited(at(45), at(0)), at(45)),
                        new Emitted(new Entered(at(60)), at(60)),
                        new Emitted(new Exited(at(90), at(60)), at(90)));
        assertThat(outcome.finalState().inside()).isFalse();
    }

    @Test
    void a_replay_starts_before_a_crossing_that_was_confirmed_after_the_late_fix() {
        // Two fixes to cross: the entry dated 100 was confirmed by the fix at 200. A fix outside at
        // 150 arrives late and breaks that run, so the replay must start before the entry.
        FenceRules twoFixes = new FenceRules(2, Duration.ZERO, null, null);
        List<Emitted> history = List.of(
                new Emitted(new Entered(at(0)), at(10)),
                new Emitted(new Exited(at(50), at(0)), at(60)),
                new Emitted(new Entered(at(100)), at(200)));

        Reevaluation.Start start = Reevaluation.start(history, at(150), HORIZON);
        Reevaluation.Outcome outcome = Reevaluation.reconcile(
                start,
                List.of(fix(60, OUTSIDE), fix(100, INSIDE), fix(150, OUTSIDE), fix(200, INSIDE), fix(210, INSIDE)),
                twoFixes,
                time -> true);

        assertThat(start.from())
                .as("the exit before it, confirmed before the entry began")
                .isEqualTo(at(50));
        assertThat(outcome.retracted()).containsExactly(new Entered(at(100)));
        assertThat(outcome.asserted()).containsExactly(new Emitted(new Entered(at(200)), at(210)));
    }

    @Test
    void a_replay_starts_at_the_last_crossing_confirmed_before_the_late_fix() {
        List<Emitted> history = List.of(
                new Emitted(new Entered(at(0)), at(10)),
                new Emitted(new Dwelled(at(600), at(0)), at(620)),
                new Emitted(new Exited(at(900), at(0)), at(910)));

        Reevaluation.Start start = Reevaluation.start(history, at(950), HORIZON);

        assertThat(start.from()).isEqualTo(at(900));
        assertThat(start.initial()).isEqualTo(new FenceState(false, at(900), 0, null, false, null));
        assertThat(start.previous()).isEmpty();
    }

    @Test
    void a_replay_from_the_horizon_starts_in_a_stay_whose_dwell_already_fired() {
        List<Emitted> history =
                List.of(new Emitted(new Entered(at(0)), at(0)), new Emitted(new Dwelled(at(600), at(0)), at(600)));

        Reevaluation.Start start = Reevaluation.start(history, at(5_000), at(1_000));

        assertThat(start.from()).isEqualTo(at(1_000));
        assertThat(start.initial()).isEqualTo(new FenceState(true, at(0), 0, null, true, null));
        assertThat(start.previous()).isEmpty();
    }

    @Test
    void a_crossing_recorded_before_its_confirmation_was_kept_is_not_trusted_as_a_start() {
        List<Emitted> history =
                List.of(new Emitted(new Entered(at(0)), null), new Emitted(new Exited(at(90), at(0)), null));

        assertThat(Reevaluation.start(history, at(200), HORIZON).from()).isEqualTo(at(0));
    }
}
