package io.sextant.workflow.web;

import io.sextant.shared.TimeBounds;
import io.sextant.shared.problem.FieldError;
import io.sextant.shared.problem.InvalidInput;
import io.sextant.workflow.Effect;
import io.sextant.workflow.InstanceState;
import io.sextant.workflow.Step;
import io.sextant.workflow.Trigger;
import io.sextant.workflow.WorkflowDefinitionReader;
import io.sextant.workflow.WorkflowDefinitions;
import io.sextant.workflow.WorkflowSimulations;
import io.sextant.workflow.WorkflowSimulator;
import io.sextant.workflow.WorkflowSimulator.SimulationInput;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code POST /api/v1/workflows/definitions/simulate}: the request's JSON read into a {@link
 * WorkflowSimulations} call, and its trace written back. Every malformed input is reported at once,
 * each with its pointer into the request.
 */
@RestController
@Tag(name = "Workflow definitions")
class WorkflowSimulationController {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {};

    private final WorkflowSimulations simulations;

    WorkflowSimulationController(WorkflowSimulations simulations) {
        this.simulations = simulations;
    }

    @PostMapping("/api/v1/workflows/definitions/simulate")
    @PreAuthorize("hasAuthority('workflows:read')")
    @Operation(
            operationId = "simulateWorkflow",
            summary = "Run a definition (published: definition + version; or a draft: document, as YAML/JSON text or"
                    + " a JSON object) through commands, events, clock advances and stretches of the tenant's event"
                    + " log (the events about the bound assets and zones) and return the trace, storing nothing")
    SimulationView simulate(@RequestBody JsonNode body) {
        List<FieldError> errors = new ArrayList<>();
        if (!body.isObject()) {
            throw new InvalidInput("", "must be a JSON object");
        }
        WorkflowSimulations.Source source = source(body, errors);
        JsonNode start = body.path("start");
        WorkflowSimulations.Start begin = new WorkflowSimulations.Start(
                instant(start.path("at"), "/start/at", errors),
                map(start.path("variables"), "/start/variables", errors),
                roles(start.path("assets"), "/start/assets", errors),
                roles(start.path("zones"), "/start/zones", errors));
        List<WorkflowSimulations.Input> inputs = new ArrayList<>();
        JsonNode list = body.path("inputs");
        if (!list.isMissingNode() && !list.isArray()) {
            errors.add(new FieldError("/inputs", "must be an array"));
        } else if (list.size() > WorkflowSimulator.MAX_STEPS) {
            errors.add(new FieldError("/inputs", "at most " + WorkflowSimulator.MAX_STEPS + " inputs are simulated"));
        } else {
            Trigger.Caller caller = simulations.defaultCaller();
            for (int i = 0; i < list.size(); i++) {
                WorkflowSimulations.Input input = input(list.get(i), "/inputs/" + i, caller, errors);
                if (input != null) {
                    inputs.add(input);
                }
            }
        }
        if (!errors.isEmpty() || source == null) {
            throw new InvalidInput(errors);
        }
        return view(simulations.simulate(source, begin, inputs));
    }

    private static WorkflowSimulations.@Nullable Source source(JsonNode body, List<FieldError> errors) {
        JsonNode document = body.path("document");
        JsonNode key = body.path("definition");
        if (document.isMissingNode() == key.isMissingNode()) {
            errors.add(new FieldError("/", "give either definition (a published key) or document (a draft)"));
            return null;
        }
        if (!document.isMissingNode()) {
            if (document.isObject()) {
                return new WorkflowSimulations.Source.Draft(
                        JSON.writeValueAsString(document), WorkflowDefinitionReader.Format.JSON);
            }
            if (!document.isString()) {
                errors.add(new FieldError("/document", "must be the definition as text or as a JSON object"));
                return null;
            }
            if (document.stringValue().length() > WorkflowDefinitions.MAX_DOCUMENT_LENGTH) {
                errors.add(new FieldError(
                        "/document", "is longer than " + WorkflowDefinitions.MAX_DOCUMENT_LENGTH + " characters"));
                return null;
            }
            JsonNode given = body.path("format");
            String format = given.isMissingNode() || given.isNull() ? "yaml" : given.asString("");
            if (!format.equals("yaml") && !format.equals("json")) {
                errors.add(new FieldError("/format", "must be yaml or json"));
                return null;
            }
            return new WorkflowSimulations.Source.Draft(
                    document.stringValue(),
                    format.equals("json")
                            ? WorkflowDefinitionReader.Format.JSON
                            : WorkflowDefinitionReader.Format.YAML);
        }
        if (!key.isString()) {
            errors.add(new FieldError("/definition", "must be a definition key"));
            return null;
        }
        JsonNode version = body.path("version");
        if (!version.isMissingNode() && !version.isInt()) {
            errors.add(new FieldError("/version", "must be an integer"));
            return null;
        }
        return new WorkflowSimulations.Source.Published(
                key.stringValue(), version.isMissingNode() ? null : version.intValue());
    }

