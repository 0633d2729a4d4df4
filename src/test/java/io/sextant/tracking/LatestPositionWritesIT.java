package io.sextant.tracking;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.MeterRegistry;
import io.sextant.testing.ApiClient.Response;
import io.sextant.testing.SextantIT;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/**
 * Latest positions written behind ingest: reads on the node never lag, a start catches the table
 * up with the history from the oldest checkpoint, and the plain-insert fast path falls back to
 * the conflict path when a key it thought new was taken.
 */
class LatestPositionWritesIT extends SextantIT {

    @Autowired
    JdbcClient jdbc;

    @Autowired
    LatestPositionWrites latestWrites;

    @Autowired
    MeterRegistry meters;

    private static Map<String, Object> fix(String externalId, Instant time, double lon) {
        return Map.of("externalId", externalId, "time", time.toString(), "lon", lon, "lat", 50.0);
    }

    private Response ingest(String token, List<Map<String, Object>> positions) {
        Response response =
                api.post("/api/v1/positions").bearer(token).json(positions).send();
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        return response;
    }

    /** Every latest position of the tenant, page by page (two per page), by asset id. */
    private Map<String, Instant> latestPages(String token) {
        Map<String, Instant> latest = new HashMap<>();
        String cursor = null;
        do {
            Response page = api.get("/api/v1/positions/latest?limit=2" + (cursor == null ? "" : "&cursor=" + cursor))
                    .bearer(token)
                    .send();
            assertThat(page.status()).as(page.body()).isEqualTo(200);
            JsonNode body = page.json();
            body.get("features")
                    .forEach(feature -> assertThat(latest.put(
                                    feature.get("id").asString(),
                                    Instant.parse(feature.get("properties")
                                            .get("time")
                                            .asString())))
                            .as("each asset on one page only")
                            .isNull());
            JsonNode next = body.get("nextCursor");
            cursor = next == null || next.isNull() ? null : next.asString();
        } while (cursor != null);
        return latest;
    }

    private Map<String, Instant> latestRows(String tenantId) {
        Map<String, Instant> rows = new HashMap<>();
        jdbc.sql("select asset_id, event_time from latest_position where tenant_id = cast(:t as uuid)")
                .param("t", tenantId)
                .query(rs -> {
                    rows.put(rs.getString(1), rs.getTimestamp(2).toInstant());
                });
        return rows;
    }

    @Test
    void latest_positions_read_their_writes_on_every_page_whether_or_not_the_table_has_them_yet() {
        TenantFixture tenant = newTenant();
        Map<String, String> ids = new HashMap<>();
        for (int i = 0; i < 5; i++) {
            ids.put(
                    "car-" + i,
                    createAsset(tenant.adminToken(), "car-" + i, "vehicle", List.of())
                            .get("id")
                            .asString());
        }
        Instant t = Instant.now().minus(10, ChronoUnit.MINUTES).truncatedTo(ChronoUnit.MILLIS);
        // Three assets written to the table, then newer positions for one of them and two more
        // assets that wait in memory: the pages must show the newest of all five, each once.
        ingest(tenant.adminToken(), List.of(fix("car-0", t, 1), fix("car-1", t, 1), fix("car-2", t, 1)));
        latestWrites.flush();
        ingest(
                tenant.adminToken(),
                List.of(fix("car-1", t.plusSeconds(5), 2), fix("car-3", t, 3), fix("car-4", t.plusSeconds(9), 4)));
        // A late position is stored but never becomes latest, in memory or in the table.
        ingest(tenant.adminToken(), List.of(fix("car-4", t.plusSeconds(1), 5)));

        Map<String, Instant> expected = Map.of(
                ids.get("car-0"), t,
                ids.get("car-1"), t.plusSeconds(5),
                ids.get("car-2"), t,
                ids.get("car-3"), t,
                ids.get("car-4"), t.plusSeconds(9));
        assertThat(latestPages(tenant.adminToken())).isEqualTo(expected);

        latestWrites.flush();
        assertThat(latestRows(tenant.id())).as("the table, once written behind").isEqualTo(expected);
        assertThat(latestPages(tenant.adminToken())).isEqualTo(expected);
    }

