package io.sextant.tracking;

import static org.assertj.core.api.Assertions.assertThat;

import io.sextant.shared.TenantContext;
import io.sextant.testing.SextantIT;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

class PartitionMaintenanceIT extends SextantIT {

    @Autowired
    PartitionMaintenance maintenance;

    @Autowired
    PositionRepository repository;

    @Autowired
    JdbcClient jdbc;

    @Test
    void daily_partitions_exist_from_yesterday_to_the_configured_days_ahead() {
        // A run of the maintenance (at start, then hourly) covers the days around its own date; run
        // it now, so a test that crosses midnight after the start asks about the day it runs in.
        maintenance.maintain();
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        Set<LocalDate> days = TenantContext.callAsSystem(repository::partitionDays);
        assertThat(days).contains(today.minusDays(1), today, today.plusDays(1), today.plusDays(2), today.plusDays(3));
    }

    @Test
    void a_day_past_every_tenants_retention_is_dropped_and_a_shorter_retention_trims_its_tenant() {
        LocalDate ancient = LocalDate.now(ZoneOffset.UTC).minusDays(400);
        TenantContext.callAsSystem(() -> {
            repository.createPartition(ancient);
            return true;
        });
        TenantFixture shortLived = newTenant();
        TenantFixture longLived = newTenant();
        jdbc.sql("update tenant set position_retention = interval '3 days' where id = cast(:id as uuid)")
                .param("id", shortLived.id())
                .update();
        createAsset(shortLived.adminToken(), "a", "vehicle", List.of());
        createAsset(longLived.adminToken(), "b", "vehicle", List.of());
        Instant recent = Instant.now().minus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.MILLIS);
        Instant fiveDaysAgo = Instant.now().minus(5, ChronoUnit.DAYS).truncatedTo(ChronoUnit.MILLIS);
        api.post("/api/v1/positions")
                .bearer(longLived.adminToken())
                .json(List.of(
                        Map.of("externalId", "b", "time", recent.toString(), "lon", 1, "lat", 1),
                        Map.of("externalId", "b", "time", fiveDaysAgo.toString(), "lon", 1, "lat", 1)))
                .send();
        // Written directly: ingest itself already refuses positions older than the tenant's retention.
        jdbc.sql("""
                insert into position (tenant_id, asset_id, event_time, received_at, lon, lat)
                select tenant_id, id, cast(:t as timestamptz), now(), 1, 1 from asset where external_id = 'a'
                  and tenant_id = cast(:tenant as uuid)""")
                .param("t", fiveDaysAgo.toString())
                .param("tenant", shortLived.id())
                .update();
        api.post("/api/v1/positions")
                .bearer(shortLived.adminToken())
                .json(List.of(Map.of("externalId", "a", "time", recent.toString(), "lon", 1, "lat", 1)))
                .send();

        maintenance.maintain();

        assertThat(TenantContext.callAsSystem(repository::partitionDays)).doesNotContain(ancient);
        assertThat(countFor(shortLived.id()))
                .as("only the recent position of the 3-day tenant")
                .isEqualTo(1);
        assertThat(countFor(longLived.id())).as("the 90-day tenant keeps both").isEqualTo(2);
    }

    private long countFor(String tenantId) {
        return jdbc.sql("select count(*) from position where tenant_id = cast(:t as uuid)")
                .param("t", tenantId)
                .query(Long.class)
                .single();
    }
}
