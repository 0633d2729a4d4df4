package io.sextant.tracking;

import static org.assertj.core.api.Assertions.assertThat;

import io.sextant.shared.TenantContext;
import io.sextant.shared.geo.BoundingBox;
import io.sextant.testing.SextantIT;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The area-and-window query reaches its rows through the (tenant, cell, time) index under row-level
 * security, as every tenant query runs: PostgreSQL uses a condition as an index condition under a
 * policy only when it is leakproof, and the cell expression of V3 was not (it read the tenant's whole
 * time window, 0.4 s where the index takes 10 ms). Sequential scans are disabled so that the plan
 * shows what the index can be used for, whatever the size of the test table.
 */
class AreaQueryPlanIT extends SextantIT {

    @Autowired
    JdbcClient jdbc;

    @Autowired
    TransactionTemplate transactions;

    @Test
    void under_the_tenant_policy_the_cells_of_an_area_query_are_an_index_condition() {
        Instant to = Instant.now();
        PositionQueryRepository.Statement query = PositionQueryRepository.areaQuery(
                UUID.randomUUID(),
                List.of(new BoundingBox(2.30, 48.80, 2.40, 48.90)),
                to.minusSeconds(3 * 3600),
                to,
                null,
                false,
                null,
                1001);

        String plan = TenantContext.callAs(
                UUID.randomUUID(),
                () -> transactions.execute(status -> {
                    String role =
                            jdbc.sql("select current_user").query(String.class).single();
                    assertThat(role)
                            .as("tenant queries run as the role the policy applies to")
                            .isEqualTo("sextant_tenant");
                    jdbc.sql("set local enable_seqscan = off").update();
                    return String.join(
                            "\n",
                            jdbc.sql("explain " + query.sql())
                                    .params(query.params())
                                    .query(String.class)
                                    .list());
                }));

        assertThat(plan).contains("Index Scan");
        assertThat(plan.lines().filter(l -> l.contains("Index Cond")))
                .as("the index conditions of:\n%s", plan)
                .isNotEmpty()
                .allMatch(l -> l.contains("cell = ANY"));
    }
}