    private static WorkflowSimulations.@Nullable Input input(
            JsonNode node, String at, Trigger.Caller caller, List<FieldError> errors) {
        if (node.isObject() && node.has("log") && node.size() == 1) {
            JsonNode log = node.get("log");
            Instant from = instant(log.path("from"), at + "/log/from", errors);
            Instant to = instant(log.path("to"), at + "/log/to", errors);
            if (from == null || to == null) {
                errors.add(new FieldError(at + "/log", "needs from and to"));
                return null;
            }
            return new WorkflowSimulations.Input.Log(from, to);
        }
        SimulationInput given = simulatorInput(node, at, caller, errors);
        return given == null ? null : new WorkflowSimulations.Input.Given(given);
    }

    private static @Nullable SimulationInput simulatorInput(
            JsonNode node, String at, Trigger.Caller caller, List<FieldError> errors) {
        if (!node.isObject()) {
            errors.add(new FieldError(at, "must be an object"));
            return null;
        }
        Set<String> kinds = new HashSet<>();
        node.propertyNames().forEach(kinds::add);
        kinds.retainAll(Set.of("command", "event", "advance", "advanceTo", "log"));
        if (kinds.size() != 1) {
            errors.add(new FieldError(at, "must have exactly one of command, event, advance, advanceTo, log"));
            return null;
        }
        if (node.has("log")) {
            // A log input with anything beside it (input() takes one that stands alone).
            errors.add(new FieldError(at, "a log input has only log: {from, to}"));
            return null;
        }
        if (node.has("command")) {
            if (!node.get("command").isString()) {
                errors.add(new FieldError(at + "/command", "must be a command name"));
                return null;
            }
            Trigger.Caller as = caller;
            JsonNode given = node.path("caller");
            if (given.isObject()) {
                List<String> groups = strings(given.path("groups"), at + "/caller/groups", errors);
                Set<String> permissions =
                        new HashSet<>(strings(given.path("permissions"), at + "/caller/permissions", errors));
                JsonNode subject = given.path("subject");
                if (!subject.isMissingNode() && !subject.isString()) {
                    errors.add(new FieldError(at + "/caller/subject", "must be a string"));
                    return null;
                }
                as = new Trigger.Caller(subject.asString("simulated"), groups, permissions);
            } else if (!given.isMissingNode()) {
                errors.add(new FieldError(at + "/caller", "must be an object"));
                return null;
            }
            return new SimulationInput.Send(new Trigger.Command(
                    node.get("command").stringValue(), map(node.path("args"), at + "/args", errors), as));
        }
        if (node.has("advance")) {
            if (!node.get("advance").isString()) {
                errors.add(new FieldError(at + "/advance", "must be an ISO-8601 duration such as PT30M"));
                return null;
            }
            try {
                Duration by = Duration.parse(node.get("advance").stringValue());
                if (by.isNegative() || by.isZero() || by.compareTo(Duration.ofDays(3660)) > 0) {
                    errors.add(new FieldError(at + "/advance", "must be positive and at most 3660 days"));
                    return null;
                }
                return new SimulationInput.Advance(by);
            } catch (DateTimeParseException e) {
                errors.add(new FieldError(at + "/advance", "must be an ISO-8601 duration such as PT30M"));
                return null;
            }
        }
        if (node.has("advanceTo")) {
            Instant to = instant(node.get("advanceTo"), at + "/advanceTo", errors);
            return to == null ? null : new SimulationInput.AdvanceTo(to);
        }
        JsonNode event = node.get("event");
        if (!event.isObject() || !event.path("type").isString()) {
            errors.add(new FieldError(at + "/event", "must be an object with a type"));
            return null;
        }
        Instant time = instant(event.path("time"), at + "/event/time", errors);
        JsonNode id = event.path("id");
        if (!id.isMissingNode() && !id.isString()) {
            errors.add(new FieldError(at + "/event/id", "must be a string"));
            return null;
        }
        return new SimulationInput.Receive(new Trigger.Event(
                id.asString(UUID.randomUUID().toString()),
                event.get("type").stringValue(),
                map(event.path("data"), at + "/event/data", errors),
                event.path("assetId").isString() ? event.get("assetId").stringValue() : null,
                event.path("zoneId").isString() ? event.get("zoneId").stringValue() : null,
                time == null ? Instant.EPOCH : time));
    }

    private static @Nullable Instant instant(JsonNode node, String at, List<FieldError> errors) {
        if (node.isMissingNode() || node.isNull()) {
            return null;
        }
        if (!node.isString()) {
            errors.add(new FieldError(at, "must be an RFC 3339 timestamp"));
            return null;
        }
        try {
            return TimeBounds.parseInstant(node.stringValue());
        } catch (IllegalArgumentException e) {
            errors.add(new FieldError(at, "'" + node.stringValue() + "' " + e.getMessage()));
            return null;
        }
    }