    @Test
    void a_start_catches_the_table_up_with_the_history_received_since_the_oldest_checkpoint() {
        TenantFixture tenant = newTenant();
        UUID caughtUp = UUID.fromString(createAsset(tenant.adminToken(), "caught-up", "vehicle", List.of())
                .get("id")
                .asString());
        UUID untouched = UUID.fromString(createAsset(tenant.adminToken(), "untouched", "vehicle", List.of())
                .get("id")
                .asString());
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        Instant t = now.minus(2, ChronoUnit.HOURS);
        UUID tenantId = UUID.fromString(tenant.id());
        // What a node left behind when it was killed: history newer than the table, received after
        // its checkpoint. A second, idle checkpoint belongs to a node that stopped long ago.
        UUID killed = UUID.randomUUID();
        UUID stopped = UUID.randomUUID();
        jdbc.sql("""
                insert into latest_position_checkpoint (node, recover_from, updated_at) values
                    (:killed, :killedFrom, now()), (:stopped, :stoppedFrom, now() - interval '10 minutes')""")
                .param("killed", killed)
                .param("killedFrom", Timestamp.from(now.minusSeconds(30)))
                .param("stopped", stopped)
                .param("stoppedFrom", Timestamp.from(now.minusSeconds(40)))
                .update();
        for (UUID asset : List.of(caughtUp, untouched)) {
            latest(tenantId, asset, t, now.minus(1, ChronoUnit.HOURS));
        }
        history(tenantId, caughtUp, t.plusSeconds(60), now.minusSeconds(35));
        history(tenantId, caughtUp, t.plusSeconds(30), now.minusSeconds(20)); // late: never replaces
        // Received before every checkpoint: reflected in the table by the writes that made those
        // checkpoints (here deliberately not, to show the catch-up reads no further back).
        history(tenantId, untouched, t.plusSeconds(60), now.minusSeconds(120));

        latestWrites.catchUp();

        assertThat(latestRows(tenant.id()))
                .isEqualTo(Map.of(caughtUp.toString(), t.plusSeconds(60), untouched.toString(), t));
        List<UUID> nodes = jdbc.sql("select node from latest_position_checkpoint")
                .query(UUID.class)
                .list();
        assertThat(nodes)
                .as("the killed node's checkpoint stays; the idle one is forgotten")
                .contains(killed);
        assertThat(nodes).doesNotContain(stopped);
        jdbc.sql("delete from latest_position_checkpoint where node = :killed")
                .param("killed", killed)
                .update();
    }

    @Test
    void a_key_stored_behind_this_nodes_back_sends_the_group_to_the_conflict_path_and_it_is_a_duplicate() {
        TenantFixture tenant = newTenant();
        UUID asset = UUID.fromString(createAsset(tenant.adminToken(), "van", "vehicle", List.of())
                .get("id")
                .asString());
        Instant t = Instant.now().minus(10, ChronoUnit.MINUTES).truncatedTo(ChronoUnit.MILLIS);
        ingest(tenant.adminToken(), List.of(fix("van", t, 1)));
        // Another node stored t+10 s: this node's latest is still t, so the group looks all new.
        history(UUID.fromString(tenant.id()), asset, t.plusSeconds(10), Instant.now());
        double rewrittenBefore = meters.counter("sextant.ingest.rewritten").count();

        Response response = ingest(
                tenant.adminToken(),
                List.of(
                        fix("van", t.plusSeconds(5), 2),
                        fix("van", t.plusSeconds(10), 3),
                        fix("van", t.plusSeconds(20), 4)));

        List<String> statuses = new ArrayList<>();
        response.json()
                .get("items")
                .forEach(item -> statuses.add(item.get("status").asString()));
        assertThat(statuses).containsExactly("accepted", "duplicate", "accepted");
        assertThat(meters.counter("sextant.ingest.rewritten").count()).isEqualTo(rewrittenBefore + 1);
        assertThat(jdbc.sql("select lon from position where asset_id = :a and event_time = :t")
                        .param("a", asset)
                        .param("t", Timestamp.from(t.plusSeconds(10)))
                        .query(Double.class)
                        .single())
                .as("the stored position is kept unchanged")
                .isEqualTo(9.0);
        assertThat(jdbc.sql("select count(*) from position where asset_id = :a")
                        .param("a", asset)
                        .query(Long.class)
                        .single())
                .isEqualTo(4);
    }

    private void latest(UUID tenant, UUID asset, Instant time, Instant receivedAt) {
        jdbc.sql("""
                insert into latest_position (tenant_id, asset_id, event_time, received_at, lon, lat)
                values (:tenant, :asset, :time, :received, 9, 50)
                on conflict (tenant_id, asset_id) do update set event_time = excluded.event_time""")
                .param("tenant", tenant)
                .param("asset", asset)
                .param("time", Timestamp.from(time))
                .param("received", Timestamp.from(receivedAt))
                .update();
    }

    private void history(UUID tenant, UUID asset, Instant time, Instant receivedAt) {
        jdbc.sql("""
                insert into position (tenant_id, asset_id, event_time, received_at, lon, lat)
                values (:tenant, :asset, :time, :received, 9, 50)""")
                .param("tenant", tenant)
                .param("asset", asset)
                .param("time", Timestamp.from(time))
                .param("received", Timestamp.from(receivedAt))
                .update();
    }
}
