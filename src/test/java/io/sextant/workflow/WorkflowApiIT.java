package io.sextant.workflow;

import static io.sextant.testing.ProblemAssertions.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sextant.testing.ApiClient.Response;
import io.sextant.testing.SextantIT;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class WorkflowApiIT extends SextantIT {

    static final String DEFINITIONS = "/api/v1/workflows/definitions";
    static final String INSTANCES = "/api/v1/workflows/instances";
    static final Instant T0 = Instant.parse("2026-11-20T08:00:00Z");

    private WorkflowCalls calls;

    @org.junit.jupiter.api.BeforeEach
    void calls() {
        calls = new WorkflowCalls(api);
    }

    @Test
    void a_mission_runs_from_dispatch_to_completion_on_commands_and_geofence_events() {
        TenantFixture tenant = newTenant();
        String token = tenant.adminToken();
        Response published = calls.publish(token, WorkflowCalls.mission());
        assertThat(published.status()).as("%s", published).isEqualTo(201);
        assertThat(published.json().get("version").asInt()).isEqualTo(1);
        assertThat(published.header("Location")).isEqualTo(DEFINITIONS + "/mission/versions/1");

        String depot = calls.square(token, "Depot", 10.0, 50.0);
        String site = calls.square(token, "Site", 10.1, 50.0);
        String vehicle = createAsset(token, "van-7", "van", List.of()).get("id").asString();
        calls.fix(token, "van-7", T0, 10.005, 50.005); // at the depot

        Response created = api.post(INSTANCES)
                .bearer(token)
                .json(Map.of(
                        "definition", "mission",
                        "variables", Map.of("priority", "high"),
                        "assets", Map.of("vehicle", vehicle),
                        "zones", Map.of("depot", depot, "site", site)))
                .send();
        assertThat(created.status()).as("%s", created).isEqualTo(201);
        String id = created.json().get("id").asString();
        assertThat(created.json().get("state").asString()).isEqualTo("planned");
        assertThat(created.header("ETag")).isEqualTo("\"0\"");
        assertThat(io.sextant.testing.ApiClient.strings(created.json().get("allowedCommands")))
                .containsExactly("dispatch", "abort");

        Response early = calls.command(token, id, "complete", null);
        assertProblem(early, 409, INSTANCES + "/" + id + "/commands/complete");
        assertThat(io.sextant.testing.ApiClient.strings(early.json().get("allowedCommands")))
                .containsExactly("dispatch", "abort");
        assertThat(early.json().get("state").asString()).isEqualTo("planned");

        Response dispatched = api.post(INSTANCES + "/" + id + "/commands/dispatch")
                .bearer(token)
                .header("If-Match", "\"0\"")
                .header("Idempotency-Key", "dispatch-" + id)
                .json(Map.of())
                .send();
        assertThat(dispatched.status()).as("%s", dispatched).isEqualTo(200);
        assertThat(dispatched.json().get("state").asString()).isEqualTo("dispatched");
        assertThat(dispatched.header("ETag")).isEqualTo("\"1\"");
        assertThat(dispatched.json().get("timers")).hasSize(1);
        Response replayed = api.post(INSTANCES + "/" + id + "/commands/dispatch")
                .bearer(token)
                .header("If-Match", "\"0\"")
                .header("Idempotency-Key", "dispatch-" + id)
                .json(Map.of())
                .send();
        assertThat(replayed.status())
                .as("a retry with the same key replays the answer")
                .isEqualTo(200);
        assertThat(replayed.json()).isEqualTo(dispatched.json());
        assertProblem(calls.command(token, id, "abort", "\"0\""), 412, INSTANCES + "/" + id + "/commands/abort");

        calls.fix(token, "van-7", T0.plusSeconds(60), 10.05, 50.005); // left the depot
        await().atMost(Duration.ofSeconds(15))
                .until(() -> calls.instance(token, id).get("state").asString(), "en_route"::equals);
        calls.fix(token, "van-7", T0.plusSeconds(120), 10.105, 50.005); // on site
        await().atMost(Duration.ofSeconds(15))
                .until(() -> calls.instance(token, id).get("state").asString(), "on_site"::equals);
        JsonNode onSite = calls.instance(token, id);
        assertThat(onSite.get("variables").get("departedAt").asString())
                .isEqualTo(T0.plusSeconds(60).toString());

        Response completed = calls.command(
                token, id, "complete", "\"" + onSite.get("version").asLong() + "\"");
        assertThat(completed.status()).as("%s", completed).isEqualTo(200);
        assertThat(completed.json().get("finished").asBoolean()).isTrue();
        assertThat(completed.json().get("timers")).isEmpty();

        List<String> moves = new ArrayList<>();
        api.get(INSTANCES + "/" + id + "/history")
                .bearer(token)
                .send()
                .json()
                .get("items")
                .forEach(h ->
                        moves.add(h.get("cause").asString() + ":" + h.get("to").asString()));
        assertThat(moves)
                .containsExactly(
                        "start:planned",
                        "command dispatch:dispatched",
                        "event sextant.zone.exited:en_route",
                        "event sextant.zone.entered:on_site",
                        "command complete:completed");

        List<String> types = new ArrayList<>();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            types.clear();
            api.get("/api/v1/events?limit=100&type=sextant.workflow.*")
                    .bearer(token)
                    .send()
                    .json()
                    .get("items")
                    .forEach(e -> types.add(e.get("type").asString()));
            assertThat(types).contains("sextant.workflow.completed", "sextant.workflow.custom.arrived");
        });
        assertThat(types.stream().filter("sextant.workflow.transitioned"::equals))
                .hasSize(4);

        Response listed = api.get(INSTANCES + "?definition=mission&assetId=" + vehicle)
                .bearer(token)
                .send();
        assertThat(listed.json().get("items")).hasSize(1);
        assertThat(api.get(INSTANCES + "?state=planned")
                        .bearer(token)
                        .send()
                        .json()
                        .get("items"))
                .isEmpty();
    }

    @Test
    void a_late_fix_that_moves_the_arrival_earlier_keeps_the_mission_on_site_with_the_corrected_arrival() {
        TenantFixture tenant = newTenant();
        String token = tenant.adminToken();
        assertThat(calls.publish(token, WorkflowCalls.mission()).status()).isEqualTo(201);
        String depot = calls.square(token, "Depot", 10.0, 50.0);
        String site = calls.square(token, "Site", 10.1, 50.0);
        String vehicle = createAsset(token, "van-8", "van", List.of()).get("id").asString();
        Instant now = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        calls.fix(token, "van-8", now.minusSeconds(600), 10.005, 50.005);
        String id = calls.startMission(token, vehicle, depot, site);
        assertThat(calls.command(token, id, "dispatch", null).status()).isEqualTo(200);
        calls.fix(token, "van-8", now.minusSeconds(480), 10.05, 50.005);
        calls.fix(token, "van-8", now.minusSeconds(360), 10.105, 50.005);
        await().atMost(Duration.ofSeconds(15))
                .until(() -> calls.instance(token, id).get("state").asString(), "on_site"::equals);
        String firstArrival =
                calls.instance(token, id).get("variables").get("arrivalEvent").asString();

        calls.fix(token, "van-8", now.minusSeconds(420), 10.104, 50.004); // late: it was on site a minute earlier
        await().atMost(Duration.ofSeconds(15))
                .until(
                        () -> calls.instance(token, id)
                                .get("variables")
                                .get("arrivedAt")
                                .asString(),
                        now.minusSeconds(420).toString()::equals);
        JsonNode corrected = calls.instance(token, id);
        assertThat(corrected.get("state").asString()).isEqualTo("on_site");
        assertThat(corrected.get("variables").get("arrivalEvent").asString()).isNotEqualTo(firstArrival);
        JsonNode asserted = api.get("/api/v1/events/"
                        + corrected.get("variables").get("arrivalEvent").asString())
                .bearer(token)
                .send()
                .json();
        assertThat(asserted.get("type").asString()).isEqualTo("sextant.zone.entered");
        assertThat(asserted.get("time").asString())
                .isEqualTo(now.minusSeconds(420).toString());
    }

    @Test
    void missions_sharing_a_depot_move_only_on_their_own_vehicle() {
        TenantFixture tenant = newTenant();
        String token = tenant.adminToken();
        assertThat(calls.publish(token, WorkflowCalls.mission()).status()).isEqualTo(201);
        String depot = calls.square(token, "Depot", 10.0, 50.0);
        String site = calls.square(token, "Site", 10.1, 50.0);
        Instant now = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        Map<String, String> missions = new java.util.LinkedHashMap<>();
        for (String van : List.of("van-a", "van-b")) {
            String vehicle = createAsset(token, van, "van", List.of()).get("id").asString();
            calls.fix(token, van, now.minusSeconds(300), 10.005, 50.005);
            String id = calls.startMission(token, vehicle, depot, site);
            assertThat(calls.command(token, id, "dispatch", null).status()).isEqualTo(200);
            missions.put(van, id);
        }
        calls.fix(token, "van-a", now.minusSeconds(200), 10.05, 50.005);
        await().atMost(Duration.ofSeconds(15))
                .until(
                        () -> calls.instance(token, missions.get("van-a"))
                                .get("state")
                                .asString(),
                        "en_route"::equals);
        // the relay has handed on van-a's exit; van-b's mission saw it and stayed
        calls.fix(token, "van-b", now.minusSeconds(100), 10.006, 50.006);
        assertThat(calls.instance(token, missions.get("van-b")).get("state").asString())
                .isEqualTo("dispatched");
        assertThat(api.get(INSTANCES + "?state=dispatched")
                        .bearer(token)
                        .send()
                        .json()
                        .get("items"))
                .hasSize(1);
    }

    @Test
    void a_definition_with_mistakes_is_refused_with_every_error_and_its_pointer() {
        TenantFixture tenant = newTenant();
        Response refused = calls.publish(tenant.adminToken(), """
                key: broken
                initial: start
                states:
                  start:
                    on:
                      - command: go
                        target: nowhere
                      - event: sextant.zone.entred
                        target: done
                  done:
                    type: final
                """);
        assertProblem(refused, 400, DEFINITIONS);
        List<String> fields = new ArrayList<>();
        refused.json().get("errors").forEach(e -> fields.add(e.get("field").asString()));
        assertThat(fields).hasSizeGreaterThanOrEqualTo(2);
        assertThat(fields).anyMatch(f -> f.startsWith("/states/start/on/0"));
        assertThat(fields).anyMatch(f -> f.startsWith("/states/start/on/1"));
        assertThat(api.get(DEFINITIONS + "/broken")
                        .bearer(tenant.adminToken())
                        .send()
                        .status())
                .isEqualTo(404);

        assertThat(calls.publish(tenant.adminToken(), WorkflowCalls.mission()).status())
                .isEqualTo(201);
        Response stale = calls.publish(tenant.adminToken(), WorkflowCalls.mission()); // names version 1 again
        assertProblem(stale, 409, DEFINITIONS);
        Response next =
                calls.publish(tenant.adminToken(), WorkflowCalls.mission().replace("version: 1", "version: 2"));
        assertThat(next.status()).as("%s", next).isEqualTo(201);
        assertThat(api.get(DEFINITIONS + "/mission")
                        .bearer(tenant.adminToken())
                        .send()
                        .json()
                        .get("version")
                        .asInt())
                .isEqualTo(2);
    }

    @Test
    void variables_and_bindings_are_checked_before_an_instance_starts() {
        TenantFixture tenant = newTenant();
        String token = tenant.adminToken();
        calls.publish(token, WorkflowCalls.mission());
        Response refused = api.post(INSTANCES)
                .bearer(token)
                .json(Map.of(
                        "definition", "mission",
                        "variables", Map.of("priority", "urgent"),
                        "assets", Map.of("vehicle", java.util.UUID.randomUUID().toString())))
                .send();
        assertProblem(refused, 400, INSTANCES);
        List<String> fields = new ArrayList<>();
        refused.json().get("errors").forEach(e -> fields.add(e.get("field").asString()));
        assertThat(fields).contains("assets.vehicle");
        Response unknown = api.post(INSTANCES)
                .bearer(token)
                .json(Map.of("definition", "nothing-like-it"))
                .send();
        assertProblem(unknown, 400, INSTANCES);
        Response badVariables = api.post(INSTANCES)
                .bearer(token)
                .json(Map.of("definition", "mission", "variables", Map.of("priority", "urgent")))
                .send();
        assertProblem(badVariables, 400, INSTANCES);
        assertThat(badVariables.json().get("errors").get(0).get("field").asString())
                .isEqualTo("/variables/priority");
        assertThat(api.get(INSTANCES).bearer(token).send().json().get("items")).isEmpty();
    }

    @Test
    void parallel_commands_at_one_version_have_exactly_one_winner() throws Exception {
        TenantFixture tenant = newTenant();
        String token = tenant.adminToken();
        calls.publish(token, WorkflowCalls.mission());
        String id = calls.start(token, Map.of("definition", "mission"));
        List<Callable<Integer>> racers = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            String name = i % 2 == 0 ? "dispatch" : "abort";
            racers.add(() -> calls.command(token, id, name, "\"0\"").status());
        }
        List<Integer> statuses = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(8)) {
            for (Future<Integer> status : pool.invokeAll(racers)) {
                statuses.add(status.get());
            }
        }
        assertThat(statuses.stream().filter(s -> s == 200)).hasSize(1);
        assertThat(statuses.stream().filter(s -> s == 412)).hasSize(7);
        JsonNode after = calls.instance(token, id);
        assertThat(after.get("version").asLong()).isEqualTo(1);
        assertThat(api.get(INSTANCES + "/" + id + "/history")
                        .bearer(token)
                        .send()
                        .json()
                        .get("items"))
                .hasSize(2);
    }

    @Test
    void a_state_timer_fires_within_a_second_of_being_due_and_only_once() {
        TenantFixture tenant = newTenant();
        String token = tenant.adminToken();
        Response published = calls.publish(token, """
                key: sla
                initial: waiting
                states:
                  waiting:
                    after:
                      - delay: PT1S
                        target: late
                    on:
                      - command: done
                        target: finished
                  late:
                    type: final
                    entry:
                      - enqueue: { kind: sla-breached, payload: { since: "vars.since" } }
                  finished:
                    type: final
                """);
        assertThat(published.status()).as("%s", published).isEqualTo(201);
        JsonNode created = api.post(INSTANCES)
                .bearer(token)
                .json(Map.of("definition", "sla", "variables", Map.of("since", "morning")))
                .send()
                .json();
        String id = created.get("id").asString();
        Instant due = Instant.parse(created.get("timers").get(0).get("dueAt").asString());
        await().atMost(Duration.ofSeconds(10))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> calls.instance(token, id).get("state").asString(), "late"::equals);
        JsonNode history = api.get(INSTANCES + "/" + id + "/history")
                .bearer(token)
                .send()
                .json()
                .get("items");
        assertThat(history).hasSize(2);
        Instant fired = Instant.parse(history.get(1).get("at").asString());
        assertThat(Duration.between(due, fired)).isBetween(Duration.ZERO, Duration.ofSeconds(1));
        assertProblem(calls.command(token, id, "done", null), 409, INSTANCES + "/" + id + "/commands/done");
        JsonNode job = api.get("/api/v1/jobs?kind=sla-breached")
                .bearer(token)
                .send()
                .json()
                .get("items");
        assertThat(job).as("the final state's entry queued one job").hasSize(1);
        assertThat(job.get(0).toString()).contains(id).contains("morning");
    }

    @Test
    void another_tenant_does_not_see_or_command_an_instance() {
        TenantFixture owner = newTenant();
        TenantFixture other = newTenant();
        calls.publish(owner.adminToken(), WorkflowCalls.mission());
        String id = calls.start(owner.adminToken(), Map.of("definition", "mission"));
        assertProblem(api.get(INSTANCES + "/" + id).bearer(other.adminToken()).send(), 404, INSTANCES + "/" + id);
        assertProblem(
                calls.command(other.adminToken(), id, "dispatch", null),
                404,
                INSTANCES + "/" + id + "/commands/dispatch");
        assertThat(api.get(INSTANCES).bearer(other.adminToken()).send().json().get("items"))
                .isEmpty();
        assertThat(calls.instance(owner.adminToken(), id).get("state").asString())
                .isEqualTo("planned");
    }
}
