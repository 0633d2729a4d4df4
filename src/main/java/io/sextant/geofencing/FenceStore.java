package io.sextant.geofencing;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceUtils;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Fence states, emitted transitions and rule states in PostgreSQL. Writes and late-data reads join
 * the transaction under way: they run inside the ingest group's (or a timer's).
 */
@Repository
class FenceStore {

    private static final String UPSERT_STATE = """
            insert into fence_state (tenant_id, asset_id, zone_id, inside, since, pending_fixes, pending_since, dwell_fired)
            values (?, ?, ?, ?, ?, ?, ?, ?)
            on conflict (tenant_id, asset_id, zone_id) do update
               set inside = excluded.inside, since = excluded.since, pending_fixes = excluded.pending_fixes,
                   pending_since = excluded.pending_since, dwell_fired = excluded.dwell_fired""";

    private static final String DELETE_STATE =
            "delete from fence_state where tenant_id = ? and asset_id = ? and zone_id = ?";

    private static final String INSERT_TRANSITION = """
            insert into fence_transition (event_id, tenant_id, asset_id, zone_id, kind, time, entered_at, confirmed_at)
            values (?, ?, ?, ?, ?, ?, ?, ?)""";

    private static final String RETRACT = "update fence_transition set retracted = true where event_id = ?";

    private final JdbcClient jdbc;
    private final DataSource dataSource;

    FenceStore(JdbcClient jdbc, DataSource dataSource) {
        this.jdbc = jdbc;
        this.dataSource = dataSource;
    }

    /** A stored state, keyed. */
    record StateRow(UUID tenantId, UUID assetId, UUID zoneId, FenceState state) {}

    /**
     * A transition emitted earlier.
     *
     * @param confirmedAt the time of the fix that confirmed it ({@code null}: recorded before that
     *     was kept)
     */
    record TransitionRow(
            UUID eventId,
            UUID zoneId,
            Transition transition,
            @Nullable Instant confirmedAt) {}

    /** A transition to record, with the id of the event that announced it and when it was confirmed. */
    record NewTransition(
            UUID eventId,
            UUID tenantId,
            UUID assetId,
            UUID zoneId,
            Transition transition,
            @Nullable Instant confirmedAt) {}

    /**
     * The connection of the transaction under way: every read and write of fence state joins the
     * transaction that causes it (an ingest group's, a timer's), scoped to its tenant.
     */
    private Connection connection() {
        if (!TransactionSynchronizationManager.isActualTransactionActive()) {
            throw new IllegalStateException("fence state is read and written only within a transaction");
        }
        return DataSourceUtils.getConnection(dataSource);
    }

    /** {@code sql}, limited by {@code condition} to {@code assetIds} unless that is {@code null}. */
    private JdbcClient.StatementSpec assets(String sql, String condition, @Nullable Collection<UUID> assetIds) {
        if (assetIds == null) {
            return jdbc.sql(sql);
        }
        return jdbc.sql(sql + " where " + condition).param("assets", assetIds.toArray(UUID[]::new));
    }

    /** Every stored fence state, or those of {@code assetIds} ({@code null}: all). */
    void forEachState(@Nullable Collection<UUID> assetIds, Consumer<StateRow> sink) {
        assets("""
                        select tenant_id, asset_id, zone_id, inside, since, pending_fixes, pending_since, dwell_fired
                        from fence_state""", "asset_id = any(:assets)", assetIds).query((ResultSet rs) -> {
            sink.accept(new StateRow(
                    rs.getObject(1, UUID.class),
                    rs.getObject(2, UUID.class),
                    rs.getObject(3, UUID.class),
                    new FenceState(
                            rs.getBoolean(4), instant(rs, 5), rs.getInt(6), instant(rs, 7), rs.getBoolean(8), null)));
        });
    }

    /** An asset inside a zone since a time (null: since before times were kept). */
    record Occupant(UUID assetId, @Nullable Instant since) {}

