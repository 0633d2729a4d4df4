package io.sextant.workflow;

import io.sextant.workflow.WorkflowDefinition.StateDef;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Moving the instances of one version of a definition onto a later one: which state each goes to,
 * and whether the plan can be carried out for every instance before any is moved (each instance is
 * then moved by {@link WorkflowMachine#migrate}).
 */
public final class VersionMigration {

    private VersionMigration() {}

    /**
     * A migration from {@code from} to {@code to}: an instance in a state named in {@code stateMap}
     * goes to the state it maps to, any other to the state of the same name.
     */
    public record MigrationPlan(WorkflowDefinition from, WorkflowDefinition to, Map<String, String> stateMap) {
        public MigrationPlan {
            stateMap = Collections.unmodifiableMap(new LinkedHashMap<>(stateMap));
        }
    }

    /**
     * Every error in the plan at once, each with a JSON pointer into the request: {@code /to} when
     * {@code to} is not a later version of the same definition, and {@code /stateMap/<state>} for a
     * mapped state unknown in {@code from}, a target unknown in {@code to}, or a state of {@code
     * from} in which an instance may wait (not final) that {@code to} lacks and the map does not
     * send elsewhere. Empty when every instance has somewhere to go.
     */
    public static List<DefinitionError> check(MigrationPlan plan) {
        WorkflowDefinition from = plan.from();
        WorkflowDefinition to = plan.to();
        List<DefinitionError> errors = new ArrayList<>();
        if (!to.key().equals(from.key())) {
            errors.add(new DefinitionError(
                    "/to",
                    "%s is another definition than %s; a migration stays within one".formatted(to.key(), from.key())));
        }
        if (to.version() <= from.version()) {
            errors.add(new DefinitionError(
                    "/to", "version %d is not later than version %d".formatted(to.version(), from.version())));
        }
        plan.stateMap().forEach((source, target) -> {
            if (!from.states().containsKey(source)) {
                errors.add(new DefinitionError(
                        pointer(source), "%s v%d has no state %s".formatted(from.key(), from.version(), source)));
            }
            if (!to.states().containsKey(target)) {
                errors.add(new DefinitionError(
                        pointer(source), "%s v%d has no state %s".formatted(to.key(), to.version(), target)));
            }
        });
        for (StateDef state : from.states().values()) {
            if (!state.isFinal()
                    && !plan.stateMap().containsKey(state.name())
                    && !to.states().containsKey(state.name())) {
                errors.add(new DefinitionError(
                        pointer(state.name()),
                        "%s v%d has no state %s; map it to one it has"
                                .formatted(to.key(), to.version(), state.name())));
            }
        }
        return errors;
    }

    /** Where an instance in {@code state} goes: the state the plan maps it to, else the state of the same name. */
    public static String targetOf(MigrationPlan plan, String state) {
        return plan.stateMap().getOrDefault(state, state);
    }

    /** A JSON pointer to the map's entry for the state, escaped as RFC 6901 asks. */
    private static String pointer(String state) {
        return "/stateMap/" + state.replace("~", "~0").replace("/", "~1");
    }
}
