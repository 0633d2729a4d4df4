package io.sextant.workflow;

import static io.sextant.workflow.WorkflowFixtures.DEPOT;
import static io.sextant.workflow.WorkflowFixtures.DISPATCHER;
import static io.sextant.workflow.WorkflowFixtures.ELSEWHERE;
import static io.sextant.workflow.WorkflowFixtures.MISSION_ID;
import static io.sextant.workflow.WorkflowFixtures.SITE;
import static io.sextant.workflow.WorkflowFixtures.T0;
import static io.sextant.workflow.WorkflowFixtures.VISITOR;
import static io.sextant.workflow.WorkflowFixtures.applied;
import static io.sextant.workflow.WorkflowFixtures.command;
import static io.sextant.workflow.WorkflowFixtures.corrected;
import static io.sextant.workflow.WorkflowFixtures.entered;
import static io.sextant.workflow.WorkflowFixtures.exited;
import static org.assertj.core.api.Assertions.assertThat;

import io.sextant.workflow.InstanceState.PendingTimer;
import io.sextant.workflow.Step.Applied;
import io.sextant.workflow.Step.HistoryEntry;
import io.sextant.workflow.Step.Rejected;
import io.sextant.workflow.Step.Rejection;
import io.sextant.workflow.Trigger.Caller;
import io.sextant.workflow.WorkflowDefinitionReader.Format;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class WorkflowMachineTest {

    private final WorkflowMachine machine = new WorkflowMachine(WorkflowFixtures.mission());

    private final Instant departure = T0.plus(Duration.ofMinutes(10));
    private final Instant arrival = T0.plus(Duration.ofMinutes(70));

    @Test
    void a_mission_starts_planned_with_its_variables_and_no_timer() {
        Applied started = applied(machine.start(
                MISSION_ID,
                Map.of("priority", "high"),
                Map.of(),
                Map.of("depot", DEPOT, "site", SITE),
                "dispatcher-1",
                T0));

        assertThat(started.state().state()).isEqualTo("planned");
        assertThat(started.state().version()).isZero();
        assertThat(started.state().timers()).isEmpty();
        assertThat(started.changed()).containsExactly(Map.entry("priority", "high"));
        assertThat(started.history()).isEqualTo(new HistoryEntry("start", "dispatcher-1", null, "planned", T0));
    }

    @Test
    void dispatching_records_who_and_when_and_starts_the_departure_sla() {
        Applied dispatched = applied(machine.step(planned(), command("dispatch", DISPATCHER), T0));

        assertThat(dispatched.state().state()).isEqualTo("dispatched");
        assertThat(dispatched.state().version()).isEqualTo(1);
        assertThat(dispatched.changed())
                .containsOnly(Map.entry("dispatchedBy", "dispatcher-1"), Map.entry("dispatchedAt", T0));
        PendingTimer sla = new PendingTimer.StateTimer(
                "mission-1:1:dispatched:after:0", "dispatched", 0, T0.plus(Duration.ofMinutes(30)));
        assertThat(dispatched.effects()).containsExactly(new Effect.ScheduleTimer(sla));
        assertThat(dispatched.state().timers()).containsOnlyKeys(sla.id());
        assertThat(dispatched.history())
                .isEqualTo(new HistoryEntry("command dispatch", "dispatcher-1", "planned", "dispatched", T0));
    }

    @Test
    void leaving_the_depot_puts_the_mission_en_route_and_swaps_the_sla() {
        Applied enRoute = applied(machine.step(dispatched(), exited("evt-1", DEPOT, departure), departure));

        assertThat(enRoute.state().state()).isEqualTo("en_route");
        assertThat(enRoute.changed()).containsOnly(Map.entry("departedAt", departure));
        assertThat(enRoute.effects())
                .containsExactly(
                        new Effect.CancelTimer("mission-1:1:dispatched:after:0"),
                        new Effect.ScheduleTimer(new PendingTimer.StateTimer(
                                "mission-1:2:en_route:after:0", "en_route", 0, departure.plus(Duration.ofHours(2)))));
        assertThat(enRoute.history().actor()).isEqualTo("evt-1");
    }

    @Test
    void an_event_about_another_zone_does_not_move_the_mission() {
        assertThat(machine.step(dispatched(), exited("evt-1", ELSEWHERE, departure), departure))
                .isEqualTo(new Rejected(new Rejection.EventNotMatched("dispatched", "sextant.zone.exited")));
    }

    @Test
    void arriving_on_site_emits_the_arrival_and_completing_finishes_the_mission() {
        Applied onSite = applied(machine.step(enRoute(), entered("evt-2", SITE, arrival), arrival));

        assertThat(onSite.state().state()).isEqualTo("on_site");
        assertThat(onSite.state().timers()).isEmpty();
        assertThat(onSite.effects())
                .containsExactly(
                        new Effect.CancelTimer("mission-1:2:en_route:after:0"),
                        new Effect.EmitEvent("sextant.workflow.custom.arrived", Map.of("site", SITE, "at", arrival)));

        Instant end = arrival.plus(Duration.ofMinutes(45));
        Applied completed = applied(machine.step(onSite.state(), command("complete", DISPATCHER), end));

        assertThat(completed.state().state()).isEqualTo("completed");
        assertThat(completed.changed()).containsOnly(Map.entry("completedAt", end));
        assertThat(completed.history())
                .isEqualTo(new HistoryEntry("command complete", "dispatcher-1", "on_site", "completed", end));
    }

    @Test
    void a_command_not_allowed_in_the_current_state_is_refused_listing_the_allowed_ones() {
        assertThat(machine.step(planned(), command("complete", DISPATCHER), T0))
                .isEqualTo(new Rejected(
                        new Rejection.CommandNotAllowed("complete", "planned", List.of("dispatch", "abort"))));
    }

    @Test
    void dispatching_needs_the_permission_its_transition_names() {
        assertThat(machine.step(planned(), command("dispatch", VISITOR), T0))
                .isEqualTo(new Rejected(new Rejection.PermissionMissing("dispatch", "workflows:command")));
    }

    @Test
    void a_mission_that_does_not_leave_the_depot_in_time_escalates() {
        Instant late = T0.plus(Duration.ofMinutes(30));
        Applied escalated =
                applied(machine.step(dispatched(), new Trigger.TimerFired("mission-1:1:dispatched:after:0"), late));

        assertThat(escalated.state().state()).isEqualTo("escalated");
        assertThat(escalated.state().timers()).isEmpty();
        assertThat(escalated.effects())
                .containsExactly(new Effect.EmitEvent("sextant.workflow.custom.escalated", Map.of("dispatchedAt", T0)));
        assertThat(escalated.history().cause()).isEqualTo("timer mission-1:1:dispatched:after:0");
        assertThat(machine.allowedCommands("escalated")).containsExactly("complete", "abort");
    }

    @Test
    void a_timer_of_a_state_already_left_is_stale_and_ignored() {
        assertThat(machine.step(enRoute(), new Trigger.TimerFired("mission-1:1:dispatched:after:0"), arrival))
                .isEqualTo(new Rejected(new Rejection.StaleTimer("mission-1:1:dispatched:after:0")));
    }

    @Test
    void a_timer_firing_twice_applies_once() {
        Trigger.TimerFired sla = new Trigger.TimerFired("mission-1:2:en_route:after:0");
        Instant late = departure.plus(Duration.ofHours(2));
        Applied escalated = applied(machine.step(enRoute(), sla, late));

        assertThat(machine.step(escalated.state(), sla, late))
                .isEqualTo(new Rejected(new Rejection.StaleTimer(sla.timerId())));
    }

    @Test
    void a_retracted_arrival_takes_the_mission_back_en_route_with_a_fresh_sla() {
        InstanceState onSite = applied(machine.step(enRoute(), entered("evt-2", SITE, arrival), arrival))
                .state();
        Instant correction = arrival.plus(Duration.ofMinutes(5));

        Applied back = applied(machine.step(onSite, corrected("evt-3", "evt-2", correction), correction));

        assertThat(back.state().state()).isEqualTo("en_route");
        assertThat(back.state().timers()).containsOnlyKeys("mission-1:4:en_route:after:0");
        assertThat(back.effects().getFirst())
                .isEqualTo(new Effect.EmitEvent("sextant.workflow.custom.arrival_retracted", Map.of("event", "evt-2")));
        assertThat(machine.step(onSite, corrected("evt-4", "evt-other", correction), correction))
                .isEqualTo(new Rejected(new Rejection.EventNotMatched("on_site", "sextant.fence.corrected")));
    }

    @Test
    void a_final_state_accepts_nothing() {
        InstanceState aborted = applied(machine.step(dispatched(), command("abort", DISPATCHER), departure))
                .state();

        assertThat(aborted.timers()).isEmpty();
        assertThat(machine.allowedCommands("aborted")).isEmpty();
        Rejected finished = new Rejected(new Rejection.Finished("aborted"));
        assertThat(machine.step(aborted, command("abort", DISPATCHER), arrival)).isEqualTo(finished);
        assertThat(machine.step(aborted, exited("evt-1", DEPOT, arrival), arrival))
                .isEqualTo(finished);
        assertThat(machine.step(aborted, new Trigger.TimerFired("mission-1:1:dispatched:after:0"), arrival))
                .isEqualTo(finished);
    }

    // ---- guards, named timers, absolute times, failures

    private static final String APPROVAL = """
            key: approval
            initial: waiting
            states:
              waiting:
                entry:
                  - schedule: { timer: reminder, at: "timestamp(vars.remindAt)" }
                on:
                  - command: approve
                    guard: "command.args.amount <= vars.limit"
                    target: approved
                  - command: approve
                    guard: "'managers' in caller.groups"
                    target: approved
                  - timer: reminder
                    target: waiting
                    actions:
                      - emit: { name: reminded, data: { count: "vars.reminders + 1" } }
                      - set: { reminders: "vars.reminders + 1" }
              approved:
                type: final
                entry:
                  - start: { definition: payout, variables: { approver: "caller.subject", limit: "vars.limit" } }
            """;

    private final WorkflowMachine approval = new WorkflowMachine(WorkflowFixtures.READER.read(APPROVAL, Format.YAML));

    private static final Instant REMIND_AT = T0.plus(Duration.ofDays(1));

    private static final Caller CLERK = new Caller("clerk", List.of("clerks"), Set.of());
    private static final Caller MANAGER = new Caller("boss", List.of("managers"), Set.of());

    @Test
    void the_first_transition_whose_guard_holds_is_taken_and_none_holding_is_a_false_guard() {
        InstanceState waiting = waiting();

        assertThat(applied(approval.step(waiting, approve(50, CLERK), T0))
                        .state()
                        .state())
                .isEqualTo("approved");
        assertThat(applied(approval.step(waiting, approve(500, MANAGER), T0))
                        .state()
                        .state())
                .isEqualTo("approved");
        assertThat(approval.step(waiting, approve(500, CLERK), T0))
                .isEqualTo(new Rejected(new Rejection.GuardFalse("waiting", "command approve")));
    }

    @Test
    void a_guard_that_fails_while_it_runs_refuses_the_command_saying_why() {
        Step step = approval.step(waiting(), new Trigger.Command("approve", Map.of(), CLERK), T0);

        assertThat(step)
                .isInstanceOfSatisfying(
                        Rejected.class,
                        rejected -> assertThat(rejected.rejection())
                                .isInstanceOfSatisfying(
                                        Rejection.EvaluationFailed.class,
                                        failed -> assertThat(failed.message())
                                                .startsWith("`command.args.amount <= vars.limit`: ")));
    }

    @Test
    void a_named_timer_fires_at_the_time_a_variable_holds_and_is_scheduled_again_on_re_entry() {
        Applied started = applied(approval.start(
                "approval-1",
                Map.of("limit", 100, "remindAt", REMIND_AT.toString(), "reminders", 0),
                Map.of(),
                Map.of(),
                null,
                T0));
        PendingTimer reminder = new PendingTimer.NamedTimer("approval-1:0:timer:reminder", "reminder", REMIND_AT);
        assertThat(started.effects()).containsExactly(new Effect.ScheduleTimer(reminder));

        Applied reminded = applied(approval.step(started.state(), new Trigger.TimerFired(reminder.id()), REMIND_AT));

        assertThat(reminded.state().state()).isEqualTo("waiting");
        assertThat(reminded.changed()).containsExactly(Map.entry("reminders", 1L));
        assertThat(reminded.effects())
                .containsExactly(
                        new Effect.EmitEvent("sextant.workflow.custom.reminded", Map.of("count", 1L)),
                        new Effect.ScheduleTimer(
                                new PendingTimer.NamedTimer("approval-1:1:timer:reminder", "reminder", REMIND_AT)));
        assertThat(reminded.state().timers()).containsOnlyKeys("approval-1:1:timer:reminder");
    }

    @Test
    void entering_a_final_state_runs_its_entry_and_cancels_the_timers_still_pending() {
        Applied approved = applied(approval.step(waiting(), approve(1, CLERK), T0));

        assertThat(approved.state().timers()).isEmpty();
        assertThat(approved.effects())
                .containsExactly(
                        new Effect.StartChild("payout", Map.of("approver", "clerk", "limit", 100L)),
                        new Effect.CancelTimer("approval-1:0:timer:reminder"));
    }

    private InstanceState waiting() {
        return applied(approval.start(
                        "approval-1",
                        Map.of("limit", 100, "remindAt", REMIND_AT.toString(), "reminders", 0),
                        Map.of(),
                        Map.of(),
                        null,
                        T0))
                .state();
    }

    private static Trigger.Command approve(int amount, Caller caller) {
        return new Trigger.Command("approve", Map.of("amount", amount), caller);
    }

    // ---- the mission at each stage

    private InstanceState planned() {
        return WorkflowFixtures.startedMission(machine);
    }

    private InstanceState dispatched() {
        return applied(machine.step(planned(), command("dispatch", DISPATCHER), T0))
                .state();
    }

    private InstanceState enRoute() {
        return applied(machine.step(dispatched(), exited("evt-1", DEPOT, departure), departure))
                .state();
    }
}