    /** The assets inside {@code zoneId} now, as fence evaluation last confirmed, oldest arrival first. */
    List<Occupant> occupants(UUID tenantId, UUID zoneId) {
        return jdbc.sql("""
                        select asset_id, since from fence_state
                        where tenant_id = :tenant and zone_id = :zone and inside
                        order by since nulls first, asset_id""")
                .param("tenant", tenantId)
                .param("zone", zoneId)
                .query((rs, row) -> new Occupant(rs.getObject(1, UUID.class), instant(rs, 2)))
                .list();
    }

    void write(List<StateRow> upserts, List<StateRow> deletes) throws SQLException {
        Connection connection = connection();
        if (!upserts.isEmpty()) {
            try (PreparedStatement statement = connection.prepareStatement(UPSERT_STATE)) {
                for (StateRow row : upserts) {
                    FenceState s = row.state();
                    statement.setObject(1, row.tenantId());
                    statement.setObject(2, row.assetId());
                    statement.setObject(3, row.zoneId());
                    statement.setBoolean(4, s.inside());
                    statement.setTimestamp(5, timestamp(s.since()));
                    statement.setInt(6, s.pendingFixes());
                    statement.setTimestamp(7, timestamp(s.pendingSince()));
                    statement.setBoolean(8, s.dwellFired());
                    statement.addBatch();
                }
                statement.executeBatch();
            }
        }
        if (!deletes.isEmpty()) {
            try (PreparedStatement statement = connection.prepareStatement(DELETE_STATE)) {
                for (StateRow row : deletes) {
                    statement.setObject(1, row.tenantId());
                    statement.setObject(2, row.assetId());
                    statement.setObject(3, row.zoneId());
                    statement.addBatch();
                }
                statement.executeBatch();
            }
        }
    }

    void recordTransitions(List<NewTransition> transitions) throws SQLException {
        Connection connection = connection();
        if (transitions.isEmpty()) {
            return;
        }
        try (PreparedStatement statement = connection.prepareStatement(INSERT_TRANSITION)) {
            for (NewTransition t : transitions) {
                statement.setObject(1, t.eventId());
                statement.setObject(2, t.tenantId());
                statement.setObject(3, t.assetId());
                statement.setObject(4, t.zoneId());
                statement.setString(5, kind(t.transition()));
                statement.setTimestamp(6, Timestamp.from(t.transition().time()));
                statement.setTimestamp(7, timestamp(enteredAt(t.transition())));
                statement.setTimestamp(8, timestamp(t.confirmedAt()));
                statement.addBatch();
            }
            statement.executeBatch();
        }
    }

    void retract(List<UUID> eventIds) throws SQLException {
        Connection connection = connection();
        if (eventIds.isEmpty()) {
            return;
        }
        try (PreparedStatement statement = connection.prepareStatement(RETRACT)) {
            for (UUID id : eventIds) {
                statement.setObject(1, id);
                statement.addBatch();
            }
            statement.executeBatch();
        }
    }

