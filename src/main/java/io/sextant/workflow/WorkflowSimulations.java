package io.sextant.workflow;

import io.sextant.events.Event;
import io.sextant.events.EventFilter;
import io.sextant.events.EventQueries;
import io.sextant.shared.TenantContext;
import io.sextant.shared.TenantPrincipal;
import io.sextant.shared.access.RequiresPermission;
import io.sextant.shared.problem.FieldError;
import io.sextant.shared.problem.InvalidInput;
import io.sextant.shared.web.CursorPage;
import io.sextant.workflow.WorkflowSimulator.Simulation;
import io.sextant.workflow.WorkflowSimulator.SimulationInput;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Runs a definition — published, or a draft not stored — through a sequence of commands, events
 * and clock advances, or through the tenant's real event log over a time range, and returns the
 * trace. Nothing is stored, no event is emitted, no job queued: the same {@link WorkflowMachine}
 * the live engine runs, driven by {@link WorkflowSimulator}.
 */
@Service
@Transactional(readOnly = true)
public class WorkflowSimulations {

    /** The longest stretch of the event log a simulation replays. */
    public static final Duration MAX_LOG_RANGE = Duration.ofDays(31);

    private final WorkflowDefinitions definitions;
    private final EventQueries events;

    WorkflowSimulations(WorkflowDefinitions definitions, EventQueries events) {
        this.definitions = definitions;
        this.events = events;
    }

    /** Where the definition comes from: a draft document, or a published key (and version). */
    public sealed interface Source {
        record Draft(String document, WorkflowDefinitionReader.Format format) implements Source {}

        record Published(String key, @Nullable Integer version) implements Source {}
    }

    /** One input of a request: an input of the simulator, or a stretch of the tenant's event log. */
    public sealed interface Input {

        /** A command, an event or a clock advance, as given. */
        record Given(SimulationInput input) implements Input {}

        /**
         * The tenant's events in [from, to) about the bound assets and zones that the caller may read,
         * oldest first, received in turn.
         */
        record Log(Instant from, Instant to) implements Input {}
    }

    /** How the simulated instance starts; bound ids are taken as given (nothing is looked up). */
    public record Start(
            @Nullable Instant at,
            Map<String, Object> variables,
            Map<String, String> assets,
            Map<String, String> zones) {}

    /**
     * The trace of one simulated instance. A {@link Input.Log} input is replaced by the events it
     * covers; a range longer than {@link #MAX_LOG_RANGE} or more than {@link
     * WorkflowSimulator#MAX_STEPS} inputs in all is refused.
     */
    @RequiresPermission("workflows:read")
    public Simulation simulate(Source source, Start start, List<Input> inputs) {
        WorkflowDefinition definition = switch (source) {
            case Source.Draft draft -> definitions.check(draft.document(), draft.format());
            case Source.Published published ->
                definitions
                        .machine(TenantContext.require(), definitions.get(published.key(), published.version()))
                        .definition();
        };
        List<FieldError> errors =
                new ArrayList<>(WorkflowInstances.variableErrors(definition.variables(), start.variables()));
        List<SimulationInput> all = new ArrayList<>();
        for (int i = 0; i < inputs.size() && all.size() <= WorkflowSimulator.MAX_STEPS; i++) {
            switch (inputs.get(i)) {
                case Input.Given given -> all.add(given.input());
                case Input.Log log -> {
                    if (!log.from().isBefore(log.to())) {
                        errors.add(new FieldError("/inputs/" + i + "/log", "needs from before to"));
                    } else if (Duration.between(log.from(), log.to()).compareTo(MAX_LOG_RANGE) > 0) {
                        errors.add(new FieldError(
                                "/inputs/" + i + "/log", "may span at most " + MAX_LOG_RANGE.toDays() + " days"));
                    } else {
                        logInputs(start, log.from(), log.to(), all);
                    }
                }
            }
        }
        if (all.size() > WorkflowSimulator.MAX_STEPS) {
            errors.add(new FieldError("/inputs", "at most " + WorkflowSimulator.MAX_STEPS + " inputs are simulated"));
        }
        if (!errors.isEmpty()) {
            throw new InvalidInput(errors);
        }
        Instant at = start.at() != null ? start.at() : definitions.now();
        try {
            return new WorkflowSimulator(new WorkflowMachine(definition))
                    .run(
                            new WorkflowSimulator.Start(
                                    "simulated", start.variables(), start.assets(), start.zones(), caller(), at),
                            all);
        } catch (IllegalArgumentException e) {
            throw new InvalidInput("/inputs", String.valueOf(e.getMessage()));
        }
    }

    /** The caller as commands of a simulation are sent by default: its subject, groups and permissions now. */
    public Trigger.Caller defaultCaller() {
        return WorkflowInstances.commandCaller(definitions.now());
    }

    private static String caller() {
        return TenantContext.principal().map(TenantPrincipal::subjectId).orElse("simulation");
    }

    /**
     * The events about the bound assets or zones with a time in [from, to), as the caller may read
     * them, in log order: the order the live engine's consumer reads them, which differs from the
     * order of event time when late data arrives.
     */
    private void logInputs(Start start, Instant from, Instant to, List<SimulationInput> inputs) {
        Map<UUID, Event> found = new LinkedHashMap<>();
        List<EventFilter> filters = new ArrayList<>();
        Set<UUID> assets = ids(start.assets());
        Set<UUID> zones = ids(start.zones());
        if (!assets.isEmpty()) {
            filters.add(new EventFilter(Set.of(), assets, Set.of(), Set.of(), Set.of()));
        }
        if (!zones.isEmpty()) {
            filters.add(new EventFilter(Set.of(), Set.of(), zones, Set.of(), Set.of()));
        }
        for (EventFilter filter : filters) {
            String cursor = null;
            do {
                CursorPage<Event> page = events.search(filter, from, to, false, cursor, 1000);
                page.items().forEach(event -> found.putIfAbsent(event.id(), event));
                cursor = page.nextCursor();
            } while (cursor != null && found.size() <= WorkflowSimulator.MAX_STEPS);
        }
        found.values().stream()
                .sorted(Comparator.comparing(Event::position))
                .map(event -> new SimulationInput.Receive(WorkflowEventConsumer.trigger(event)))
                .forEach(inputs::add);
    }

    private static Set<UUID> ids(Map<String, String> bound) {
        Set<UUID> ids = new java.util.HashSet<>();
        for (String id : bound.values()) {
            try {
                ids.add(UUID.fromString(id));
            } catch (IllegalArgumentException e) {
                // a made-up id binds nothing in the log
            }
        }
        return ids;
    }
}
