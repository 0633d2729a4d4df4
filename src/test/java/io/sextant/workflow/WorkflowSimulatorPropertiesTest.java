package io.sextant.workflow;

import static io.sextant.workflow.WorkflowFixtures.DEPOT;
import static io.sextant.workflow.WorkflowFixtures.DISPATCHER;
import static io.sextant.workflow.WorkflowFixtures.ELSEWHERE;
import static io.sextant.workflow.WorkflowFixtures.MISSION_ID;
import static io.sextant.workflow.WorkflowFixtures.SITE;
import static io.sextant.workflow.WorkflowFixtures.T0;
import static io.sextant.workflow.WorkflowFixtures.VEHICLE;
import static io.sextant.workflow.WorkflowFixtures.VISITOR;
import static io.sextant.workflow.WorkflowFixtures.command;
import static io.sextant.workflow.WorkflowFixtures.corrected;
import static io.sextant.workflow.WorkflowFixtures.entered;
import static io.sextant.workflow.WorkflowFixtures.exited;
import static org.assertj.core.api.Assertions.assertThat;

import io.sextant.workflow.InstanceState.PendingTimer;
import io.sextant.workflow.Step.Applied;
import io.sextant.workflow.Step.HistoryEntry;
import io.sextant.workflow.WorkflowDefinitionReader.Format;
import io.sextant.workflow.WorkflowSimulator.Simulation;
import io.sextant.workflow.WorkflowSimulator.SimulationInput;
import io.sextant.workflow.WorkflowSimulator.SimulationInput.Advance;
import io.sextant.workflow.WorkflowSimulator.SimulationInput.AdvanceTo;
import io.sextant.workflow.WorkflowSimulator.SimulationInput.Receive;
import io.sextant.workflow.WorkflowSimulator.SimulationInput.Send;
import io.sextant.workflow.WorkflowSimulator.Start;
import io.sextant.workflow.WorkflowSimulator.TraceEntry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.statistics.Statistics;
import org.jspecify.annotations.Nullable;

/**
 * Random inputs on the shipped mission and on a definition of named timers: the simulator's trace
 * is what the live engine gets stepping the machine by hand with the instance stored as JSON and
 * read back between steps (so the stored form loses nothing the machine needs), no timer firing
 * applies twice, and the applied steps chain from state to state.
 */
class WorkflowSimulatorPropertiesTest {

    private static final WorkflowMachine MISSION = new WorkflowMachine(WorkflowFixtures.mission());

    private static final Start MISSION_START = new Start(
            MISSION_ID,
            Map.of("priority", "high"),
            Map.of("vehicle", VEHICLE),
            Map.of("depot", DEPOT, "site", SITE),
            "dispatcher-1",
            T0);

    /** Named timers that outlive their state and are not awaited everywhere, with decimal and time variables. */
    private static final WorkflowMachine NUDGES = new WorkflowMachine(WorkflowFixtures.READER.read("""
            key: nudges
            initial: waiting
            states:
              waiting:
                entry:
                  - schedule: { timer: nudge, delay: PT10M }
                after:
                  - delay: PT45M
                    target: busy
                on:
                  - command: go
                    target: busy
                  - timer: nudge
                    guard: "vars.nudges < 4"
                    target: waiting
                    actions:
                      - set: { nudges: "vars.nudges + 1", share: "double(vars.nudges) / 4.0", nudgedAt: "now" }
              busy:
                entry:
                  - schedule: { timer: reminder, at: "now + duration('25m')" }
                on:
                  - command: back
                    target: waiting
                  - command: finish
                    target: done
                  - timer: reminder
                    target: busy
                    actions:
                      - set: { share: "1.0", remindedAt: "now" }
                      - cancel: { timer: nudge }
              done:
                type: final
            """, Format.YAML));

    private static final Start NUDGES_START =
            new Start("n-1", Map.of("nudges", 0, "share", 0.0), Map.of(), Map.of(), null, T0);

    @Property
    void the_mission_simulated_is_the_mission_stepped_by_hand_through_its_stored_form(
            @ForAll("missionInputs") List<SimulationInput> inputs) {
        checkAgainstTheLiveEngine(MISSION, MISSION_START, inputs);
    }

    @Property
    void named_timers_simulated_are_named_timers_stepped_by_hand_through_their_stored_form(
            @ForAll("nudgesInputs") List<SimulationInput> inputs) {
        checkAgainstTheLiveEngine(NUDGES, NUDGES_START, inputs);
    }

