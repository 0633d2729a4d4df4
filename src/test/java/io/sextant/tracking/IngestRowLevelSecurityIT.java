package io.sextant.tracking;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sextant.events.Event;
import io.sextant.events.EventConsumer;
import io.sextant.events.EventLog;
import io.sextant.events.NewEvent;
import io.sextant.shared.TenantContext;
import io.sextant.testing.SextantIT;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceUtils;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Row-level security holds on the paths that serve several tenants in one transaction: an ingest
 * group and a relay batch. Probes stand in for code that forgot its tenant filter — an observer of
 * ingest groups and an event consumer that query and write with no {@code tenant_id} condition at
 * all — and find that each tenant's share of the transaction sees and writes only that tenant's
 * rows, while the group as a whole still commits every tenant's positions.
 */
@Import(IngestRowLevelSecurityIT.Probes.class)
class IngestRowLevelSecurityIT extends SextantIT {

    /** What the unfiltered probe saw in one tenant's share of a group. */
    record Sighting(
            Set<UUID> groupTenants,
            UUID tenant,
            Set<UUID> positionTenants,
            Set<UUID> latestTenants,
            Set<UUID> assetTenants,
            long tenantRows,
            String foreignInsertState) {}

    /** What the unfiltered consumer saw for one call of the relay. */
    record Relayed(Set<UUID> eventTenants, Set<UUID> visibleTenants) {}

    static final List<Sighting> SIGHTINGS = new CopyOnWriteArrayList<>();
    static final List<Relayed> RELAYED = new CopyOnWriteArrayList<>();
    static volatile boolean armed;

    @TestConfiguration
    static class Probes {

        @Bean
        PositionObserver unfilteredObserver(JdbcClient jdbc, DataSource dataSource) {
            return group -> {
                if (!armed) {
                    return PositionObserver.Observation.NONE;
                }
                Set<UUID> groupTenants = new java.util.HashSet<>();
                group.positions().forEach(p -> groupTenants.add(p.tenantId()));
                group.forEachTenant((tenant, positions) -> {
                    UUID foreign = groupTenants.stream()
                            .filter(t -> !t.equals(tenant))
                            .findFirst()
                            .orElse(new UUID(0, 1));
                    SIGHTINGS.add(new Sighting(
                            Set.copyOf(groupTenants),
                            tenant,
                            tenants(jdbc, "select distinct tenant_id from position"),
                            tenants(jdbc, "select distinct tenant_id from latest_position"),
                            tenants(jdbc, "select distinct tenant_id from asset"),
                            jdbc.sql("select count(*) from tenant")
                                    .query(Long.class)
                                    .single(),
                            insertForeignJob(dataSource, foreign)));
                });
                return PositionObserver.Observation.NONE;
            };
        }

        @Bean
        EventConsumer unfilteredConsumer(JdbcClient jdbc) {
            return new EventConsumer() {
                @Override
                public String name() {
                    return "test-unfiltered-consumer";
                }

                @Override
                public void consume(List<Event> events) {
                    Set<UUID> eventTenants = new java.util.HashSet<>();
                    events.forEach(e -> eventTenants.add(e.tenantId()));
                    RELAYED.add(new Relayed(eventTenants, tenants(jdbc, "select distinct tenant_id from event")));
                }
            };
        }

        private static Set<UUID> tenants(JdbcClient jdbc, String sql) {
            return Set.copyOf(jdbc.sql(sql).query(UUID.class).list());
        }

        /** An insert of another tenant's row, in a savepoint of the group's transaction: its SQLSTATE. */
        private static String insertForeignJob(DataSource dataSource, UUID foreign) throws SQLException {
            Connection connection = DataSourceUtils.getConnection(dataSource);
            Savepoint savepoint = connection.setSavepoint();
            try (PreparedStatement insert = connection.prepareStatement("""
                    insert into job (id, kind, tenant_id, payload, run_at, max_attempts)
                    values (gen_random_uuid(), 'test.probe', ?, '{}', now() + interval '1 day', 1)""")) {
                insert.setObject(1, foreign);
                insert.executeUpdate();
                connection.rollback(savepoint);
                return "inserted";
            } catch (SQLException e) {
                connection.rollback(savepoint);
                return e.getSQLState();
            }
        }
    }

    @Autowired
    PositionWriter writer;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    EventLog eventLog;

    @Autowired
    TransactionTemplate transactions;

    @Autowired
    LatestPositionWrites latestWrites;

    @Autowired
    PositionRepository repository;

    @Autowired
    io.sextant.shared.TenantScope scope;

    @Autowired
    DataSource dataSource;

    private static Position at(UUID tenant, UUID asset, Instant time, double lon) {
        return new Position(tenant, asset, time, Instant.now(), lon, 48.85, null, null, null, null, Map.of());
    }

