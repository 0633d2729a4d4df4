package io.sextant.workflow;

import static io.sextant.testing.ProblemAssertions.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sextant.testing.ApiClient.Response;
import io.sextant.testing.SextantIT;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * {@code POST /api/v1/workflows/definitions/simulate}: traces of drafts and published definitions
 * that store nothing, and the same trace as the live engine for the same inputs — commands, and
 * the tenant's real events replayed from its log.
 */
class WorkflowSimulationIT extends SextantIT {

    private static final String SIMULATE = "/api/v1/workflows/definitions/simulate";
    private static final String INSTANCES = "/api/v1/workflows/instances";

    @Test
    void a_published_mission_is_simulated_through_commands_events_and_time_without_storing_anything() {
        TenantFixture tenant = newTenant();
        String token = tenant.adminToken();
        assertThat(publish(token).status()).isEqualTo(201);
        Response simulated = api.post(SIMULATE)
                .bearer(token)
                .json(Map.of(
                        "definition", "mission",
                        "start",
                                Map.of(
                                        "at",
                                        "2026-12-01T08:00:00Z",
                                        "assets",
                                        Map.of("vehicle", "van-1"),
                                        "zones",
                                        Map.of("depot", "depot-1", "site", "site-1")),
                        "inputs",
                                List.of(
                                        Map.of("command", "complete"),
                                        Map.of("command", "dispatch"),
                                        Map.of(
                                                "event",
                                                Map.of(
                                                        "type", "sextant.zone.exited",
                                                        "assetId", "van-1",
                                                        "zoneId", "depot-1",
                                                        "time", "2026-12-01T08:10:00Z")),
                                        Map.of("advance", "PT3H"))))
                .send();
        assertThat(simulated.status()).as("%s", simulated).isEqualTo(200);
        List<String> trace = new ArrayList<>();
        simulated
                .json()
                .get("trace")
                .forEach(step -> trace.add(step.get("cause").asString() + ":"
                        + step.get("outcome").asString() + ":"
                        + step.path("to").asString("-")));
        assertThat(trace)
                .containsExactly(
                        "start:applied:planned",
                        "command complete:rejected:-",
                        "command dispatch:applied:dispatched",
                        "event sextant.zone.exited:applied:en_route",
                        "timer simulated:2:en_route:after:0:applied:escalated");
        JsonNode rejected = simulated.json().get("trace").get(1).get("rejection");
        assertThat(rejected.get("kind").asString()).isEqualTo("CommandNotAllowed");
        assertThat(simulated.json().get("trace").get(4).get("at").asString())
                .as("the SLA fires two hours after leaving the depot")
                .isEqualTo("2026-12-01T10:10:00Z");
        assertThat(simulated.json().get("end").get("state").asString()).isEqualTo("escalated");
        assertThat(simulated.json().get("clock").asString()).isEqualTo("2026-12-01T11:10:00Z");

        assertThat(api.get(INSTANCES).bearer(token).send().json().get("items")).isEmpty();
        assertThat(api.get("/api/v1/events?type=sextant.workflow.*")
                        .bearer(token)
                        .send()
                        .json()
                        .get("items"))
                .isEmpty();
    }

    @Test
    void a_draft_is_checked_and_bad_inputs_are_reported_with_their_pointers() {
        TenantFixture tenant = newTenant();
        Response draft = api.post(SIMULATE)
                .bearer(tenant.adminToken())
                .json(Map.of(
                        "document",
                        Map.of(
                                "key", "tiny",
                                "initial", "a",
                                "states",
                                        Map.of(
                                                "a", Map.of("on", List.of(Map.of("command", "go", "target", "b"))),
                                                "b", Map.of("type", "final"))),
                        "inputs",
                        List.of(Map.of("command", "go"))))
                .send();
        assertThat(draft.status()).as("%s", draft).isEqualTo(200);
        assertThat(draft.json().get("end").get("state").asString()).isEqualTo("b");

        Response bad = api.post(SIMULATE)
                .bearer(tenant.adminToken())
                .json(Map.of(
                        "document",
                        "key: tiny\ninitial: a\nstates:\n  a:\n    type: final\n",
                        "inputs",
                        List.of(
                                Map.of("advance", "soon"),
                                Map.of("command", "go", "advance", "PT1M"),
                                Map.of("event", Map.of("zoneId", "z")))))
                .send();
        assertProblem(bad, 400, SIMULATE);
        List<String> fields = new ArrayList<>();
        bad.json().get("errors").forEach(e -> fields.add(e.get("field").asString()));
        assertThat(fields).containsExactly("/inputs/0/advance", "/inputs/1", "/inputs/2/event");

        assertProblem(
                api.post(SIMULATE)
                        .bearer(tenant.adminToken())
                        .json(Map.of("definition", "not-published"))
                        .send(),
                404,
                SIMULATE);
    }