    private static void checkAgainstTheLiveEngine(WorkflowMachine machine, Start start, List<SimulationInput> inputs) {
        Simulation simulation = new WorkflowSimulator(machine).run(start, inputs);

        LiveEngine live = new LiveEngine(machine, start);
        inputs.forEach(live::take);
        assertThat(simulation.trace()).isEqualTo(live.trace);
        assertThat(simulation.end()).isEqualTo(live.load());
        assertThat(simulation.clock()).isEqualTo(live.clock);

        Set<String> appliedTimers = new HashSet<>();
        @Nullable HistoryEntry previous = null;
        for (TraceEntry entry : simulation.trace()) {
            if (!(entry.step() instanceof Applied applied)) {
                continue;
            }
            Statistics.label("transition")
                    .collect(applied.history().from() + " -> "
                            + applied.history().to());
            if (entry.cause().startsWith("timer ")) {
                assertThat(appliedTimers.add(entry.cause()))
                        .as("%s applied twice", entry.cause())
                        .isTrue();
            }
            if (previous != null) {
                assertThat(applied.history().from()).isEqualTo(previous.to());
            }
            previous = applied.history();
        }
        for (int i = 1; i < simulation.trace().size(); i++) {
            assertThat(simulation.trace().get(i).at())
                    .isAfterOrEqualTo(simulation.trace().get(i - 1).at());
        }
    }

    /**
     * The live engine as it will run: the instance is loaded from its stored JSON for every step
     * and stored again after every applied one, and due timers fire one by one, earliest first.
     */
    private static final class LiveEngine {

        private final WorkflowMachine machine;
        private final List<TraceEntry> trace = new ArrayList<>();
        private final Set<String> fired = new HashSet<>();
        private Instant clock;
        private @Nullable Stored stored;

        /** The row: its scalar columns and its two jsonb columns. */
        private record Stored(
                String id,
                String state,
                long version,
                String variables,
                Map<String, String> assets,
                Map<String, String> zones,
                String timers) {}

        LiveEngine(WorkflowMachine machine, Start start) {
            this.machine = machine;
            this.clock = start.at();
            Step started = machine.start(
                    start.instanceId(), start.variables(), start.assets(), start.zones(), start.actor(), clock);
            keep(started, "start");
        }

        void take(SimulationInput input) {
            if (stored == null) {
                return;
            }
            switch (input) {
                case Send send ->
                    step(send.command(), "command " + send.command().name());
                case Receive receive -> {
                    if (receive.event().time().isAfter(clock)) {
                        fireUntil(receive.event().time());
                    }
                    step(receive.event(), "event " + receive.event().type());
                }
                case Advance advance -> fireUntil(clock.plus(advance.by()));
                case AdvanceTo advance -> fireUntil(advance.at());
            }
        }

        private void fireUntil(Instant until) {
            while (true) {
                List<PendingTimer> due = load().timers().values().stream()
                        .filter(timer -> !timer.dueAt().isAfter(until) && !fired.contains(timer.id()))
                        .sorted(Comparator.comparing(PendingTimer::dueAt).thenComparing(PendingTimer::id))
                        .toList();
                if (due.isEmpty()) {
                    clock = until;
                    return;
                }
                PendingTimer timer = due.getFirst();
                fired.add(timer.id());
                clock = timer.dueAt().isAfter(clock) ? timer.dueAt() : clock;
                step(new Trigger.TimerFired(timer.id()), "timer " + timer.id());
            }
        }

        private void step(Trigger trigger, String cause) {
            keep(machine.step(load(), trigger, clock), cause);
        }

        private void keep(Step step, String cause) {
            trace.add(new TraceEntry(clock, cause, step));
            if (step instanceof Applied applied) {
                InstanceState state = applied.state();
                stored = new Stored(
                        state.id(),
                        state.state(),
                        state.version(),
                        InstanceStateJson.variablesToJson(state.variables()),
                        state.assets(),
                        state.zones(),
                        InstanceStateJson.timersToJson(state.timers()));
            }
        }

        @Nullable
        InstanceState load() {
            Stored row = stored;
            if (row == null) {
                return null;
            }
            return new InstanceState(
                    row.id(),
                    row.state(),
                    row.version(),
                    InstanceStateJson.variablesFromJson(row.variables()),
                    row.assets(),
                    row.zones(),
                    InstanceStateJson.timersFromJson(row.timers()));
        }
    }

    // ---- inputs

    enum Kind {
        DISPATCH,
        DISPATCH_WITHOUT_PERMISSION,
        COMPLETE,
        ABORT,
        LEAVE_DEPOT,
        LEAVE_ELSEWHERE,
        ENTER_SITE,
        RETRACT_LAST_ARRIVAL,
        UNRELATED_CORRECTION,
        GO,
        BACK,
        FINISH,
        ADVANCE,
        ADVANCE_TO
    }

