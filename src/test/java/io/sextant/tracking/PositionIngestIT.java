package io.sextant.tracking;

import static org.assertj.core.api.Assertions.assertThat;

import io.sextant.testing.ApiClient.Response;
import io.sextant.testing.SextantIT;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

class PositionIngestIT extends SextantIT {

    @Autowired
    JdbcClient jdbc;

    @Autowired
    LatestPositionWrites latestWrites;

    private static Map<String, Object> fix(String externalId, Instant time, double lon, double lat) {
        return Map.of("externalId", externalId, "time", time.toString(), "lon", lon, "lat", lat);
    }

    private long stored(String tenantId) {
        return jdbc.sql("select count(*) from position where tenant_id = cast(:t as uuid)")
                .param("t", tenantId)
                .query(Long.class)
                .single();
    }

    @Test
    void a_json_batch_reports_every_items_outcome_and_stores_each_valid_position_once() {
        TenantFixture tenant = newTenant();
        createAsset(tenant.adminToken(), "truck-1", "vehicle", List.of());
        Instant t = Instant.now().minus(10, ChronoUnit.MINUTES).truncatedTo(ChronoUnit.MILLIS);
        List<Object> batch = List.of(
                fix("truck-1", t, 2.35, 48.85),
                fix("truck-1", t.plusSeconds(5), 2.36, 48.86),
                fix("truck-1", t, 2.35, 48.85),
                fix("ghost", t, 2.35, 48.85),
                fix("truck-1", t.plusSeconds(10), 200, 48.85),
                fix("truck-1", Instant.now().plus(1, ChronoUnit.HOURS), 2.35, 48.85),
                Map.of("externalId", "truck-1", "lon", 1, "lat", 1));

        Response response = api.post("/api/v1/positions")
                .bearer(tenant.adminToken())
                .json(batch)
                .send();
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        JsonNode body = response.json();
        assertThat(body.get("accepted").asInt()).isEqualTo(2);
        assertThat(body.get("duplicates").asInt()).isEqualTo(1);
        assertThat(body.get("rejected").asInt()).isEqualTo(4);
        List<String> statuses = new ArrayList<>();
        body.get("items").forEach(item -> statuses.add(item.get("status").asString()));
        assertThat(statuses)
                .containsExactly("accepted", "accepted", "duplicate", "rejected", "rejected", "rejected", "rejected");
        assertThat(body.get("items").get(3).get("reason").asString()).contains("unknown asset");
        assertThat(body.get("items").get(4).get("reason").asString()).contains("lon");
        assertThat(body.get("items").get(5).get("reason").asString()).contains("future");
        assertThat(body.get("items").get(6).get("reason").asString()).contains("time");
        assertThat(stored(tenant.id())).isEqualTo(2);

        Response again = api.post("/api/v1/positions")
                .bearer(tenant.adminToken())
                .json(batch.subList(0, 2))
                .send();
        assertThat(again.json().get("duplicates").asInt()).isEqualTo(2);
        assertThat(stored(tenant.id())).isEqualTo(2);
    }

    @Test
    void with_prefer_return_minimal_the_receipt_lists_only_the_items_not_accepted() {
        TenantFixture tenant = newTenant();
        createAsset(tenant.adminToken(), "van-1", "vehicle", List.of());
        Instant t = Instant.now().minus(10, ChronoUnit.MINUTES).truncatedTo(ChronoUnit.MILLIS);
        List<Object> batch = List.of(
                fix("van-1", t, 2.35, 48.85),
                fix("ghost", t, 2.35, 48.85),
                fix("van-1", t.plusSeconds(5), 2.36, 48.86),
                fix("van-1", t, 2.35, 48.85));

        Response response = api.post("/api/v1/positions")
                .bearer(tenant.adminToken())
                .header("Prefer", "handling=lenient, return=minimal")
                .json(batch)
                .send();

        assertThat(response.status()).as(response.body()).isEqualTo(200);
        assertThat(response.header("Preference-Applied")).isEqualTo("return=minimal");
        JsonNode body = response.json();
        assertThat(body.get("accepted").asInt()).isEqualTo(2);
        assertThat(body.get("duplicates").asInt()).isEqualTo(1);
        assertThat(body.get("rejected").asInt()).isEqualTo(1);
        List<String> items = new ArrayList<>();
        body.get("items")
                .forEach(item -> items.add(
                        item.get("index").asInt() + ":" + item.get("status").asString()));
        assertThat(items).containsExactly("1:rejected", "3:duplicate");
        assertThat(stored(tenant.id())).isEqualTo(2);

        Response full = api.post("/api/v1/positions")
                .bearer(tenant.adminToken())
                .header("Prefer", "return=representation")
                .json(batch.subList(0, 1))
                .send();
        assertThat(full.header("Preference-Applied")).isNull();
        assertThat(full.json().get("items")).hasSize(1);
    }

