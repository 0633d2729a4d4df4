package io.sextant.workflow;

import static io.sextant.workflow.WorkflowFixtures.DEPOT;
import static io.sextant.workflow.WorkflowFixtures.DISPATCHER;
import static io.sextant.workflow.WorkflowFixtures.MISSION_ID;
import static io.sextant.workflow.WorkflowFixtures.SITE;
import static io.sextant.workflow.WorkflowFixtures.T0;
import static io.sextant.workflow.WorkflowFixtures.VEHICLE;
import static io.sextant.workflow.WorkflowFixtures.command;
import static io.sextant.workflow.WorkflowFixtures.corrected;
import static io.sextant.workflow.WorkflowFixtures.entered;
import static io.sextant.workflow.WorkflowFixtures.exited;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.sextant.events.EventTypes;
import io.sextant.workflow.Step.Applied;
import io.sextant.workflow.Step.Rejected;
import io.sextant.workflow.Step.Rejection;
import io.sextant.workflow.WorkflowDefinitionReader.Format;
import io.sextant.workflow.WorkflowSimulator.Simulation;
import io.sextant.workflow.WorkflowSimulator.SimulationInput;
import io.sextant.workflow.WorkflowSimulator.SimulationInput.Advance;
import io.sextant.workflow.WorkflowSimulator.SimulationInput.AdvanceTo;
import io.sextant.workflow.WorkflowSimulator.SimulationInput.Receive;
import io.sextant.workflow.WorkflowSimulator.SimulationInput.Send;
import io.sextant.workflow.WorkflowSimulator.SimulationTooLong;
import io.sextant.workflow.WorkflowSimulator.Start;
import io.sextant.workflow.WorkflowSimulator.TraceEntry;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.junit.jupiter.api.Test;

class WorkflowSimulatorTest {

    private static final Start MISSION_START = new Start(
            MISSION_ID,
            Map.of("priority", "high"),
            Map.of("vehicle", VEHICLE),
            Map.of("depot", DEPOT, "site", SITE),
            "dispatcher-1",
            T0);

    private final WorkflowSimulator mission = new WorkflowSimulator(new WorkflowMachine(WorkflowFixtures.mission()));

    private final Instant departure = T0.plus(Duration.ofMinutes(10));
    private final Instant arrival = T0.plus(Duration.ofMinutes(70));
    private final Instant correction = T0.plus(Duration.ofMinutes(75));

    @Test
    void a_mission_whose_arrival_is_retracted_goes_back_en_route() {
        Simulation simulation = mission.run(
                MISSION_START,
                List.of(
                        new Send(command("dispatch", DISPATCHER)),
                        new Receive(exited("evt-1", DEPOT, departure)),
                        new Receive(entered("evt-2", SITE, arrival)),
                        new Receive(corrected("evt-3", "evt-2", correction))));

        assertThat(simulation.trace())
                .extracting(TraceEntry::at, TraceEntry::cause, entry -> stateAfter(entry.step()))
                .containsExactly(
                        tuple(T0, "start", "planned"),
                        tuple(T0, "command dispatch", "dispatched"),
                        tuple(departure, "event sextant.zone.exited", "en_route"),
                        tuple(arrival, "event sextant.zone.entered", "on_site"),
                        tuple(correction, "event sextant.fence.corrected", "en_route"));
        InstanceState end = Objects.requireNonNull(simulation.end());
        assertThat(end.state()).isEqualTo("en_route");
        assertThat(end.version()).isEqualTo(4);
        assertThat(end.variables()).containsEntry("arrivalEvent", "evt-2").containsEntry("departedAt", departure);
        assertThat(end.timers()).containsOnlyKeys("mission-1:4:en_route:after:0");
        assertThat(simulation.clock()).isEqualTo(correction);
    }

    @Test
    void a_mission_that_does_not_leave_the_depot_within_thirty_minutes_escalates() {
        Simulation simulation = mission.run(
                MISSION_START, List.of(new Send(command("dispatch", DISPATCHER)), new Advance(Duration.ofMinutes(30))));

        TraceEntry last = simulation.trace().getLast();
        Instant due = T0.plus(Duration.ofMinutes(30));
        assertThat(last.at()).isEqualTo(due);
        assertThat(last.cause()).isEqualTo("timer mission-1:1:dispatched:after:0");
        assertThat(last.step()).isInstanceOfSatisfying(Applied.class, applied -> {
            assertThat(applied.history().to()).isEqualTo("escalated");
            assertThat(applied.effects())
                    .contains(new Effect.EmitEvent("sextant.workflow.custom.escalated", Map.of("dispatchedAt", T0)));
        });
        assertThat(Objects.requireNonNull(simulation.end()).state()).isEqualTo("escalated");
        assertThat(simulation.clock()).isEqualTo(due);
    }

