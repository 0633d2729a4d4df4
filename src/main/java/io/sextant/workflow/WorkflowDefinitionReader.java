package io.sextant.workflow;

import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import com.networknt.schema.path.NodePath;
import io.sextant.workflow.WorkflowDefinition.ActionDef;
import io.sextant.workflow.WorkflowDefinition.StateDef;
import io.sextant.workflow.WorkflowDefinition.StateType;
import io.sextant.workflow.WorkflowDefinition.TimerDef;
import io.sextant.workflow.WorkflowDefinition.TransitionDef;
import io.sextant.workflow.WorkflowDefinition.TriggerDef;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * Reads a workflow definition from JSON or YAML and accepts it only when it is sound. Three passes,
 * each reporting every error it finds with its JSON pointer: the text itself (syntax, a name given
 * twice in one object, which a parser would otherwise silently overwrite), the published JSON
 * Schema {@code workflow/definition.schema.json} (the shape), then {@link DefinitionChecks} (what a
 * schema cannot say: targets, reachability, event types, CEL). A pass runs only on what the one
 * before accepted, so every error reported is real and not a consequence of an earlier one.
 */
public final class WorkflowDefinitionReader {

    /** The two notations a definition may be written in. */
    public enum Format {
        JSON,
        YAML
    }

    static final String SCHEMA_RESOURCE = "workflow/definition.schema.json";

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final YAMLMapper YAML = YAMLMapper.builder().build();
    private static final Schema SCHEMA = loadSchema();

    private final Set<String> knownEventTypes;

    /**
     * @param knownEventTypes the event types other modules publish (the events module's {@code
     *     EventTypes}), handed in because this module does not depend on events; {@code
     *     sextant.workflow.*} types are always known
     */
    public WorkflowDefinitionReader(Set<String> knownEventTypes) {
        this.knownEventTypes = Set.copyOf(knownEventTypes);
    }

    /** The definition the document holds, or {@link InvalidDefinition} with everything wrong in it. */
    public WorkflowDefinition read(String document, Format format) {
        ObjectMapper mapper = format == Format.JSON ? JSON : YAML;
        List<DefinitionError> errors = textErrors(mapper, document, format);
        if (!errors.isEmpty()) {
            throw new InvalidDefinition(errors);
        }
        JsonNode tree;
        try {
            tree = mapper.readTree(document);
        } catch (JacksonException e) {
            // What the token pass above does not read: a number's value, which the parser converts
            // (and checks against its limits, such as 1,000 digits) only when it is asked for.
            throw new InvalidDefinition(
                    List.of(new DefinitionError("", "not valid %s: %s".formatted(format, e.getOriginalMessage()))));
        }
        if (tree == null || tree.isMissingNode()) {
            throw new InvalidDefinition(List.of(new DefinitionError("", "the document is empty")));
        }
        for (Error error : SCHEMA.validate(tree)) {
            errors.add(new DefinitionError(pointer(error.getInstanceLocation()), error.getMessage()));
        }
        if (!errors.isEmpty()) {
            throw new InvalidDefinition(errors);
        }
        WorkflowDefinition definition = definition(tree, errors);
        errors.addAll(DefinitionChecks.check(definition, knownEventTypes));
        if (!errors.isEmpty()) {
            throw new InvalidDefinition(errors);
        }
        return definition;
    }

    /** A syntax error (reading stops there), or each name that appears twice in one object. */
    private static List<DefinitionError> textErrors(ObjectMapper mapper, String document, Format format) {
        List<DefinitionError> errors = new ArrayList<>();
        Deque<Set<String>> names = new ArrayDeque<>();
        try (JsonParser parser = mapper.createParser(document)) {
            for (JsonToken token = parser.nextToken(); token != null; token = parser.nextToken()) {
                switch (token) {
                    case START_OBJECT -> names.push(new HashSet<>());
                    case END_OBJECT -> names.pop();
                    case PROPERTY_NAME -> {
                        Set<String> seen = names.peek();
                        if (seen != null && !seen.add(parser.currentName())) {
                            errors.add(new DefinitionError(
                                    parser.streamReadContext().pathAsPointer().toString(),
                                    "%s is given twice".formatted(parser.currentName())));
                        }
                    }
                    default -> {}
                }
            }
        } catch (JacksonException e) {
            errors.add(new DefinitionError("", "not valid %s: %s".formatted(format, e.getOriginalMessage())));
        }
        return errors;
    }

    // ---- the tree, valid against the schema, as the model