    @Test
    void ndjson_and_geojson_batches_land_as_positions() {
        TenantFixture tenant = newTenant();
        String assetId = createAsset(tenant.adminToken(), "drone-1", "drone", List.of())
                .get("id")
                .asString();
        Instant t = Instant.now().minus(1, ChronoUnit.MINUTES).truncatedTo(ChronoUnit.MILLIS);
        String ndjson = "{\"assetId\":\"" + assetId + "\",\"time\":\"" + t
                + "\",\"lon\":10.0,\"lat\":50.0,\"speed\":3.5}\n"
                + "\n"
                + "not json\n"
                + "{\"externalId\":\"drone-1\",\"time\":\"" + t.plusSeconds(1) + "\",\"lon\":10.001,\"lat\":50.001}\n";
        Response streamed = api.post("/api/v1/positions")
                .bearer(tenant.adminToken())
                .body("application/x-ndjson", ndjson)
                .send();
        assertThat(streamed.status()).isEqualTo(200);
        assertThat(streamed.json().get("accepted").asInt()).isEqualTo(2);
        assertThat(streamed.json().get("items").get(1).get("reason").asString()).contains("line 3");

        String geojson = """
                {"type":"FeatureCollection","features":[
                  {"type":"Feature","geometry":{"type":"Point","coordinates":[10.002,50.002,120.5]},
                   "properties":{"externalId":"drone-1","time":"%s","battery":0.8}},
                  {"type":"Feature","geometry":{"type":"LineString","coordinates":[[0,0],[1,1]]},"properties":{}}
                ]}""".formatted(t.plusSeconds(2));
        Response features = api.post("/api/v1/positions")
                .bearer(tenant.adminToken())
                .body("application/geo+json", geojson)
                .send();
        assertThat(features.status()).isEqualTo(200);
        assertThat(features.json().get("accepted").asInt()).isEqualTo(1);
        assertThat(features.json().get("rejected").asInt()).isEqualTo(1);
        var row = jdbc.sql("select altitude, attributes::text as a from position where asset_id = cast(:a as uuid)"
                        + " and event_time = cast(:t as timestamptz)")
                .param("a", assetId)
                .param("t", t.plusSeconds(2).toString())
                .query((rs, n) -> List.of(rs.getDouble(1), rs.getString(2)))
                .single();
        assertThat((Double) row.get(0)).isEqualTo(120.5);
        assertThat((String) row.get(1)).contains("battery");
        assertThat(stored(tenant.id())).isEqualTo(3);
    }

    @Test
    void a_late_position_is_stored_but_never_replaces_a_newer_latest_position() {
        TenantFixture tenant = newTenant();
        String assetId = createAsset(tenant.adminToken(), "van-9", "vehicle", List.of())
                .get("id")
                .asString();
        Instant t = Instant.now().minus(30, ChronoUnit.MINUTES).truncatedTo(ChronoUnit.MILLIS);
        api.post("/api/v1/positions")
                .bearer(tenant.adminToken())
                .json(List.of(fix("van-9", t, 1, 1)))
                .send();
        api.post("/api/v1/positions")
                .bearer(tenant.adminToken())
                .json(List.of(fix("van-9", t.minusSeconds(600), 5, 5)))
                .send();
        latestWrites.flush(); // the table is written behind ingest
        var latest = jdbc.sql("select lon, event_time from latest_position where asset_id = cast(:a as uuid)")
                .param("a", assetId)
                .query((rs, n) -> List.of(rs.getDouble(1), rs.getTimestamp(2).toInstant()))
                .single();
        assertThat((Double) latest.get(0)).isEqualTo(1.0);
        assertThat((Instant) latest.get(1)).isEqualTo(t);
        assertThat(stored(tenant.id())).isEqualTo(2);
    }