    @Test
    void the_timer_of_a_state_already_left_never_fires() {
        Simulation simulation = mission.run(
                MISSION_START,
                List.of(
                        new Send(command("dispatch", DISPATCHER)),
                        new Receive(exited("evt-1", DEPOT, departure)),
                        new Advance(Duration.ofMinutes(30)),
                        new AdvanceTo(departure.plus(Duration.ofHours(2)))));

        assertThat(simulation.trace())
                .extracting(TraceEntry::cause)
                .containsExactly(
                        "start", "command dispatch", "event sextant.zone.exited", "timer mission-1:2:en_route:after:0")
                .doesNotContain("timer mission-1:1:dispatched:after:0");
        assertThat(stateAfter(simulation.trace().getLast().step())).isEqualTo("escalated");
    }

    @Test
    void an_event_later_than_the_clock_first_lets_the_timers_due_before_it_fire() {
        Instant late = T0.plus(Duration.ofMinutes(40));
        Simulation simulation = mission.run(
                MISSION_START,
                List.of(new Send(command("dispatch", DISPATCHER)), new Receive(exited("evt-1", DEPOT, late))));

        List<TraceEntry> trace = simulation.trace();
        assertThat(trace).hasSize(4);
        assertThat(trace.get(2).cause()).isEqualTo("timer mission-1:1:dispatched:after:0");
        assertThat(trace.get(2).at()).isEqualTo(T0.plus(Duration.ofMinutes(30)));
        assertThat(trace.get(3))
                .isEqualTo(new TraceEntry(
                        late,
                        "event sextant.zone.exited",
                        new Rejected(new Rejection.EventNotMatched("escalated", EventTypes.ZONE_EXITED))));
    }

    @Test
    void refused_steps_are_in_the_trace_and_change_nothing() {
        Simulation simulation = mission.run(MISSION_START, List.of(new Send(command("complete", DISPATCHER))));

        assertThat(simulation.trace().getLast())
                .isEqualTo(new TraceEntry(
                        T0,
                        "command complete",
                        new Rejected(
                                new Rejection.CommandNotAllowed("complete", "planned", List.of("dispatch", "abort")))));
        assertThat(Objects.requireNonNull(simulation.end()).state()).isEqualTo("planned");
    }

    @Test
    void a_refused_start_ends_the_simulation_with_that_one_entry() {
        WorkflowSimulator simulator =
                new WorkflowSimulator(new WorkflowMachine(WorkflowFixtures.READER.read("""
                        key: deadline
                        initial: waiting
                        states:
                          waiting:
                            after:
                              - at: "timestamp(vars.deadline)"
                                target: late
                          late:
                            type: final
                        """, Format.YAML)));

        Simulation simulation = simulator.run(
                new Start("d-1", Map.of("deadline", "not a time"), Map.of(), Map.of(), null, T0),
                List.of(new Advance(Duration.ofHours(1))));

        assertThat(simulation.trace()).hasSize(1);
        assertThat(simulation.trace().getFirst().cause()).isEqualTo("start");
        assertThat(simulation.trace().getFirst().step()).isInstanceOf(Rejected.class);
        assertThat(simulation.end()).isNull();
        assertThat(simulation.clock()).isEqualTo(T0);
    }

    // ---- named timers

    private static final String NUDGES = """
            key: nudges
            initial: waiting
            states:
              waiting:
                entry:
                  - schedule: { timer: nudge, delay: PT10M }
                on:
                  - command: go
                    target: busy
                  - timer: nudge
                    target: waiting
                    actions:
                      - set: { nudges: "vars.nudges + 1" }
              busy:
                on:
                  - command: back
                    target: waiting
                  - command: finish
                    target: done
              done:
                type: final
            """;

    private final WorkflowSimulator nudges =
            new WorkflowSimulator(new WorkflowMachine(WorkflowFixtures.READER.read(NUDGES, Format.YAML)));

    private static final Start NUDGES_START = new Start("n-1", Map.of("nudges", 0), Map.of(), Map.of(), null, T0);

