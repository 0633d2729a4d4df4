package io.sextant.workflow;

import static io.sextant.workflow.WorkflowFixtures.DEPOT;
import static io.sextant.workflow.WorkflowFixtures.DISPATCHER;
import static io.sextant.workflow.WorkflowFixtures.ELSEWHERE;
import static io.sextant.workflow.WorkflowFixtures.SITE;
import static io.sextant.workflow.WorkflowFixtures.T0;
import static io.sextant.workflow.WorkflowFixtures.VISITOR;
import static io.sextant.workflow.WorkflowFixtures.command;
import static io.sextant.workflow.WorkflowFixtures.corrected;
import static io.sextant.workflow.WorkflowFixtures.entered;
import static io.sextant.workflow.WorkflowFixtures.exited;
import static org.assertj.core.api.Assertions.assertThat;

import io.sextant.workflow.InstanceState.PendingTimer;
import io.sextant.workflow.Step.Applied;
import io.sextant.workflow.Step.HistoryEntry;
import io.sextant.workflow.Step.Rejected;
import io.sextant.workflow.Step.Rejection;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.statistics.Statistics;

/**
 * Random sequences of commands, zone events, corrections and timer firings (due, stale and
 * repeated) on the shipped mission: whatever happens, the instance stays in a declared state with
 * a consistent history, final states absorb, and no timer firing applies twice.
 */
class WorkflowMachinePropertiesTest {

    private static final WorkflowMachine MISSION = new WorkflowMachine(WorkflowFixtures.mission());

    @Property
    void any_sequence_keeps_the_mission_in_a_declared_state_with_a_consistent_history(
            @ForAll("moves") List<Move> moves) {
        InstanceState instance = WorkflowFixtures.startedMission(MISSION);
        List<HistoryEntry> history = new ArrayList<>();
        List<String> fired = new ArrayList<>();
        Instant now = T0;
        int sequence = 0;
        for (Move move : moves) {
            now = now.plus(Duration.ofMinutes(20));
            Trigger trigger = trigger(move, instance, fired, "evt-" + sequence++, now);
            Step step = MISSION.step(instance, trigger, now);

            if (MISSION.definition().state(instance.state()).isFinal()) {
                assertThat(step).isEqualTo(new Rejected(new Rejection.Finished(instance.state())));
            }
            if (step instanceof Applied applied) {
                assertConsistent(instance, applied);
                history.add(applied.history());
                Statistics.label("transition")
                        .collect(applied.history().from() + " -> "
                                + applied.history().to());
                if (trigger instanceof Trigger.TimerFired timer) {
                    fired.add(timer.timerId());
                    assertThat(MISSION.step(applied.state(), timer, now))
                            .as("the same firing again")
                            .isInstanceOf(Rejected.class);
                }
                instance = applied.state();
            }
        }
        for (int i = 1; i < history.size(); i++) {
            assertThat(history.get(i).from()).isEqualTo(history.get(i - 1).to());
        }
        assertThat(instance.version()).isEqualTo(history.size());
    }

    private static void assertConsistent(InstanceState before, Applied applied) {
        InstanceState after = applied.state();
        assertThat(MISSION.definition().stateNames()).contains(after.state());
        assertThat(applied.history().from()).isEqualTo(before.state());
        assertThat(applied.history().to()).isEqualTo(after.state());
        assertThat(after.version()).isEqualTo(before.version() + 1);
        // only the current state's timers wait: leaving a state stopped its own
        for (PendingTimer timer : after.timers().values()) {
            assertThat(timer)
                    .isInstanceOfSatisfying(
                            PendingTimer.StateTimer.class,
                            t -> assertThat(t.state()).isEqualTo(after.state()));
        }
    }

    enum Move {
        DISPATCH,
        DISPATCH_WITHOUT_PERMISSION,
        COMPLETE,
        ABORT,
        LEAVE_DEPOT,
        LEAVE_ELSEWHERE,
        ENTER_SITE,
        RETRACT_ARRIVAL,
        UNRELATED_CORRECTION,
        FIRE_PENDING_TIMER,
        FIRE_LAST_FIRED_TIMER_AGAIN
    }

    /** Moves that end a mission are rarer, so that most sequences get far before one does. */
    @Provide
    Arbitrary<List<Move>> moves() {
        return Arbitraries.frequency(
                        Tuple.of(6, Move.DISPATCH),
                        Tuple.of(2, Move.DISPATCH_WITHOUT_PERMISSION),
                        Tuple.of(2, Move.COMPLETE),
                        Tuple.of(1, Move.ABORT),
                        Tuple.of(6, Move.LEAVE_DEPOT),
                        Tuple.of(2, Move.LEAVE_ELSEWHERE),
                        Tuple.of(6, Move.ENTER_SITE),
                        Tuple.of(4, Move.RETRACT_ARRIVAL),
                        Tuple.of(2, Move.UNRELATED_CORRECTION),
                        Tuple.of(3, Move.FIRE_PENDING_TIMER),
                        Tuple.of(3, Move.FIRE_LAST_FIRED_TIMER_AGAIN))
                .list()
                .ofMaxSize(40);
    }

    /** The move, made concrete for the instance as it stands. */
    private static Trigger trigger(Move move, InstanceState instance, List<String> fired, String eventId, Instant now) {
        return switch (move) {
            case DISPATCH -> command("dispatch", DISPATCHER);
            case DISPATCH_WITHOUT_PERMISSION -> command("dispatch", VISITOR);
            case COMPLETE -> command("complete", DISPATCHER);
            case ABORT -> command("abort", DISPATCHER);
            case LEAVE_DEPOT -> exited(eventId, DEPOT, now);
            case LEAVE_ELSEWHERE -> exited(eventId, ELSEWHERE, now);
            case ENTER_SITE -> entered(eventId, SITE, now);
            case RETRACT_ARRIVAL ->
                corrected(eventId, String.valueOf(instance.variables().getOrDefault("arrivalEvent", "none")), now);
            case UNRELATED_CORRECTION -> corrected(eventId, "evt-unrelated", now);
            case FIRE_PENDING_TIMER ->
                new Trigger.TimerFired(
                        instance.timers().keySet().stream().findFirst().orElse("no-such-timer"));
            case FIRE_LAST_FIRED_TIMER_AGAIN ->
                new Trigger.TimerFired(fired.isEmpty() ? "no-such-timer" : fired.getLast());
        };
    }
}