    @Test
    void concurrent_batches_are_group_committed_and_all_acknowledged_positions_are_stored() throws Exception {
        TenantFixture tenant = newTenant();
        for (int a = 0; a < 4; a++) {
            createAsset(tenant.adminToken(), "bot-" + a, "robot", List.of());
        }
        Instant base = Instant.now().minus(2, ChronoUnit.HOURS).truncatedTo(ChronoUnit.MILLIS);
        ExecutorService clients = Executors.newFixedThreadPool(8);
        List<Future<Integer>> results = new ArrayList<>();
        for (int c = 0; c < 8; c++) {
            int client = c;
            Callable<Integer> send = () -> {
                List<Object> batch = new ArrayList<>();
                for (int i = 0; i < 250; i++) {
                    batch.add(fix(
                            "bot-" + (i % 4),
                            base.plusMillis(client * 1000L + i * 4L + (i % 4)),
                            0.001 * i,
                            0.001 * client));
                }
                Response response = api.post("/api/v1/positions")
                        .bearer(tenant.adminToken())
                        .json(batch)
                        .send();
                return response.json().get("accepted").asInt();
            };
            results.add(clients.submit(send));
        }
        int accepted = 0;
        for (Future<Integer> result : results) {
            accepted += result.get();
        }
        clients.shutdown();
        assertThat(accepted).isEqualTo(2000);
        assertThat(stored(tenant.id())).isEqualTo(2000);
    }

    /**
     * New positions are copied by several groups at once; late and re-sent ones are written by a
     * group alone. Clients here race the same keys across two daily partitions, new and re-sent
     * mixed: every request must be answered 200 (a deadlock between groups would fail one), and
     * each key is stored once and counted accepted exactly once.
     */
    @Test
    void racing_the_same_new_and_resent_keys_across_two_days_stores_each_once_and_fails_no_request() throws Exception {
        TenantFixture tenant = newTenant();
        int assets = 6;
        for (int a = 0; a < assets; a++) {
            createAsset(tenant.adminToken(), "racer-" + a, "robot", List.of());
        }
        // Keys straddle the last midnight (UTC), so a group copies into two partitions.
        Instant midnight = Instant.now().truncatedTo(ChronoUnit.DAYS);
        ExecutorService clients = Executors.newFixedThreadPool(8);
        int rounds = 6;
        int perAsset = 40;
        List<Future<int[]>> results = new ArrayList<>();
        for (int c = 0; c < 8; c++) {
            int client = c;
            results.add(clients.submit(() -> {
                int accepted = 0;
                int duplicates = 0;
                for (int round = 0; round < rounds; round++) {
                    List<Object> batch = new ArrayList<>();
                    // Clients in pairs send the same new keys of a round; every round also re-sends
                    // the previous round's keys (late for the assets by then: the conflict path).
                    for (int r = Math.max(0, round - 1); r <= round; r++) {
                        for (int a = client % 2; a < assets; a += 2) {
                            for (int i = 0; i < perAsset; i++) {
                                Instant time = midnight.minusSeconds(rounds * perAsset / 2)
                                        .plusSeconds((long) r * perAsset + i);
                                batch.add(fix("racer-" + a, time, 0.001 * i, 0.001 * a));
                            }
                        }
                    }
                    Response response = api.post("/api/v1/positions")
                            .bearer(tenant.adminToken())
                            .json(batch)
                            .send();
                    assertThat(response.status()).as(response.body()).isEqualTo(200);
                    accepted += response.json().get("accepted").asInt();
                    duplicates += response.json().get("duplicates").asInt();
                }
                return new int[] {accepted, duplicates};
            }));
        }
        int accepted = 0;
        int sent = 0;
        for (Future<int[]> result : results) {
            int[] counts = result.get();
            accepted += counts[0];
            sent += counts[0] + counts[1];
        }
        clients.shutdown();
        int keys = assets * rounds * perAsset;
        assertThat(sent).isEqualTo(8 * (3 * perAsset) * (2 * rounds - 1));
        assertThat(stored(tenant.id())).isEqualTo(keys);
        assertThat(accepted).isEqualTo(keys);
    }

    @Test
    void a_batch_over_the_count_limit_is_413_and_stores_nothing() {
        TenantFixture tenant = newTenant();
        createAsset(tenant.adminToken(), "x-1", "vehicle", List.of());
        Instant t = Instant.now().minus(1, ChronoUnit.HOURS);
        List<Object> batch = new ArrayList<>();
        for (int i = 0; i < 10_001; i++) {
            batch.add(fix("x-1", t.plusMillis(i), 1, 1));
        }
        Response response = api.post("/api/v1/positions")
                .bearer(tenant.adminToken())
                .json(batch)
                .send();
        assertThat(response.status()).as(response.body()).isEqualTo(413);
        assertThat(response.isProblem()).isTrue();
        assertThat(stored(tenant.id())).isZero();
    }

