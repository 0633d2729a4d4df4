package io.sextant.workflow;

import static io.sextant.workflow.WorkflowFixtures.DEPOT;
import static io.sextant.workflow.WorkflowFixtures.DISPATCHER;
import static io.sextant.workflow.WorkflowFixtures.SITE;
import static io.sextant.workflow.WorkflowFixtures.T0;
import static io.sextant.workflow.WorkflowFixtures.applied;
import static io.sextant.workflow.WorkflowFixtures.command;
import static io.sextant.workflow.WorkflowFixtures.entered;
import static io.sextant.workflow.WorkflowFixtures.exited;
import static org.assertj.core.api.Assertions.assertThat;

import io.sextant.workflow.InstanceState.PendingTimer;
import io.sextant.workflow.Step.Applied;
import io.sextant.workflow.Step.HistoryEntry;
import io.sextant.workflow.Step.Rejected;
import io.sextant.workflow.Step.Rejection;
import io.sextant.workflow.WorkflowDefinitionReader.Format;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** An instance moved onto a later version of its definition: its state's timers restart, nothing else runs. */
class WorkflowMigrationTest {

    private final WorkflowDefinition v1 = WorkflowFixtures.mission();
    private final WorkflowMachine machineV1 = new WorkflowMachine(v1);
    private final WorkflowMachine machineV2 = new WorkflowMachine(missionV2());

    private final Instant departure = T0.plus(Duration.ofMinutes(10));
    private final Instant later = T0.plus(Duration.ofMinutes(20));

    /** Version 2 of the mission: a longer departure SLA, and en route renamed in transit. */
    static WorkflowDefinition missionV2() {
        return WorkflowFixtures.READER.read(
                WorkflowFixtures.resource("workflow/examples/mission.yaml")
                        .replace("version: 1", "version: 2")
                        .replace("delay: PT30M", "delay: PT45M")
                        .replace("en_route", "in_transit"),
                Format.YAML);
    }

    @Test
    void a_migrated_instance_keeps_its_state_and_restarts_its_timers_from_now_under_the_new_version() {
        InstanceState dispatched = dispatched();

        Applied migrated = applied(machineV2.migrate(dispatched, v1, "dispatched", "admin-1", later));

        PendingTimer sla = new PendingTimer.StateTimer(
                "mission-1:2:dispatched:after:0", "dispatched", 0, later.plus(Duration.ofMinutes(45)));
        assertThat(migrated.effects())
                .containsExactly(
                        new Effect.CancelTimer("mission-1:1:dispatched:after:0"), new Effect.ScheduleTimer(sla));
        assertThat(migrated.state().timers()).containsOnlyKeys(sla.id());
        assertThat(migrated.state().version()).isEqualTo(2);
        assertThat(migrated.state().variables()).isEqualTo(dispatched.variables());
        assertThat(migrated.changed()).isEmpty();
        assertThat(migrated.history())
                .isEqualTo(new HistoryEntry("migrate mission v1 -> v2", "admin-1", "dispatched", "dispatched", later));
    }

    @Test
    void a_migrated_instance_moves_on_under_the_new_version_and_the_old_timer_is_stale() {
        InstanceState migrated = applied(machineV2.migrate(dispatched(), v1, "dispatched", null, later))
                .state();

        assertThat(machineV2.step(migrated, new Trigger.TimerFired("mission-1:1:dispatched:after:0"), later))
                .isEqualTo(new Rejected(new Rejection.StaleTimer("mission-1:1:dispatched:after:0")));
        Applied enRoute = applied(machineV2.step(migrated, exited("evt-1", DEPOT, later), later));
        assertThat(enRoute.history().to()).isEqualTo("in_transit");
    }

    @Test
    void a_migration_into_a_state_of_another_name_runs_no_entry_action() {
        InstanceState enRoute = applied(machineV1.step(dispatched(), exited("evt-1", DEPOT, departure), departure))
                .state();
        InstanceState onSite = applied(machineV1.step(enRoute, entered("evt-2", SITE, later), later))
                .state();

        Applied inTransit = applied(machineV2.migrate(enRoute, v1, "in_transit", null, later));
        Applied stillOnSite = applied(machineV2.migrate(onSite, v1, "on_site", null, later));

        assertThat(inTransit.state().state()).isEqualTo("in_transit");
        assertThat(inTransit.effects())
                .containsExactly(
                        new Effect.CancelTimer("mission-1:2:en_route:after:0"),
                        new Effect.ScheduleTimer(new PendingTimer.StateTimer(
                                "mission-1:3:in_transit:after:0", "in_transit", 0, later.plus(Duration.ofHours(2)))));
        // on_site's entry emits the arrival; a migration is not an arrival
        assertThat(stillOnSite.effects()).isEmpty();
        assertThat(stillOnSite.history().cause()).isEqualTo("migrate mission v1 -> v2");
    }

    @Test
    void named_timers_stay_pending_across_a_migration() {
        String approval = """
                key: approval
                version: %d
                initial: waiting
                states:
                  waiting:
                    entry:
                      - schedule: { timer: reminder, delay: P1D }
                    on:
                      - command: approve
                        target: approved
                      - timer: reminder
                        target: waiting
                  approved:
                    type: final
                """;
        WorkflowDefinition approvalV1 = WorkflowFixtures.READER.read(approval.formatted(1), Format.YAML);
        WorkflowMachine approvalV2 =
                new WorkflowMachine(WorkflowFixtures.READER.read(approval.formatted(2), Format.YAML));
        InstanceState waiting = applied(
                        new WorkflowMachine(approvalV1).start("a-1", Map.of(), Map.of(), Map.of(), null, T0))
                .state();

        Applied migrated = applied(approvalV2.migrate(waiting, approvalV1, "waiting", null, later));

        assertThat(migrated.effects()).isEmpty();
        assertThat(migrated.state().timers()).isEqualTo(waiting.timers());
    }

    @Test
    void a_migration_to_a_state_the_new_version_lacks_is_refused() {
        assertThat(machineV2.migrate(dispatched(), v1, "en_route", null, later))
                .isEqualTo(new Rejected(new Rejection.MigrationRefused("mission v2 has no state en_route")));
    }

    @Test
    void a_finished_instance_is_not_migrated() {
        InstanceState aborted = applied(machineV1.step(dispatched(), command("abort", DISPATCHER), later))
                .state();

        assertThat(machineV2.migrate(aborted, v1, "aborted", null, later))
                .isEqualTo(new Rejected(new Rejection.MigrationRefused("the instance has finished in state aborted")));
    }

    @Test
    void a_migration_only_goes_to_a_later_version_of_the_same_definition() {
        assertThat(machineV1.migrate(dispatched(), v1, "dispatched", null, later))
                .isInstanceOfSatisfying(
                        Rejected.class,
                        rejected -> assertThat(rejected.rejection()).isInstanceOf(Rejection.MigrationRefused.class));
    }

    private InstanceState dispatched() {
        return applied(machineV1.step(WorkflowFixtures.startedMission(machineV1), command("dispatch", DISPATCHER), T0))
                .state();
    }
}
