package io.sextant.workflow;

import static io.sextant.workflow.WorkflowCalls.INSTANCES;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sextant.testing.ApiClient.Response;
import io.sextant.testing.SextantIT;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Value;
import tools.jackson.databind.JsonNode;

/**
 * Random missions run live — commands over HTTP, the vehicle's fixes through ingest, the fence
 * engine's events through the durable consumer — and then simulated from the same commands and the
 * stretches of the real log between them: the simulation applies and refuses what the live engine
 * applied and refused, in the same order, and ends with the same event-derived variables. Fixes
 * also arrive late, among those already sent, so the fence engine corrects the past and the log's
 * order differs from the order of event time; an arrival moved earlier by a late fix takes the
 * mission's correction path. Each run is named by its seed, so a failure is replayed by that seed.
 */
class WorkflowLiveAgainstSimulationIT extends SextantIT {

    private static final int RUNS = 20;
    private static final int STEPS = 14;
    private static final String SIMULATE = WorkflowCalls.DEFINITIONS + "/simulate";

    private static final double[] DEPOT_INSIDE = {10.005, 50.005};
    private static final double[] BETWEEN = {10.05, 50.005};
    private static final double[] SITE_INSIDE = {10.105, 50.005};
    private static final double[] AWAY = {10.2, 50.05};

    /** Where the vehicle may be. */
    private static final List<double[]> PLACES = List.of(DEPOT_INSIDE, BETWEEN, SITE_INSIDE, AWAY);

    /** Late fixes sent over all runs. */
    private int late;

    @Value("${sextant.db.url}")
    String databaseUrl;

    @Test
    void random_commands_and_moves_take_the_live_engine_where_the_simulation_of_its_log_goes() {
        String token = newTenant().adminToken();
        WorkflowCalls calls = new WorkflowCalls(api);
        assertThat(calls.publish(token, WorkflowCalls.mission()).status()).isEqualTo(201);
        String depot = calls.square(token, "Depot", 10.0, 50.0);
        String site = calls.square(token, "Site", 10.1, 50.0);

        List<String> moved = new ArrayList<>();
        for (long seed = 1; seed <= RUNS; seed++) {
            moved.addAll(run(seed, token, calls, depot, site));
        }
        // the runs went somewhere: the property is not checked on missions that never left the plan
        assertThat(moved).contains("planned>dispatched", "dispatched>en_route", "en_route>on_site", "on_site>on_site");
        assertThat(late).as("late fixes sent").isGreaterThan(3);
    }