    /**
     * The transitions (not retracted) of the asset in the zone from the last enter or exit at or
     * before {@code horizon} on, in time order: what a late-data replay starts from and compares
     * against.
     */
    List<TransitionRow> history(UUID tenantId, UUID assetId, UUID zoneId, Instant horizon) throws SQLException {
        Connection connection = connection();
        List<TransitionRow> rows = new ArrayList<>();
        try (PreparedStatement statement = connection.prepareStatement("""
                select event_id, kind, time, entered_at, confirmed_at from fence_transition
                where tenant_id = ? and asset_id = ? and zone_id = ? and not retracted
                  and time >= coalesce(
                      (select max(time) from fence_transition
                       where tenant_id = ? and asset_id = ? and zone_id = ? and not retracted
                         and kind in ('entered', 'exited') and time <= ?),
                      '-infinity')
                order by time, kind""")) {
            for (int i = 0; i < 2; i++) {
                statement.setObject(1 + 3 * i, tenantId);
                statement.setObject(2 + 3 * i, assetId);
                statement.setObject(3 + 3 * i, zoneId);
            }
            statement.setTimestamp(7, Timestamp.from(horizon));
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    Instant time = rs.getTimestamp(3).toInstant();
                    Instant enteredAt = instant(rs, 4);
                    rows.add(new TransitionRow(
                            rs.getObject(1, UUID.class),
                            zoneId,
                            // A row from before entered_at was kept and with no entry to take it
                            // from: a stay of no length, which no replay gives, so it is replaced.
                            transition(rs.getString(2), time, enteredAt != null ? enteredAt : time),
                            instant(rs, 5)));
                }
            }
        }
        return rows;
    }

    /** Zones in which the asset has transitions (not retracted) after {@code after}. */
    Set<UUID> zonesWithTransitionsAfter(UUID tenantId, UUID assetId, Instant after) throws SQLException {
        Connection connection = connection();
        Set<UUID> zones = new HashSet<>();
        try (PreparedStatement statement = connection.prepareStatement("""
                select distinct zone_id from fence_transition
                where tenant_id = ? and asset_id = ? and time > ? and not retracted""")) {
            statement.setObject(1, tenantId);
            statement.setObject(2, assetId);
            statement.setTimestamp(3, Timestamp.from(after));
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    zones.add(rs.getObject(1, UUID.class));
                }
            }
        }
        return zones;
    }

    /** A speeding episode under way. */
    record SpeedingRow(UUID tenantId, UUID assetId, Instant since, double limitKmh, double maxKmh) {}

    void forEachSpeeding(
            @Nullable Collection<UUID> assetIds, java.util.function.BiConsumer<UUID, SpeedingRule.SpeedState> sink) {
        assets("select asset_id, since, max_kmh from speeding_state", "asset_id = any(:assets)", assetIds)
                .query((ResultSet rs) -> {
                    sink.accept(
                            rs.getObject(1, UUID.class),
                            new SpeedingRule.SpeedState(true, rs.getTimestamp(2).toInstant(), null, rs.getDouble(3)));
                });
    }

    void forEachStale(@Nullable Collection<UUID> assetIds, Consumer<UUID> sink) {
        assets("select asset_id from asset_stale", "asset_id = any(:assets)", assetIds)
                .query((ResultSet rs) -> {
                    sink.accept(rs.getObject(1, UUID.class));
                });
    }

    /** Proximity episodes under way, or those with one of {@code assetIds} in them ({@code null}: all). */
    void forEachPair(@Nullable Collection<UUID> assetIds, java.util.function.BiConsumer<PairKey, Instant> sink) {
        assets(
                        "select tenant_id, rule, first_asset, second_asset, since from proximity_state",
                        "(first_asset = any(:assets) or second_asset = any(:assets))",
                        assetIds)
                .query((ResultSet rs) -> {
                    sink.accept(
                            new PairKey(
                                    rs.getObject(1, UUID.class),
                                    rs.getString(2),
                                    ProximityRule.AssetPair.of(
                                            rs.getObject(3, UUID.class), rs.getObject(4, UUID.class))),
                            rs.getTimestamp(5).toInstant());
                });
    }

    void writeRuleState(
            List<SpeedingRow> speedingUpserts,
            List<UUID> speedingDeletes,
            List<UUID> staleDeletes,
            java.util.Map<PairKey, ProximityRule.ProximityState> pairs)
            throws SQLException {
        Connection connection = connection();
        if (!speedingUpserts.isEmpty()) {
            try (PreparedStatement statement = connection.prepareStatement("""
                    insert into speeding_state (tenant_id, asset_id, since, limit_kmh, max_kmh) values (?, ?, ?, ?, ?)
                    on conflict (tenant_id, asset_id) do update
                       set since = excluded.since, limit_kmh = excluded.limit_kmh, max_kmh = excluded.max_kmh""")) {
                for (SpeedingRow row : speedingUpserts) {
                    statement.setObject(1, row.tenantId());
                    statement.setObject(2, row.assetId());
                    statement.setTimestamp(3, Timestamp.from(row.since()));
                    statement.setDouble(4, row.limitKmh());
                    statement.setDouble(5, row.maxKmh());
                    statement.addBatch();
                }
                statement.executeBatch();
            }
        }
        deleteByAsset(connection, "delete from speeding_state where asset_id = ?", speedingDeletes);
        deleteByAsset(connection, "delete from asset_stale where asset_id = ?", staleDeletes);
        if (!pairs.isEmpty()) {
            try (PreparedStatement insert = connection.prepareStatement("""
                            insert into proximity_state (tenant_id, rule, first_asset, second_asset, since)
                            values (?, ?, ?, ?, ?) on conflict do nothing""");
                    PreparedStatement delete = connection.prepareStatement("""
                            delete from proximity_state
                            where tenant_id = ? and rule = ? and first_asset = ? and second_asset = ?""")) {
                for (var entry : pairs.entrySet()) {
                    PairKey key = entry.getKey();
                    PreparedStatement statement = entry.getValue().near() ? insert : delete;
                    statement.setObject(1, key.tenantId());
                    statement.setString(2, key.rule());
                    statement.setObject(3, key.pair().first());
                    statement.setObject(4, key.pair().second());
                    if (entry.getValue().near()) {
                        statement.setTimestamp(
                                5,
                                Timestamp.from(java.util.Objects.requireNonNull(
                                        entry.getValue().since())));
                    }
                    statement.addBatch();
                }
                insert.executeBatch();
                delete.executeBatch();
            }
        }
    }

    private static void deleteByAsset(Connection connection, String sql, List<UUID> assetIds) throws SQLException {
        if (assetIds.isEmpty()) {
            return;
        }
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            for (UUID assetId : assetIds) {
                statement.setObject(1, assetId);
                statement.addBatch();
            }
            statement.executeBatch();
        }
    }

    void markStale(UUID tenantId, UUID assetId, Instant lastSeen, Instant now) throws SQLException {
        Connection connection = connection();
        try (PreparedStatement statement = connection.prepareStatement("""
                insert into asset_stale (tenant_id, asset_id, last_seen, detected_at) values (?, ?, ?, ?)
                on conflict do nothing""")) {
            statement.setObject(1, tenantId);
            statement.setObject(2, assetId);
            statement.setTimestamp(3, Timestamp.from(lastSeen));
            statement.setTimestamp(4, Timestamp.from(now));
            statement.executeUpdate();
        }
    }

    /** The assets of a tenant reported stale and not heard from since. */
    Set<UUID> staleAssets(UUID tenantId) {
        Set<UUID> stale = new HashSet<>();
        jdbc.sql("select asset_id from asset_stale where tenant_id = :tenantId")
                .param("tenantId", tenantId)
                .query((ResultSet rs) -> {
                    stale.add(rs.getObject(1, UUID.class));
                });
        return stale;
    }

    static String kind(Transition transition) {
        return switch (transition) {
            case Transition.Entered e -> "entered";
            case Transition.Exited e -> "exited";
            case Transition.Dwelled d -> "dwell";
        };
    }

    private static Transition transition(String kind, Instant time, Instant enteredAt) {
        return switch (kind) {
            case "entered" -> new Transition.Entered(time);
            case "exited" -> new Transition.Exited(time, enteredAt);
            default -> new Transition.Dwelled(time, enteredAt);
        };
    }

    private static @Nullable Instant enteredAt(Transition transition) {
        return switch (transition) {
            case Transition.Entered e -> null;
            case Transition.Exited e -> e.enteredAt();
            case Transition.Dwelled d -> d.enteredAt();
        };
    }

    private static @Nullable Instant instant(ResultSet rs, int column) throws SQLException {
        Timestamp timestamp = rs.getTimestamp(column);
        return timestamp == null ? null : timestamp.toInstant();
    }

    private static @Nullable Timestamp timestamp(@Nullable Instant instant) {
        return instant == null ? null : Timestamp.from(instant);
    }
}
