package io.sextant.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import io.sextant.events.EventLog;
import io.sextant.events.EventLogs;
import io.sextant.testing.MigratedDatabases;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The events a replay queues ({@link EventLog#matching}) are chosen by the subscription's filter
 * compiled to SQL.
 */
class DeliveryFilterIT {

    private static final Instant START = Instant.parse("2026-03-01T00:00:00Z");

    private static final DataSource DATA_SOURCE = MigratedDatabases.createDataSource();
    private static final JdbcClient jdbc = JdbcClient.create(DATA_SOURCE);
    private static final EventLog events = EventLogs.over(DATA_SOURCE);

    @Test
    void a_type_prefix_with_an_underscore_does_not_match_a_type_with_another_character_in_its_place() {
        UUID tenant = MigratedDatabases.tenant(jdbc);
        UUID asset = UUID.randomUUID();
        UUID underscore = insert(tenant, "a_b.enter", START, asset);
        insert(tenant, "axb.enter", START.plusSeconds(1), asset);
        insert(tenant, "a%b.enter", START.plusSeconds(2), asset);
        SubscriptionFilter filter =
                new SubscriptionFilter(List.of("a_b.*"), List.of(), List.of(), List.of(), List.of());

        List<EventLog.Reference> matching =
                events.matching(tenant, filter.toEventFilter(), START, START.plusSeconds(60), 10);

        assertThat(matching).containsExactly(new EventLog.Reference(underscore, asset));
    }

    @Test
    void only_the_tenants_own_events_in_the_time_range_that_the_filter_lets_through_are_chosen_in_log_order() {
        UUID tenant = MigratedDatabases.tenant(jdbc);
        UUID other = MigratedDatabases.tenant(jdbc);
        UUID asset = UUID.randomUUID();
        UUID second = insert(tenant, "sextant.zone.exited", START.plusSeconds(5), asset);
        UUID first = insert(tenant, "sextant.zone.entered", START.plusSeconds(9), asset);
        insert(tenant, "sextant.asset.stale", START.plusSeconds(3), asset);
        insert(tenant, "sextant.zone.entered", START.plusSeconds(60), asset);
        insert(other, "sextant.zone.entered", START.plusSeconds(4), asset);
        SubscriptionFilter filter =
                new SubscriptionFilter(List.of("sextant.zone.*"), List.of(), List.of(), List.of(asset), List.of());

        List<EventLog.Reference> matching =
                events.matching(tenant, filter.toEventFilter(), START, START.plusSeconds(60), 10);

        assertThat(matching).extracting(EventLog.Reference::id).containsExactly(second, first);
    }

    private static UUID insert(UUID tenant, String type, Instant time, UUID assetId) {
        UUID id = UUID.randomUUID();
        jdbc.sql("""
                        insert into event (id, tenant_id, type, source, time, asset_id, data)
                        values (:id, :tenantId, :type, '/test', :time, :assetId, '{}')""")
                .param("id", id)
                .param("tenantId", tenant)
                .param("type", type)
                .param("time", Timestamp.from(time))
                .param("assetId", assetId)
                .update();
        return id;
    }
}