    /** One random mission, live and simulated; the moves it made as from>to. */
    private List<String> run(long seed, String token, WorkflowCalls calls, String depot, String site) {
        Random random = new Random(seed);
        String externalId = "van-" + seed + "-" + random.nextInt(1_000_000);
        String vehicle =
                createAsset(token, externalId, "van", List.of()).get("id").asString();
        Instant time = Instant.now().truncatedTo(ChronoUnit.SECONDS).minusSeconds(300);
        double[] first = place(random);
        calls.fix(token, externalId, time, first[0], first[1]);
        awaitConsumed();
        String id = calls.startMission(token, vehicle, depot, site);

        List<Map<String, Object>> inputs = new ArrayList<>();
        List<String> liveCommands = new ArrayList<>();
        Instant boundary = time.plusMillis(1);
        Instant lastFix = time;
        boolean moving = false;
        for (int step = 0; step < STEPS; step++) {
            if (random.nextDouble() < 0.3) {
                if (moving) {
                    inputs.add(log(boundary, lastFix.plusMillis(1)));
                    boundary = lastFix.plusMillis(1);
                    moving = false;
                }
                double pick = random.nextDouble();
                String command = pick < 0.6 ? "dispatch" : pick < 0.9 ? "complete" : "abort";
                Response response = calls.command(token, id, command, null);
                assertThat(response.status()).as("seed %d: %s", seed, response).isIn(200, 409);
                liveCommands.add(command + ":" + (response.status() == 200 ? "applied" : "rejected"));
                inputs.add(Map.of("command", command));
            } else {
                long sinceBoundary = Duration.between(boundary, lastFix).toSeconds();
                Instant at;
                if (moving && random.nextDouble() < 0.3) {
                    // a late fix among the fixes since the last command (often just before the
                    // latest, where it may move an arrival earlier): the fence engine corrects the
                    // past (sextant.fence.corrected), and the log's order is no longer the order
                    // of event time
                    at = sinceBoundary <= 20 || random.nextBoolean()
                            ? lastFix.minusSeconds(13)
                            : boundary.plusSeconds(1 + random.nextLong(sinceBoundary - 1) / 20 * 20 + 7);
                    late++;
                    if (random.nextBoolean()) {
                        calls.fix(token, externalId, at, SITE_INSIDE[0], SITE_INSIDE[1]);
                        awaitConsumed();
                        continue;
                    }
                } else {
                    lastFix = lastFix.plusSeconds(20);
                    at = lastFix;
                }
                double[] place = place(random);
                calls.fix(token, externalId, at, place[0], place[1]);
                awaitConsumed();
                moving = true;
                if (at.equals(lastFix)
                        && at.toString()
                                .equals(calls.instance(token, id)
                                        .path("variables")
                                        .path("arrivedAt")
                                        .asString(""))
                        && random.nextDouble() < 0.7) {
                    // that fix brought the mission on site: a late fix shows the van arrived
                    // earlier, and the correction retracts the arrival and asserts another
                    calls.fix(token, externalId, lastFix.minusSeconds(13), SITE_INSIDE[0], SITE_INSIDE[1]);
                    awaitConsumed();
                    late++;
                }
            }
        }
        if (moving) {
            inputs.add(log(boundary, lastFix.plusMillis(1)));
        }

        List<String> liveMoves = history(token, id);
        JsonNode ended = calls.instance(token, id);
        Response simulated = api.post(SIMULATE)
                .bearer(token)
                .json(Map.of(
                        "definition",
                        "mission",
                        "start",
                        Map.of(
                                "at", time.toString(),
                                "assets", Map.of("vehicle", vehicle),
                                "zones", Map.of("depot", depot, "site", site)),
                        "inputs",
                        inputs))
                .send();
        assertThat(simulated.status()).as("seed %d: %s", seed, simulated).isEqualTo(200);

        List<String> simulatedMoves = new ArrayList<>();
        List<String> simulatedCommands = new ArrayList<>();
        simulated.json().get("trace").forEach(entry -> {
            String cause = entry.get("cause").asString();
            boolean applied = entry.get("outcome").asString().equals("applied");
            if (applied) {
                simulatedMoves.add(cause + ":" + entry.path("from").asString("-") + ">"
                        + entry.get("to").asString());
            }
            if (cause.startsWith("command ")) {
                simulatedCommands.add(cause.substring("command ".length()) + ":" + (applied ? "applied" : "rejected"));
            }
        });
        assertThat(simulatedMoves).as("seed %d: the moves", seed).isEqualTo(liveMoves);
        assertThat(simulatedCommands).as("seed %d: the commands", seed).isEqualTo(liveCommands);
        JsonNode end = simulated.json().get("end");
        assertThat(end.get("state").asString())
                .as("seed %d", seed)
                .isEqualTo(ended.get("state").asString());
        for (String variable : List.of("departedAt", "arrivedAt", "arrivalEvent", "dispatchedBy")) {
            assertThat(end.get("variables").get(variable))
                    .as("seed %d: %s", seed, variable)
                    .isEqualTo(ended.get("variables").get(variable));
        }
        return liveMoves.stream()
                .map(move -> move.substring(move.indexOf(':') + 1))
                .toList();
    }

    private static double[] place(Random random) {
        return PLACES.get(random.nextInt(PLACES.size()));
    }

    private static Map<String, Object> log(Instant from, Instant to) {
        return Map.of("log", Map.of("from", from.toString(), "to", to.toString()));
    }

    private List<String> history(String token, String id) {
        List<String> moves = new ArrayList<>();
        Response history = api.get(INSTANCES + "/" + id + "/history?limit=100")
                .bearer(token)
                .send();
        assertThat(history.status()).as("%s", history).isEqualTo(200);
        history.json()
                .get("items")
                .forEach(entry -> moves.add(
                        entry.get("cause").asString() + ":" + entry.path("from").asString("-") + ">"
                                + entry.get("to").asString()));
        return moves;
    }

    /** Until the workflow consumer has read every event in the log (as the database owner, past RLS). */
    private void awaitConsumed() {
        await().atMost(Duration.ofSeconds(20))
                .pollInterval(Duration.ofMillis(20))
                .until(this::consumed);
    }

    private boolean consumed() throws SQLException {
        try (Connection connection = DriverManager.getConnection(databaseUrl);
                Statement statement = connection.createStatement();
                ResultSet unread = statement.executeQuery(
                        "select not exists (select 1 from event e, event_consumer c where c.name = '"
                                + WorkflowEventConsumer.NAME + "' and (e.xid, e.seq) > (c.xid, c.seq))")) {
            unread.next();
            return unread.getBoolean(1);
        }
    }
}
