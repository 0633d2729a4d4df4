package io.sextant.workflow;

import static org.assertj.core.api.Assertions.assertThat;

import io.sextant.workflow.VersionMigration.MigrationPlan;
import io.sextant.workflow.WorkflowDefinitionReader.Format;
import java.util.Map;
import org.junit.jupiter.api.Test;

class VersionMigrationTest {

    private final WorkflowDefinition v1 = WorkflowFixtures.mission();
    private final WorkflowDefinition v2 = WorkflowMigrationTest.missionV2();

    @Test
    void a_plan_that_sends_every_waiting_state_somewhere_is_clean() {
        MigrationPlan plan = new MigrationPlan(v1, v2, Map.of("en_route", "in_transit"));

        assertThat(VersionMigration.check(plan)).isEmpty();
        assertThat(VersionMigration.targetOf(plan, "en_route")).isEqualTo("in_transit");
        assertThat(VersionMigration.targetOf(plan, "dispatched")).isEqualTo("dispatched");
    }

    @Test
    void a_state_the_new_version_lacks_must_be_mapped() {
        assertThat(VersionMigration.check(new MigrationPlan(v1, v2, Map.of())))
                .containsExactly(new DefinitionError(
                        "/stateMap/en_route", "mission v2 has no state en_route; map it to one it has"));
    }

    @Test
    void a_final_state_the_new_version_lacks_needs_no_mapping_as_no_instance_moves_from_it() {
        WorkflowDefinition v3 = WorkflowFixtures.READER.read(
                WorkflowFixtures.resource("workflow/examples/mission.yaml")
                        .replace("version: 1", "version: 3")
                        .replace("aborted", "cancelled"),
                Format.YAML);

        assertThat(VersionMigration.check(new MigrationPlan(v1, v3, Map.of()))).isEmpty();
    }

    @Test
    void every_error_of_a_plan_is_reported_at_once_with_its_pointer() {
        MigrationPlan plan = new MigrationPlan(v2, v1, Map.of("nowhere", "in_transit", "on_site", "on/site"));

        assertThat(VersionMigration.check(plan))
                .extracting(DefinitionError::pointer)
                .containsExactlyInAnyOrder(
                        "/to", // version 1 is not later than version 2
                        "/stateMap/nowhere", // no such state in v2
                        "/stateMap/nowhere", // and in_transit is not in v1
                        "/stateMap/on_site", // on/site is not in v1
                        "/stateMap/in_transit"); // in_transit is not in v1 and not mapped
    }

    @Test
    void a_plan_between_two_definitions_is_refused() {
        WorkflowDefinition other = WorkflowFixtures.READER.read(
                WorkflowFixtures.resource("workflow/examples/mission.yaml")
                        .replace("key: mission", "key: delivery")
                        .replace("version: 1", "version: 2"),
                Format.YAML);

        assertThat(VersionMigration.check(new MigrationPlan(v1, other, Map.of())))
                .containsExactly(new DefinitionError(
                        "/to", "delivery is another definition than mission; a migration stays within one"));
    }

    @Test
    void a_state_name_in_a_pointer_is_escaped() {
        MigrationPlan plan = new MigrationPlan(v1, v2, Map.of("en_route", "in_transit", "a/b~c", "planned"));

        assertThat(VersionMigration.check(plan))
                .containsExactly(new DefinitionError("/stateMap/a~1b~0c", "mission v1 has no state a/b~c"));
    }
}