    @Test
    void timers_scheduled_by_firings_within_the_advance_fire_too() {
        Simulation simulation = nudges.run(NUDGES_START, List.of(new Advance(Duration.ofMinutes(35))));

        assertThat(simulation.trace())
                .extracting(TraceEntry::at)
                .containsExactly(
                        T0,
                        T0.plus(Duration.ofMinutes(10)),
                        T0.plus(Duration.ofMinutes(20)),
                        T0.plus(Duration.ofMinutes(30)));
        InstanceState end = Objects.requireNonNull(simulation.end());
        assertThat(end.variables()).containsEntry("nudges", 3L);
        assertThat(end.timers()).containsOnlyKeys("n-1:3:timer:nudge");
        assertThat(simulation.clock()).isEqualTo(T0.plus(Duration.ofMinutes(35)));
    }

    @Test
    void a_named_timer_its_state_does_not_await_fires_once_and_stays_pending() {
        Simulation simulation = nudges.run(
                NUDGES_START,
                List.of(
                        new Send(new Trigger.Command("go", Map.of(), DISPATCHER)),
                        new Advance(Duration.ofHours(1)),
                        new Advance(Duration.ofHours(1)),
                        new Send(new Trigger.Command("back", Map.of(), DISPATCHER)),
                        new Advance(Duration.ofMinutes(10))));

        assertThat(simulation.trace())
                .extracting(TraceEntry::cause)
                .containsExactly(
                        "start", "command go", "timer n-1:0:timer:nudge", "command back", "timer n-1:2:timer:nudge");
        assertThat(simulation.trace().get(2).step())
                .isEqualTo(new Rejected(new Rejection.TimerNotAwaited("busy", "n-1:0:timer:nudge")));
        // going back to waiting scheduled the nudge again, replacing the one left pending
        assertThat(simulation.trace().get(3).step())
                .isInstanceOfSatisfying(
                        Applied.class,
                        applied ->
                                assertThat(applied.effects()).startsWith(new Effect.CancelTimer("n-1:0:timer:nudge")));
        assertThat(simulation.trace().getLast().step()).isInstanceOf(Applied.class);
    }

    @Test
    void timers_that_schedule_each_other_without_end_stop_the_simulation() {
        WorkflowSimulator spinning =
                new WorkflowSimulator(new WorkflowMachine(WorkflowFixtures.READER.read("""
                key: spin
                initial: spinning
                states:
                  spinning:
                    after:
                      - at: "now"
                        target: spinning
                    on:
                      - command: stop
                        target: stopped
                  stopped:
                    type: final
                """, Format.YAML)));

        assertThatThrownBy(() -> spinning.run(
                        new Start("s-1", Map.of(), Map.of(), Map.of(), null, T0),
                        List.of(new Advance(Duration.ofSeconds(1)))))
                .isInstanceOf(SimulationTooLong.class);
    }

    @Test
    void more_inputs_than_the_bound_are_refused_before_anything_runs() {
        List<SimulationInput> inputs =
                Collections.nCopies(WorkflowSimulator.MAX_STEPS + 1, new Send(command("complete", DISPATCHER)));

        assertThatThrownBy(() -> mission.run(MISSION_START, inputs)).isInstanceOf(SimulationTooLong.class);
    }

    @Test
    void the_clock_does_not_go_back() {
        assertThatThrownBy(() -> mission.run(
                        MISSION_START, List.of(new AdvanceTo(T0.plus(Duration.ofMinutes(5))), new AdvanceTo(T0))))
                .isInstanceOf(IllegalArgumentException.class)
                .isNotInstanceOf(SimulationTooLong.class);
        assertThatThrownBy(() -> mission.run(MISSION_START, List.of(new Advance(Duration.ZERO))))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> mission.run(MISSION_START, List.of(new Advance(Duration.ofMinutes(-1)))))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void an_event_older_than_the_clock_is_taken_at_the_clock() {
        Instant later = T0.plus(Duration.ofMinutes(20));
        Simulation simulation = mission.run(
                MISSION_START,
                List.of(
                        new Send(command("dispatch", DISPATCHER)),
                        new AdvanceTo(later),
                        new Receive(exited("evt-1", DEPOT, departure))));

        TraceEntry last = simulation.trace().getLast();
        assertThat(last.at()).isEqualTo(later);
        assertThat(last.step())
                .isInstanceOfSatisfying(
                        Applied.class,
                        applied -> assertThat(applied.state().variables()).containsEntry("departedAt", departure));
    }

    private static String stateAfter(Step step) {
        return step instanceof Applied applied ? applied.state().state() : "refused";
    }
}