    private static List<String> strings(JsonNode node, String at, List<FieldError> errors) {
        List<String> strings = new ArrayList<>();
        if (node.isMissingNode()) {
            return strings;
        }
        if (!node.isArray()) {
            errors.add(new FieldError(at, "must be an array of strings"));
            return strings;
        }
        for (int i = 0; i < node.size(); i++) {
            if (node.get(i).isString()) {
                strings.add(node.get(i).stringValue());
            } else {
                errors.add(new FieldError(at + "/" + i, "must be a string"));
            }
        }
        return strings;
    }

    private static Map<String, Object> map(JsonNode node, String at, List<FieldError> errors) {
        if (node.isMissingNode()) {
            return Map.of();
        }
        if (!node.isObject()) {
            errors.add(new FieldError(at, "must be an object"));
            return Map.of();
        }
        if (hasNull(node)) {
            errors.add(new FieldError(at, "must not hold null"));
            return Map.of();
        }
        return JSON.convertValue(node, MAP);
    }

    private static boolean hasNull(JsonNode node) {
        if (node.isNull()) {
            return true;
        }
        for (JsonNode child : node) {
            if (hasNull(child)) {
                return true;
            }
        }
        return false;
    }

    private static Map<String, String> roles(JsonNode node, String at, List<FieldError> errors) {
        Map<String, String> roles = new LinkedHashMap<>();
        if (node.isMissingNode()) {
            return roles;
        }
        if (!node.isObject()) {
            errors.add(new FieldError(at, "must map roles to ids"));
            return roles;
        }
        node.properties().forEach(role -> {
            if (role.getValue().isString()) {
                roles.put(role.getKey(), role.getValue().stringValue());
            } else {
                errors.add(new FieldError(at + "/" + role.getKey(), "must be an id"));
            }
        });
        return roles;
    }

    /** A simulation as the API answers it. */
    record SimulationView(List<TraceView> trace, @Nullable InstanceView end, Instant clock) {}

    /** One step of the trace: applied (with the move) or rejected (with why). */
    record TraceView(
            Instant at,
            String cause,
            String outcome,
            @Nullable String from,
            @Nullable String to,
            @Nullable Long version,
            @Nullable Map<String, Object> changed,
            @Nullable List<Map<String, Object>> effects,
            @Nullable Map<String, Object> rejection) {}

    /** Where the simulated instance ended. */
    record InstanceView(String state, long version, Map<String, Object> variables, List<Map<String, Object>> timers) {}

    private static SimulationView view(WorkflowSimulator.Simulation simulation) {
        List<TraceView> trace = new ArrayList<>();
        for (WorkflowSimulator.TraceEntry entry : simulation.trace()) {
            trace.add(
                    switch (entry.step()) {
                        case Step.Applied applied ->
                            new TraceView(
                                    entry.at(),
                                    entry.cause(),
                                    "applied",
                                    applied.history().from(),
                                    applied.history().to(),
                                    applied.state().version(),
                                    applied.changed(),
                                    applied.effects().stream()
                                            .map(WorkflowSimulationController::effect)
                                            .toList(),
                                    null);
                        case Step.Rejected rejected -> {
                            Map<String, Object> why = new LinkedHashMap<>();
                            why.put("kind", rejected.rejection().getClass().getSimpleName());
                            why.putAll(JSON.convertValue(rejected.rejection(), MAP));
                            yield new TraceView(
                                    entry.at(), entry.cause(), "rejected", null, null, null, null, null, why);
                        }
                    });
        }
        InstanceState end = simulation.end();
        return new SimulationView(
                trace,
                end == null
                        ? null
                        : new InstanceView(
                                end.state(),
                                end.version(),
                                end.variables(),
                                end.timers().values().stream()
                                        .map(t -> Map.<String, Object>of("id", t.id(), "dueAt", t.dueAt()))
                                        .toList()),
                simulation.clock());
    }

    private static Map<String, Object> effect(Effect effect) {
        return switch (effect) {
            case Effect.EmitEvent emit -> Map.of("effect", "emit", "type", emit.type(), "data", emit.data());
            case Effect.ScheduleTimer schedule ->
                Map.of(
                        "effect",
                        "schedule",
                        "timer",
                        schedule.timer().id(),
                        "dueAt",
                        schedule.timer().dueAt());
            case Effect.CancelTimer cancel -> Map.of("effect", "cancel", "timer", cancel.timerId());
            case Effect.EnqueueJob job -> Map.of("effect", "enqueue", "kind", job.kind(), "payload", job.payload());
            case Effect.StartChild child ->
                Map.of("effect", "start", "definition", child.definition(), "variables", child.variables());
        };
    }
}
