package io.sextant.tracking;

import static org.assertj.core.api.Assertions.assertThat;

import io.sextant.shared.TenantContext;
import io.sextant.shared.geo.BoundingBox;
import io.sextant.testing.SextantIT;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The area-and-window query reaches its rows through the (tenant, cell, time) index under row-level
 * security, as every tenant query runs: PostgreSQL uses a condition as an index condition under a
 * policy only when it is leakproof, and the cell expression of V3 was not (it read the tenant's whole
 * time window, 0.4 s where the index takes 10 ms); and a track reaches its rows through the primary
 * key (asset, event time).
 */
class AreaQueryPlanIT extends SextantIT {

    @Autowired
    JdbcClient jdbc;

    @Autowired
    TransactionTemplate transactions;

    @Test
    void under_the_tenant_policy_the_cells_of_an_area_query_are_an_index_condition() {
        UUID tenant = UUID.randomUUID();
        // Twenty thousand positions of the tenant over 5° × 5° (about 10,000 cells) in the last
        // minute, analysed, so that the planner weighs the cells as it does on real data (on an
        // empty table every plan costs the same and it may pick any).
        insertAndAnalyze(
                "select :tenant, gen_random_uuid(), now() - random() * interval '1 minute', now(),"
                        + " 0 + random() * 5, 45 + random() * 5 from generate_series(1, 20000)",
                Map.of("tenant", tenant));
        Instant to = Instant.now().plusSeconds(60);
        List<BoundingBox> area = List.of(new BoundingBox(2.30, 47.80, 2.40, 47.90));
        // Where the data is: a window reaching into yesterday's daily partition, empty of this
        // tenant, lets the planner pick any index there (it did, just after midnight).
        Instant from = to.minusSeconds(180);
        PositionQueryRepository.HistoryCursor page2 =
                new PositionQueryRepository.HistoryCursor(to.minusSeconds(90), UUID.randomUUID());
        // In time order, and in asset order on its first and a later page: since V23 the primary key
        // is (asset, event time), which an asset-ordered keyset could tempt the planner to walk in
        // order across every tenant's rows; the cells stay the index condition.
        List<PositionQueryRepository.Statement> queries = List.of(
                PositionQueryRepository.areaQuery(tenant, area, from, to, null, false, null, 1001),
                PositionQueryRepository.areaQuery(tenant, area, from, to, null, true, null, 1001),
                PositionQueryRepository.areaQuery(tenant, area, from, to, null, true, page2, 1001));

        List<String> plans = TenantContext.callAs(
                UUID.randomUUID(),
                () -> transactions.execute(status -> {
                    String role =
                            jdbc.sql("select current_user").query(String.class).single();
                    assertThat(role)
                            .as("tenant queries run as the role the policy applies to")
                            .isEqualTo("sextant_tenant");
                    return queries.stream().map(this::explain).toList();
                }));
        deleteTenant(tenant);

        for (String plan : plans) {
            assertThat(plan).as(plan).contains("Index Scan");
            assertThat(plan.lines().filter(l -> l.contains("Index Cond")))
                    .as("the index conditions of:\n%s", plan)
                    .isNotEmpty()
                    .allMatch(l -> l.contains("cell = ANY"));
        }
    }

    @Test
    void under_the_tenant_policy_a_track_is_a_range_of_the_primary_key() {
        UUID tenant = UUID.randomUUID();
        UUID asset = UUID.randomUUID();
        // Twenty thousand positions of two hundred assets in the last minute, the tracked asset's
        // among them, analysed (V23 keyed the history by (asset, event time) without the tenant).
        insertAndAnalyze(
                "select :tenant, case when g % 200 = 0 then :asset else md5(cast(:tenant as text) || (g % 200))::uuid end,"
                        + " now() - (g || ' ms')::interval, now(), random() * 5, 45 + random() * 5"
                        + " from generate_series(1, 20000) g",
                Map.of("tenant", tenant, "asset", asset));
        Instant to = Instant.now().plusSeconds(60);

        PositionQueryRepository.Statement track = new PositionQueryRepository.Statement(
                PositionQueryRepository.TRACK,
                Map.of(
                        "tenantId",
                        tenant,
                        "assetId",
                        asset,
                        "from",
                        Timestamp.from(to.minusSeconds(180)),
                        "to",
                        Timestamp.from(to),
                        "limit",
                        1000));

        String plan = TenantContext.callAs(tenant, () -> transactions.execute(status -> explain(track)));
        deleteTenant(tenant);

        assertThat(plan).as(plan).contains("position_").contains("_pkey");
        assertThat(plan.lines().filter(l -> l.contains("Index Cond")))
                .as("the index conditions of:\n%s", plan)
                .isNotEmpty()
                .allMatch(l -> l.contains("asset_id =") && l.contains("event_time >="));
    }

    /** Inserts the rows {@code select} yields (tenant, asset, event time, received, lon, lat), then analyses. */
    private void insertAndAnalyze(String select, Map<String, ?> params) {
        TenantContext.callAsSystem(() -> transactions.execute(status -> {
            jdbc.sql("insert into position (tenant_id, asset_id, event_time, received_at, lon, lat) " + select)
                    .params(params)
                    .update();
            return jdbc.sql("analyze position").update();
        }));
    }

    /** The plan of a statement, in the caller's transaction. */
    private String explain(PositionQueryRepository.Statement query) {
        return String.join(
                "\n",
                jdbc.sql("explain " + query.sql())
                        .params(query.params())
                        .query(String.class)
                        .list());
    }

    private void deleteTenant(UUID tenant) {
        TenantContext.callAsSystem(
                () -> transactions.execute(status -> jdbc.sql("delete from position where tenant_id = :tenant")
                        .param("tenant", tenant)
                        .update()));
    }
}