    private static WorkflowDefinition definition(JsonNode tree, List<DefinitionError> errors) {
        Map<String, StateDef> states = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> state : tree.get("states").properties()) {
            states.put(state.getKey(), state(state.getKey(), state.getValue(), "/states/" + state.getKey(), errors));
        }
        JsonNode variables = tree.path("variables");
        return new WorkflowDefinition(
                tree.get("key").stringValue(),
                tree.path("version").asInt(1),
                tree.get("initial").stringValue(),
                states,
                variables.isObject()
                        ? JSON.convertValue(variables, new TypeReference<Map<String, Object>>() {})
                        : Map.of());
    }

    private static StateDef state(String name, JsonNode node, String at, List<DefinitionError> errors) {
        List<TransitionDef> on = new ArrayList<>();
        int i = 0;
        for (JsonNode transition : node.path("on")) {
            on.add(transition(transition, at + "/on/" + i++, errors));
        }
        List<TimerDef> after = new ArrayList<>();
        i = 0;
        for (JsonNode timer : node.path("after")) {
            String timerAt = at + "/after/" + i++;
            after.add(new TimerDef(
                    duration(timer, timerAt, errors),
                    text(timer, "at"),
                    timer.get("target").stringValue(),
                    actions(timer.path("actions"), timerAt + "/actions", errors)));
        }
        StateType type = "final".equals(node.path("type").asString("normal")) ? StateType.FINAL : StateType.NORMAL;
        return new StateDef(name, type, on, after, actions(node.path("entry"), at + "/entry", errors));
    }

    private static TransitionDef transition(JsonNode node, String at, List<DefinitionError> errors) {
        TriggerDef trigger;
        if (node.has("command")) {
            trigger = new TriggerDef.Command(node.get("command").stringValue(), text(node, "permission"));
        } else if (node.has("event")) {
            trigger = new TriggerDef.Event(node.get("event").stringValue(), text(node, "match"));
        } else {
            trigger = new TriggerDef.Timer(node.get("timer").stringValue());
        }
        return new TransitionDef(
                trigger,
                text(node, "guard"),
                node.get("target").stringValue(),
                actions(node.path("actions"), at + "/actions", errors));
    }

    private static List<ActionDef> actions(JsonNode node, String at, List<DefinitionError> errors) {
        List<ActionDef> actions = new ArrayList<>();
        int i = 0;
        for (JsonNode action : node) {
            Map.Entry<String, JsonNode> only = action.properties().iterator().next();
            JsonNode body = only.getValue();
            String actionAt = at + "/" + i++ + "/" + only.getKey();
            actions.add(
                    switch (only.getKey()) {
                        case "set" -> new ActionDef.SetVariables(expressions(body));
                        case "emit" ->
                            new ActionDef.Emit(body.get("name").stringValue(), expressions(body.path("data")));
                        case "schedule" ->
                            new ActionDef.Schedule(
                                    body.get("timer").stringValue(),
                                    duration(body, actionAt, errors),
                                    text(body, "at"));
                        case "cancel" -> new ActionDef.Cancel(body.get("timer").stringValue());
                        case "enqueue" ->
                            new ActionDef.Enqueue(body.get("kind").stringValue(), expressions(body.path("payload")));
                        case "start" ->
                            new ActionDef.Start(
                                    body.get("definition").stringValue(), expressions(body.path("variables")));
                        default -> throw new IllegalStateException("the schema admits no action " + only.getKey());
                    });
        }
        return actions;
    }

    private static Map<String, String> expressions(JsonNode node) {
        Map<String, String> expressions = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> entry : node.properties()) {
            expressions.put(entry.getKey(), entry.getValue().stringValue());
        }
        return expressions;
    }

    /** The {@code delay} of a timer; the schema's pattern admits {@code P} and zero, which no timer can wait. */
    private static @Nullable Duration duration(JsonNode node, String at, List<DefinitionError> errors) {
        String text = text(node, "delay");
        if (text == null) {
            return null;
        }
        try {
            Duration delay = Duration.parse(text);
            if (delay.isPositive()) {
                return delay;
            }
        } catch (DateTimeParseException e) {
            // reported below, like a zero delay
        }
        errors.add(new DefinitionError(at + "/delay", "%s is not a positive duration such as PT2H".formatted(text)));
        return Duration.ZERO;
    }

    private static @Nullable String text(JsonNode node, String property) {
        JsonNode value = node.get(property);
        return value == null ? null : value.stringValue();
    }

    private static String pointer(NodePath path) {
        StringBuilder pointer = new StringBuilder();
        for (int i = 0; i < path.getNameCount(); i++) {
            pointer.append('/')
                    .append(String.valueOf(path.getElement(i))
                            .replace("~", "~0")
                            .replace("/", "~1"));
        }
        return pointer.toString();
    }

    private static Schema loadSchema() {
        try (InputStream in = WorkflowDefinitionReader.class.getClassLoader().getResourceAsStream(SCHEMA_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(SCHEMA_RESOURCE + " is missing from the classpath");
            }
            return SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12)
                    .getSchema(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
