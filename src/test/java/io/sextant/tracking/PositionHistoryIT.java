package io.sextant.tracking;

import static org.assertj.core.api.Assertions.assertThat;

import io.sextant.testing.MigratedDatabases;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;

/** The silent assets the stale sweep asks tracking for, read from tracking's latest positions. */
class PositionHistoryIT {

    private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");

    private static final JdbcClient jdbc = MigratedDatabases.create();
    private static final PositionHistory history = new PositionHistory(new PositionHistoryRepository(jdbc));

    @Test
    void the_tenants_assets_silent_since_a_time_come_longest_silent_first() {
        UUID tenant = MigratedDatabases.tenant(jdbc);
        UUID other = MigratedDatabases.tenant(jdbc);
        UUID longest = reported(tenant, NOW.minusSeconds(3000));
        UUID shorter = reported(tenant, NOW.minusSeconds(1800));
        reported(tenant, NOW.minusSeconds(300));
        reported(other, NOW.minusSeconds(4000));

        assertThat(history.silentSince(tenant, NOW.minusSeconds(600), Set.of(), 10))
                .containsExactly(
                        new PositionHistory.SilentAsset(longest, NOW.minusSeconds(3000)),
                        new PositionHistory.SilentAsset(shorter, NOW.minusSeconds(1800)));
    }

    @Test
    void the_assets_left_out_do_not_count_against_the_limit() {
        UUID tenant = MigratedDatabases.tenant(jdbc);
        UUID first = reported(tenant, NOW.minusSeconds(3000));
        UUID second = reported(tenant, NOW.minusSeconds(2000));
        UUID third = reported(tenant, NOW.minusSeconds(1000));

        assertThat(history.silentSince(tenant, NOW, Set.of(first, second), 1))
                .extracting(PositionHistory.SilentAsset::assetId)
                .containsExactly(third);
        assertThat(history.silentSince(tenant, NOW, Set.of(second), 5))
                .extracting(PositionHistory.SilentAsset::assetId)
                .containsExactly(first, third);
    }

    /** An asset of the tenant whose latest position is at {@code lastSeen}. */
    private static UUID reported(UUID tenant, Instant lastSeen) {
        UUID id = UUID.randomUUID();
        jdbc.sql("""
                        insert into asset (id, tenant_id, external_id, name, type)
                        values (:id, :tenantId, :externalId, 'Test asset', 'vehicle')""")
                .param("id", id)
                .param("tenantId", tenant)
                .param("externalId", id.toString())
                .update();
        jdbc.sql("""
                        insert into latest_position (tenant_id, asset_id, event_time, received_at, lon, lat)
                        values (:tenantId, :id, :time, :time, 10, 50)""")
                .param("tenantId", tenant)
                .param("id", id)
                .param("time", Timestamp.from(lastSeen))
                .update();
        return id;
    }
}
