package io.sextant.workflow;

import static io.sextant.workflow.WorkflowFixtures.READER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.sextant.workflow.WorkflowDefinition.ActionDef;
import io.sextant.workflow.WorkflowDefinition.TriggerDef;
import io.sextant.workflow.WorkflowDefinitionReader.Format;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WorkflowDefinitionReaderTest {

    @Test
    void the_shipped_mission_example_is_a_valid_definition() {
        WorkflowDefinition mission = WorkflowFixtures.mission();

        assertThat(mission.key()).isEqualTo("mission");
        assertThat(mission.initial()).isEqualTo("planned");
        assertThat(mission.stateNames())
                .containsExactly("planned", "dispatched", "en_route", "on_site", "escalated", "completed", "aborted");
        assertThat(mission.state("completed").isFinal()).isTrue();
        assertThat(mission.state("en_route").after().getFirst().delay()).isEqualTo(Duration.ofHours(2));
        assertThat(mission.state("planned").on().getFirst().trigger())
                .isEqualTo(new TriggerDef.Command("dispatch", "workflows:command"));
        assertThat(mission.variables()).containsKey("properties");
    }

    @Test
    void json_and_yaml_spelling_the_same_definition_read_the_same() {
        String yaml = """
                key: errand
                initial: open
                states:
                  open:
                    on:
                      - command: close
                        guard: "vars.done == true"
                        target: closed
                        actions:
                          - set: { closedBy: "caller.subject" }
                  closed:
                    type: final
                """;
        String json = """
                {"key": "errand", "initial": "open", "states": {
                  "open": {"on": [{"command": "close", "guard": "vars.done == true", "target": "closed",
                                   "actions": [{"set": {"closedBy": "caller.subject"}}]}]},
                  "closed": {"type": "final"}}}
                """;

        WorkflowDefinition fromYaml = READER.read(yaml, Format.YAML);

        assertThat(READER.read(json, Format.JSON)).isEqualTo(fromYaml);
        assertThat(fromYaml.version()).isEqualTo(1);
        assertThat(fromYaml.state("open").on().getFirst().actions())
                .containsExactly(new ActionDef.SetVariables(Map.of("closedBy", "caller.subject")));
    }

    @Test
    void unknown_targets_unreachable_states_and_a_missing_final_state_are_reported_together() {
        assertThat(errors("""
                        key: broken
                        initial: a
                        states:
                          a:
                            on:
                              - command: go
                                target: nowhere
                          b:
                            on:
                              - command: back
                                target: a
                        """))
                .containsExactly(
                        new DefinitionError("/states", "no state is final, so no instance could ever finish"),
                        new DefinitionError("/states/a/on/0/target", "no state is named nowhere"),
                        new DefinitionError("/states/b", "b cannot be reached from the initial state a"));
    }

    @Test
    void an_unknown_initial_state_is_reported() {
        assertThat(errors("""
                        key: broken
                        initial: start
                        states:
                          done:
                            type: final
                        """)).containsExactly(new DefinitionError("/initial", "no state is named start"));
    }

    @Test
    void unknown_event_types_expressions_that_do_not_compile_and_transitions_out_of_a_final_state_are_reported() {
        List<DefinitionError> errors = errors("""
                key: broken
                initial: a
                states:
                  a:
                    on:
                      - event: sextant.zone.entred
                        match: "event.zoneId =="
                        target: done
                      - command: go
                        guard: "'yes'"
                        target: done
                      - event: sextant.workflow.custom.ping
                        target: done
                  done:
                    type: final
                    on:
                      - command: again
                        target: a
                """);

        assertThat(errors)
                .extracting(DefinitionError::pointer)
                .containsExactly(
                        "/states/a/on/0/event", "/states/a/on/0/match", "/states/a/on/1/guard", "/states/done/on");
        assertThat(errors.get(0).message()).startsWith("sextant.zone.entred is not a known event type (known: ");
        assertThat(errors.get(1).message()).startsWith("`event.zoneId ==` does not compile: column ");
        assertThat(errors.get(2).message()).isEqualTo("`'yes'` does not compile: must be a boolean, not string");
        assertThat(errors.get(3).message())
                .isEqualTo("done is final and accepts nothing, so it can have no transitions");
    }

    @Test
    void action_expressions_that_do_not_compile_are_reported_each_at_its_own_pointer() {
        assertThat(errors("""
                        key: broken
                        initial: a
                        states:
                          a:
                            on:
                              - command: go
                                target: done
                                actions:
                                  - set: { count: "vars.count +" }
                                  - emit: { name: went, data: { who: "visitor.name" } }
                                  - enqueue: { kind: notify, payload: { to: "caller.subject" } }
                                  - start: { definition: child, variables: { parent: "instance.nope(" } }
                          done:
                            type: final
                        """))
                .extracting(DefinitionError::pointer)
                .containsExactly(
                        "/states/a/on/0/actions/0/set/count",
                        "/states/a/on/0/actions/1/emit/data/who",
                        "/states/a/on/0/actions/3/start/variables/parent");
    }

    @Test
    void timers_without_a_target_or_a_schedule_and_timers_that_cannot_wait_are_reported() {
        List<DefinitionError> errors = errors("""
                key: broken
                initial: a
                states:
                  a:
                    entry:
                      - schedule: { timer: reminder, delay: PT5M }
                      - cancel: { timer: nudge }
                    after:
                      - delay: PT0S
                        target: done
                      - at: "'tomorrow'"
                        target: done
                    on:
                      - timer: ping
                        target: done
                  done:
                    type: final
                """);

        assertThat(errors)
                .containsExactly(
                        new DefinitionError("/states/a/after/0/delay", "PT0S is not a positive duration such as PT2H"),
                        new DefinitionError("/states/a/on/0/timer", "no action schedules a timer named ping"),
                        new DefinitionError(
                                "/states/a/after/1/at",
                                "`'tomorrow'` does not compile: must be a timestamp, not string"),
                        new DefinitionError(
                                "/states/a/entry/0/schedule/timer",
                                "no state has a transition on timer reminder, so it would fire without a target"),
                        new DefinitionError(
                                "/states/a/entry/1/cancel/timer", "no action schedules a timer named nudge"));
    }

    @Test
    void the_schema_reports_every_shape_error_with_its_pointer() {
        List<DefinitionError> errors = errors("""
                        key: broken
                        initial: a
                        states:
                          a:
                            colour: red
                            after:
                              - delay: PT1M
                          done:
                            type: final
                        """);

        assertThat(errors)
                .extracting(DefinitionError::pointer)
                .containsExactlyInAnyOrder("/states/a", "/states/a/after/0");
        assertThat(errors)
                .extracting(DefinitionError::message)
                .anySatisfy(message -> assertThat(message).contains("colour"))
                .anySatisfy(message -> assertThat(message).contains("target"));
    }

    @Test
    void a_name_given_twice_in_one_object_is_reported_rather_than_overwritten() {
        assertThat(errors("""
                        key: broken
                        initial: a
                        states:
                          a:
                            on:
                              - command: go
                                target: done
                                actions:
                                  - set: { x: "1", x: "2" }
                          done:
                            type: final
                          a:
                            type: final
                        """))
                .containsExactly(
                        new DefinitionError("/states/a/on/0/actions/0/set/x", "x is given twice"),
                        new DefinitionError("/states/a", "a is given twice"));
    }

    @Test
    void a_document_that_is_not_json_is_reported_as_a_whole() {
        InvalidDefinition invalid =
                catchThrowableOfType(InvalidDefinition.class, () -> READER.read("{\"key\": \"x\",", Format.JSON));

        assertThat(invalid.errors()).singleElement().satisfies(error -> {
            assertThat(error.pointer()).isEmpty();
            assertThat(error.message()).startsWith("not valid JSON: ");
        });
    }

    @Test
    void a_number_longer_than_the_parser_reads_is_reported_as_a_whole_in_either_notation() {
        // What a fuzzer sent: the token pass does not convert numbers, so the parser's limit on a
        // number's length (1,000 digits) surfaced only when the tree was built, as a 500.
        String digits = "9".repeat(2_000);
        for (Format format : Format.values()) {
            String document = format == Format.JSON ? "{\"x\": " + digits + "}" : "x: " + digits + "\n";
            InvalidDefinition invalid =
                    catchThrowableOfType(InvalidDefinition.class, () -> READER.read(document, format));

            assertThat(invalid).as("%s", format).isNotNull();
            assertThat(invalid.errors()).singleElement().satisfies(error -> {
                assertThat(error.pointer()).isEmpty();
                assertThat(error.message()).startsWith("not valid " + format + ": ");
            });
        }
    }

    @Test
    void a_yaml_number_jackson_cannot_convert_is_reported_as_a_whole() {
        // YAML's .inf and .nan pass the token pass and fail when the tree is built, like long numbers.
        for (String value : List.of(".inf", "-.inf", ".nan")) {
            InvalidDefinition invalid =
                    catchThrowableOfType(InvalidDefinition.class, () -> READER.read("x: " + value + "\n", Format.YAML));

            assertThat(invalid).as(value).isNotNull();
            assertThat(invalid.errors())
                    .singleElement()
                    .satisfies(error -> assertThat(error.message()).startsWith("not valid YAML: "));
        }
    }

    private static List<DefinitionError> errors(String yaml) {
        return catchThrowableOfType(InvalidDefinition.class, () -> READER.read(yaml, Format.YAML))
                .errors();
    }
}