    @Test
    void the_simulation_of_the_real_log_gives_the_trace_the_live_engine_took() {
        TenantFixture tenant = newTenant();
        String token = tenant.adminToken();
        WorkflowCalls live = new WorkflowCalls(api);
        assertThat(publish(token).status()).isEqualTo(201);
        String depot = live.square(token, "Depot", 10.0, 50.0);
        String site = live.square(token, "Site", 10.1, 50.0);
        String vehicle = createAsset(token, "van-9", "van", List.of()).get("id").asString();
        Instant t1 = Instant.now().truncatedTo(ChronoUnit.SECONDS).minusSeconds(30);
        Instant before = t1.minusSeconds(1);
        live.fix(token, "van-9", t1, 10.005, 50.005);
        String id = live.startMission(token, vehicle, depot, site);
        assertThat(live.command(token, id, "dispatch", null).status()).isEqualTo(200);
        live.fix(token, "van-9", t1.plusSeconds(10), 10.05, 50.005);
        live.fix(token, "van-9", t1.plusSeconds(20), 10.105, 50.005);
        await().atMost(Duration.ofSeconds(15))
                .until(() -> live.instance(token, id).get("state").asString(), "on_site"::equals);
        assertThat(live.command(token, id, "complete", null).status()).isEqualTo(200);

        List<String> history = new ArrayList<>();
        api.get(INSTANCES + "/" + id + "/history")
                .bearer(token)
                .send()
                .json()
                .get("items")
                .forEach(h -> history.add(h.get("cause").asString() + ":"
                        + h.path("from").asString("-") + ">" + h.get("to").asString()));
        JsonNode ended = live.instance(token, id);

        Response simulated = api.post(SIMULATE)
                .bearer(token)
                .json(Map.of(
                        "definition", "mission",
                        "start",
                                Map.of(
                                        "at", before.toString(),
                                        "assets", Map.of("vehicle", vehicle),
                                        "zones", Map.of("depot", depot, "site", site)),
                        "inputs",
                                List.of(
                                        Map.of("command", "dispatch"),
                                        Map.of(
                                                "log",
                                                Map.of(
                                                        "from", before.toString(),
                                                        "to", t1.plusSeconds(60).toString())),
                                        Map.of("command", "complete"))))
                .send();
        assertThat(simulated.status()).as("%s", simulated).isEqualTo(200);
        List<String> applied = new ArrayList<>();
        simulated.json().get("trace").forEach(step -> {
            if (step.get("outcome").asString().equals("applied")) {
                applied.add(step.get("cause").asString() + ":"
                        + step.path("from").asString("-") + ">" + step.get("to").asString());
            }
        });
        assertThat(applied).isEqualTo(history);
        JsonNode end = simulated.json().get("end");
        for (String variable : List.of("departedAt", "arrivedAt", "arrivalEvent", "dispatchedBy")) {
            assertThat(end.get("variables").get(variable))
                    .as(variable)
                    .isEqualTo(ended.get("variables").get(variable));
        }
    }

    private Response publish(String token) {
        return api.post("/api/v1/workflows/definitions")
                .bearer(token)
                .body("application/yaml", WorkflowCalls.mission())
                .send();
    }
}