    @Test
    void each_tenants_share_of_an_ingest_group_sees_and_writes_only_that_tenants_rows() throws Exception {
        TenantFixture a = newTenant();
        TenantFixture b = newTenant();
        UUID tenantA = UUID.fromString(a.id());
        UUID tenantB = UUID.fromString(b.id());
        UUID truckA = UUID.fromString(createAsset(a.adminToken(), "truck", "vehicle", List.of())
                .get("id")
                .asString());
        UUID truckB = UUID.fromString(createAsset(b.adminToken(), "truck", "vehicle", List.of())
                .get("id")
                .asString());
        Instant t = Instant.now().minus(5, ChronoUnit.MINUTES).truncatedTo(ChronoUnit.MILLIS);
        // Both tenants already have history, so a missing filter would have foreign rows to find.
        writer.submit(List.of(at(tenantA, truckA, t, 2.30), at(tenantB, truckB, t, 2.30)))
                .get(30, TimeUnit.SECONDS);
        latestWrites.flush(); // and latest positions in the table, which is written behind ingest

        SIGHTINGS.clear();
        armed = true;
        try {
            // One submission holding both tenants: one group, one transaction.
            writer.submit(List.of(
                            at(tenantB, truckB, t.plusSeconds(5), 2.31), at(tenantA, truckA, t.plusSeconds(5), 2.31)))
                    .get(30, TimeUnit.SECONDS);
        } finally {
            armed = false;
        }

        List<Sighting> sightings = new ArrayList<>(SIGHTINGS);
        assertThat(sightings).extracting(Sighting::tenant).containsExactlyInAnyOrder(tenantA, tenantB);
        for (Sighting seen : sightings) {
            assertThat(seen.groupTenants()).as("one group").containsExactlyInAnyOrder(tenantA, tenantB);
            assertThat(seen.positionTenants()).as("position, unfiltered").containsExactly(seen.tenant());
            assertThat(seen.latestTenants()).as("latest_position, unfiltered").containsExactly(seen.tenant());
            assertThat(seen.assetTenants()).as("asset, unfiltered").containsExactly(seen.tenant());
            assertThat(seen.tenantRows()).as("tenant rows visible").isEqualTo(1);
            assertThat(seen.foreignInsertState())
                    .as("another tenant's row written from this tenant's share")
                    .isEqualTo("42501");
        }
        // The group committed both tenants' positions all the same.
        for (UUID tenant : List.of(tenantA, tenantB)) {
            assertThat(jdbc.sql("select count(*) from position where tenant_id = :t")
                            .param("t", tenant)
                            .query(Long.class)
                            .single())
                    .isEqualTo(2);
        }
        assertThat(jdbc.sql("select count(*) from job where kind = 'test.probe'")
                        .query(Long.class)
                        .single())
                .isZero();
    }

    @Test
    void ingests_copy_into_a_partition_takes_only_the_scoped_tenants_rows_and_the_tenant_role_reads_nothing_there()
            throws Exception {
        TenantFixture a = newTenant();
        TenantFixture b = newTenant();
        UUID tenantA = UUID.fromString(a.id());
        UUID tenantB = UUID.fromString(b.id());
        UUID truckA = UUID.fromString(createAsset(a.adminToken(), "truck", "vehicle", List.of())
                .get("id")
                .asString());
        UUID truckB = UUID.fromString(createAsset(b.adminToken(), "truck", "vehicle", List.of())
                .get("id")
                .asString());
        Instant t = Instant.now().minus(5, ChronoUnit.MINUTES).truncatedTo(ChronoUnit.MILLIS);
        // Through the writer first, so the day's partition exists.
        writer.submit(List.of(at(tenantA, truckA, t.minusSeconds(1), 2.30))).get(30, TimeUnit.SECONDS);
        String partition =
                "position_" + PositionRepository.dayOf(t).format(java.time.format.DateTimeFormatter.BASIC_ISO_DATE);

        List<String> states = transactions.execute(status -> {
            List<String> seen = new ArrayList<>();
            Connection connection = DataSourceUtils.getConnection(dataSource);
            try {
                scope.enter(tenantA);
                repository.copy(repository.encode(List.of(at(tenantA, truckA, t, 2.31))));
                seen.add("own row copied");
                Savepoint savepoint = connection.setSavepoint();
                try {
                    // The application filter gone: tenant B's row in tenant A's share.
                    repository.copy(repository.encode(List.of(at(tenantB, truckB, t, 2.31))));
                    seen.add("foreign row copied");
                } catch (SQLException e) {
                    seen.add(e.getSQLState());
                }
                connection.rollback(savepoint);
                savepoint = connection.setSavepoint();
                try (var statement = connection.createStatement();
                        var rows = statement.executeQuery("select count(*) from " + partition)) {
                    seen.add("partition read");
                } catch (SQLException e) {
                    seen.add(e.getSQLState());
                }
                connection.rollback(savepoint);
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
            status.setRollbackOnly();
            return seen;
        });

        assertThat(states)
                .as("own row, another tenant's row (check_violation), a direct read (insufficient_privilege)")
                .containsExactly("own row copied", "23514", "42501");
    }

    @Test
    void the_relay_hands_each_tenants_events_to_a_consumer_confined_to_that_tenant() {
        UUID tenantA = UUID.fromString(newTenant().id());
        UUID tenantB = UUID.fromString(newTenant().id());
        for (UUID tenant : List.of(tenantA, tenantB, tenantA)) {
            TenantContext.callAs(
                    tenant,
                    () -> transactions.execute(status -> eventLog.append(new NewEvent(
                            tenant,
                            "sextant.test.probe",
                            "/test",
                            null,
                            Instant.now(),
                            null,
                            null,
                            List.of(),
                            List.of(),
                            Map.of("n", 1)))));
        }

        await().atMost(Duration.ofSeconds(20))
                .untilAsserted(() -> assertThat(RELAYED.stream()
                                .flatMap(r -> r.eventTenants().stream())
                                .toList())
                        .contains(tenantA, tenantB));
        for (Relayed call : RELAYED) {
            assertThat(call.eventTenants()).as("one tenant per call").hasSize(1);
            assertThat(call.visibleTenants()).as("event, unfiltered").isSubsetOf(call.eventTenants());
        }
    }
}
