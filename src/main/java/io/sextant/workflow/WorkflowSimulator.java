package io.sextant.workflow;

import io.sextant.workflow.InstanceState.PendingTimer;
import io.sextant.workflow.Step.Applied;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Runs one instance of a definition through a sequence of inputs in memory and returns every step
 * it took, storing nothing: what an author sees before publishing a definition, and what backs the
 * simulate endpoint.
 *
 * <p>The simulation keeps a clock, which starts at {@link Start#at()}; the start is the first
 * step, and a refused start ends the simulation. Then, input by input:
 *
 * <ul>
 *   <li>{@link SimulationInput.Send} steps the machine with the command at the clock;
 *   <li>{@link SimulationInput.Receive} first moves the clock to the event's time when that is
 *       later (firing the timers due by then, as below), then steps the machine with the event;
 *   <li>{@link SimulationInput.Advance} and {@link SimulationInput.AdvanceTo} move the clock
 *       forward; the clock never goes back.
 * </ul>
 *
 * <p>Moving the clock fires every pending timer due at or before the new clock, one {@link
 * Trigger.TimerFired} each, earliest first (ties by id), at its due time, or at the clock if it was
 * already overdue (a timer whose {@code at} lay in the past); timers that those firings schedule
 * and that fall due within the move fire too. A timer id fires at most once in a simulation: a named timer whose
 * firing is refused (its state does not await it) stays pending, as in the live engine, but is
 * fired again only if it is scheduled again, under a new id. Timers due at the clock fire only
 * when the clock is moved; {@code AdvanceTo} the clock itself fires them.
 *
 * <p>Every step, applied or refused, is one {@link TraceEntry}; an applied step's state is the
 * instance from then on. At most {@link #MAX_STEPS} steps follow the start, so a definition whose
 * timers schedule each other without end fails with {@link SimulationTooLong} instead of running
 * forever.
 */
public final class WorkflowSimulator {

    /** The most steps (inputs and timer firings) one simulation takes after its start. */
    public static final int MAX_STEPS = 10_000;

    private static final Comparator<PendingTimer> DUE_ORDER =
            Comparator.comparing(PendingTimer::dueAt).thenComparing(PendingTimer::id);

    private final WorkflowMachine machine;

    public WorkflowSimulator(WorkflowMachine machine) {
        this.machine = machine;
    }

    /** How the instance is created: what {@link WorkflowMachine#start} takes, and the clock's first reading. */
    public record Start(
            String instanceId,
            Map<String, Object> variables,
            Map<String, String> assets,
            Map<String, String> zones,
            @Nullable String actor,
            Instant at) {}

    /** One input of a simulation: a command, an event, or time passing. */
    public sealed interface SimulationInput {

        /** The command is sent at the clock. */
        record Send(Trigger.Command command) implements SimulationInput {}

        /** The event arrives, at its time if that is later than the clock, else at the clock. */
        record Receive(Trigger.Event event) implements SimulationInput {}

        /** The clock moves forward by {@code by}, which must be positive. */
        record Advance(Duration by) implements SimulationInput {}

        /** The clock moves forward to {@code at}, which must not be before the clock. */
        record AdvanceTo(Instant at) implements SimulationInput {}
    }

    /**
     * What happened: every step in order, the instance at the end (null when the start was
     * refused) and the clock at the end.
     */
    public record Simulation(
            List<TraceEntry> trace, @Nullable InstanceState end, Instant clock) {
        public Simulation {
            trace = List.copyOf(trace);
        }
    }

    /**
     * One step: when, what caused it ({@code start}, {@code command <name>}, {@code event <type>},
     * {@code timer <id>}, as in an applied step's history), and what it did.
     */
    public record TraceEntry(Instant at, String cause, Step step) {}

    /** The simulation took more than {@link #MAX_STEPS} steps. */
    public static final class SimulationTooLong extends IllegalArgumentException {

        private static final long serialVersionUID = 1L;

        SimulationTooLong() {
            super("the simulation takes more than %d steps: do timers schedule each other without end?"
                    .formatted(MAX_STEPS));
        }
    }

    /** The trace of the instance through the inputs; an input that moves the clock back is an {@link IllegalArgumentException}. */
    public Simulation run(Start start, List<SimulationInput> inputs) {
        if (inputs.size() > MAX_STEPS) {
            throw new SimulationTooLong();
        }
        Step started = machine.start(
                start.instanceId(), start.variables(), start.assets(), start.zones(), start.actor(), start.at());
        TraceEntry first = new TraceEntry(start.at(), "start", started);
        if (!(started instanceof Applied applied)) {
            return new Simulation(List.of(first), null, start.at());
        }
        Run run = new Run(applied.state(), start.at(), first);
        for (SimulationInput input : inputs) {
            switch (input) {
                case SimulationInput.Send send ->
                    run.step(send.command(), "command " + send.command().name());
                case SimulationInput.Receive receive -> {
                    if (receive.event().time().isAfter(run.clock)) {
                        run.advanceTo(receive.event().time());
                    }
                    run.step(receive.event(), "event " + receive.event().type());
                }
                case SimulationInput.Advance advance -> {
                    if (advance.by().isNegative() || advance.by().isZero()) {
                        throw new IllegalArgumentException("an advance must be positive, not " + advance.by());
                    }
                    run.advanceTo(run.clock.plus(advance.by()));
                }
                case SimulationInput.AdvanceTo advance -> {
                    if (advance.at().isBefore(run.clock)) {
                        throw new IllegalArgumentException(
                                "the clock cannot go back from %s to %s".formatted(run.clock, advance.at()));
                    }
                    run.advanceTo(advance.at());
                }
            }
        }
        return new Simulation(run.trace, run.instance, run.clock);
    }

    /** One simulation under way: the instance as it stands, the clock, the trace, the timer ids fired. */
    private final class Run {

        private final List<TraceEntry> trace = new ArrayList<>();
        private final Set<String> fired = new HashSet<>();
        private InstanceState instance;
        private Instant clock;

        Run(InstanceState instance, Instant clock, TraceEntry start) {
            this.instance = instance;
            this.clock = clock;
            trace.add(start);
        }

        void step(Trigger trigger, String cause) {
            if (trace.size() > MAX_STEPS) {
                throw new SimulationTooLong();
            }
            Step step = machine.step(instance, trigger, clock);
            trace.add(new TraceEntry(clock, cause, step));
            if (step instanceof Applied applied) {
                instance = applied.state();
            }
        }

        /** Fire what falls due up to {@code until}, each at its time, then set the clock there. */
        void advanceTo(Instant until) {
            while (true) {
                PendingTimer next = null;
                for (PendingTimer timer : instance.timers().values()) {
                    if (!timer.dueAt().isAfter(until)
                            && !fired.contains(timer.id())
                            && (next == null || DUE_ORDER.compare(timer, next) < 0)) {
                        next = timer;
                    }
                }
                if (next == null) {
                    break;
                }
                fired.add(next.id());
                if (next.dueAt().isAfter(clock)) {
                    clock = next.dueAt();
                }
                step(new Trigger.TimerFired(next.id()), "timer " + next.id());
            }
            clock = until;
        }
    }
}