    /** An input before it is made concrete: its kind and a number of minutes (an advance, or how late or early an event is). */
    record Move(Kind kind, int minutes) {}

    @Provide
    Arbitrary<List<SimulationInput>> missionInputs() {
        return moves(Arbitraries.frequencyOf(
                        Tuple.of(5, Arbitraries.just(Kind.DISPATCH)),
                        Tuple.of(1, Arbitraries.just(Kind.DISPATCH_WITHOUT_PERMISSION)),
                        Tuple.of(2, Arbitraries.just(Kind.COMPLETE)),
                        Tuple.of(1, Arbitraries.just(Kind.ABORT)),
                        Tuple.of(5, Arbitraries.just(Kind.LEAVE_DEPOT)),
                        Tuple.of(1, Arbitraries.just(Kind.LEAVE_ELSEWHERE)),
                        Tuple.of(5, Arbitraries.just(Kind.ENTER_SITE)),
                        Tuple.of(4, Arbitraries.just(Kind.RETRACT_LAST_ARRIVAL)),
                        Tuple.of(1, Arbitraries.just(Kind.UNRELATED_CORRECTION)),
                        Tuple.of(4, Arbitraries.just(Kind.ADVANCE)),
                        Tuple.of(2, Arbitraries.just(Kind.ADVANCE_TO))))
                .map(WorkflowSimulatorPropertiesTest::concrete);
    }

    @Provide
    Arbitrary<List<SimulationInput>> nudgesInputs() {
        return moves(Arbitraries.frequencyOf(
                        Tuple.of(3, Arbitraries.just(Kind.GO)),
                        Tuple.of(3, Arbitraries.just(Kind.BACK)),
                        Tuple.of(1, Arbitraries.just(Kind.FINISH)),
                        Tuple.of(5, Arbitraries.just(Kind.ADVANCE)),
                        Tuple.of(2, Arbitraries.just(Kind.ADVANCE_TO))))
                .map(WorkflowSimulatorPropertiesTest::concrete);
    }

    private static Arbitrary<List<Move>> moves(Arbitrary<Kind> kinds) {
        return Combinators.combine(kinds, Arbitraries.integers().between(0, 150))
                .as(Move::new)
                .list()
                .ofMaxSize(30);
    }

    /** The moves as inputs, with the event times and the retracted arrival they imply. */
    private static List<SimulationInput> concrete(List<Move> moves) {
        List<SimulationInput> inputs = new ArrayList<>();
        Instant clock = T0;
        String lastArrival = "none";
        int sequence = 0;
        for (Move move : moves) {
            String eventId = "evt-" + sequence++;
            // events come up to ten minutes late (taken at the clock) or up to half an hour ahead
            Instant eventTime = clock.plus(Duration.ofMinutes(move.minutes() % 40 - 10L));
            SimulationInput input = switch (move.kind()) {
                case DISPATCH -> new Send(command("dispatch", DISPATCHER));
                case DISPATCH_WITHOUT_PERMISSION -> new Send(command("dispatch", VISITOR));
                case COMPLETE -> new Send(command("complete", DISPATCHER));
                case ABORT -> new Send(command("abort", DISPATCHER));
                case LEAVE_DEPOT -> new Receive(exited(eventId, DEPOT, eventTime));
                case LEAVE_ELSEWHERE -> new Receive(exited(eventId, ELSEWHERE, eventTime));
                case ENTER_SITE -> {
                    lastArrival = eventId;
                    yield new Receive(entered(eventId, SITE, eventTime));
                }
                case RETRACT_LAST_ARRIVAL -> new Receive(corrected(eventId, lastArrival, eventTime));
                case UNRELATED_CORRECTION -> new Receive(corrected(eventId, "evt-unrelated", eventTime));
                case GO -> new Send(command("go", DISPATCHER));
                case BACK -> new Send(command("back", DISPATCHER));
                case FINISH -> new Send(command("finish", DISPATCHER));
                case ADVANCE -> new Advance(Duration.ofMinutes(move.minutes() + 1L));
                case ADVANCE_TO -> new AdvanceTo(clock.plus(Duration.ofMinutes(move.minutes())));
            };
            clock = switch (input) {
                case Receive receive ->
                    receive.event().time().isAfter(clock) ? receive.event().time() : clock;
                case Advance advance -> clock.plus(advance.by());
                case AdvanceTo advance -> advance.at();
                case Send send -> clock;
            };
            inputs.add(Objects.requireNonNull(input));
        }
        return inputs;
    }
}