    @Test
    void a_body_that_is_not_a_batch_is_400_and_a_reader_without_positions_write_is_403() {
        TenantFixture tenant = newTenant();
        Response notArray = api.post("/api/v1/positions")
                .bearer(tenant.adminToken())
                .body("application/json", "{\"lon\":1}")
                .send();
        assertThat(notArray.status()).isEqualTo(400);
        assertThat(notArray.isProblem()).isTrue();

        String key = api.post("/api/v1/api-keys")
                .bearer(tenant.adminToken())
                .json(Map.of("name", "reader", "permissions", List.of("positions:read")))
                .send()
                .json()
                .get("token")
                .asString();
        Response denied =
                api.post("/api/v1/positions").bearer(key).json(List.of()).send();
        assertThat(denied.status()).isEqualTo(403);
    }

    @Test
    void a_tenant_that_enables_auto_registration_gets_unknown_devices_registered_on_first_position() {
        TenantFixture tenant = newTenant();
        TenantFixture stranger = newTenant();
        String settings = "/api/v1/tenants/" + tenant.id() + "/settings";
        assertThat(api.get(settings)
                        .bearer(tenant.adminToken())
                        .send()
                        .json()
                        .get("autoRegisterAssets")
                        .asBoolean())
                .isFalse();
        Instant t = Instant.now().minus(1, ChronoUnit.MINUTES);
        Response refused = api.post("/api/v1/positions")
                .bearer(tenant.adminToken())
                .json(List.of(fix("phone-42", t, 3, 3)))
                .send();
        assertThat(refused.json().get("rejected").asInt()).isEqualTo(1);

        Response changed = api.put(settings)
                .bearer(tenant.adminToken())
                .json(Map.of("positionRetention", "P30D", "autoRegisterAssets", true))
                .send();
        assertThat(changed.status()).as(changed.body()).isEqualTo(200);
        assertThat(changed.json().get("autoRegisterAssets").asBoolean()).isTrue();

        Response accepted = api.post("/api/v1/positions")
                .bearer(tenant.adminToken())
                .json(List.of(
                        fix("phone-42", t, 3, 3), fix("phone-42", t.plusSeconds(1), 3, 3), fix("bad id!", t, 3, 3)))
                .send();
        assertThat(accepted.json().get("accepted").asInt()).isEqualTo(2);
        assertThat(accepted.json().get("items").get(2).get("status").asString()).isEqualTo("rejected");
        JsonNode registered = api.get("/api/v1/assets?type=unregistered")
                .bearer(tenant.adminToken())
                .send()
                .json();
        assertThat(registered.get("items").size()).isEqualTo(1);
        assertThat(registered.get("items").get(0).get("externalId").asString()).isEqualTo("phone-42");

        assertThat(api.get(settings).bearer(stranger.adminToken()).send().status())
                .isEqualTo(404);
        Response tooShort = api.put(settings)
                .bearer(tenant.adminToken())
                .json(Map.of("positionRetention", "PT1H", "autoRegisterAssets", true))
                .send();
        assertThat(tooShort.status()).isEqualTo(400);
        assertThat(tooShort.json().get("errors").get(0).get("field").asString()).isEqualTo("positionRetention");
    }

    @Test
    void an_asset_this_node_has_not_heard_of_is_found_in_the_database_and_a_vanished_one_fails_nothing() {
        TenantFixture tenant = newTenant();
        // Written behind this node's back, as another node would: no event reaches its catalog.
        // (The other node's tracking records the asset in the same transaction, as here.)
        jdbc.sql("""
                insert into asset (id, tenant_id, external_id, name, type)
                values (gen_random_uuid(), cast(:t as uuid), 'elsewhere-1', 'Elsewhere', 'vehicle')""").param("t", tenant.id()).update();
        jdbc.sql("""
                insert into tracked_asset (asset_id, tenant_id)
                select id, tenant_id from asset where external_id = 'elsewhere-1' and tenant_id = cast(:t as uuid)""").param("t", tenant.id()).update();
        String gone = createAsset(tenant.adminToken(), "gone-1", "vehicle", List.of())
                .get("id")
                .asString();
        jdbc.sql("delete from asset where id = cast(:id as uuid)")
                .param("id", gone)
                .update();

        Instant t = Instant.now().minus(1, ChronoUnit.MINUTES);
        Response response = api.post("/api/v1/positions")
                .bearer(tenant.adminToken())
                .json(List.of(fix("elsewhere-1", t, 1, 1), fix("gone-1", t, 2, 2)))
                .send();
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        assertThat(response.json().get("items").get(0).get("status").asString()).isEqualTo("accepted");
        latestWrites.flush(); // the table is written behind ingest
        assertThat(jdbc.sql("select count(*) from latest_position where tenant_id = cast(:t as uuid)")
                        .param("t", tenant.id())
                        .query(Long.class)
                        .single())
                .as("a latest position only for the asset that still exists")
                .isEqualTo(1);
    }
}
