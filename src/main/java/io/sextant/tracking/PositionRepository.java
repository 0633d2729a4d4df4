package io.sextant.tracking;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import javax.sql.DataSource;
import org.postgresql.copy.CopyManager;
import org.postgresql.core.BaseConnection;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceUtils;
import org.springframework.stereotype.Repository;
import tools.jackson.databind.json.JsonMapper;

/**
 * Position history and latest positions in PostgreSQL. Writes take whole groups of positions: one
 * binary COPY into a staging table and two set-based statements per group, whatever its size.
 */
@Repository
class PositionRepository {

    private static final DateTimeFormatter PARTITION_DAY = DateTimeFormatter.BASIC_ISO_DATE;

    // A transaction-scoped staging table per connection: each group is COPYed in (binary), then
    // moved into the history and the latest positions by two set-based statements.
    private static final String CREATE_STAGING = """
            create temp table if not exists position_staging (
                tenant_id uuid, asset_id uuid, event_time timestamptz, received_at timestamptz,
                lon float8, lat float8, altitude float4, accuracy float4, speed float4, heading float4,
                attributes jsonb) on commit delete rows""";

    private static final String COPY_STAGING = "copy position_staging from stdin (format binary)";

    private static final String COLUMNS =
            "tenant_id, asset_id, event_time, received_at, lon, lat, altitude, accuracy, speed, heading, attributes";

    private static final String INSERT_NEW_HISTORY = "insert into position (" + COLUMNS + ") select " + COLUMNS
            + " from position_staging on conflict do nothing returning tenant_id, asset_id, event_time";

    // The newest staged position of each asset, in key order (one lock order for every writer). A
    // late position never replaces a newer one: the update happens only for a later event time.
    // A duplicate cannot advance anything either: the latest already holds its time or a later one.
    // An asset deleted meanwhile gets no latest row (rather than failing on its key): tracked_asset
    // is tracking's record of the assets that exist (TrackedAssets).
    private static final String UPSERT_LATEST_FROM = """
            insert into latest_position (tenant_id, asset_id, event_time, received_at, lon, lat,
                                         altitude, accuracy, speed, heading, attributes)
            select distinct on (s.tenant_id, s.asset_id)
                   s.tenant_id, s.asset_id, s.event_time, s.received_at, s.lon, s.lat,
                   s.altitude, s.accuracy, s.speed, s.heading, s.attributes
            from %s s
            where exists (select from tracked_asset t where t.asset_id = s.asset_id)%s
            order by s.tenant_id, s.asset_id, s.event_time desc
            on conflict (tenant_id, asset_id) do update
                set event_time = excluded.event_time, received_at = excluded.received_at,
                    lon = excluded.lon, lat = excluded.lat, altitude = excluded.altitude,
                    accuracy = excluded.accuracy, speed = excluded.speed, heading = excluded.heading,
                    attributes = excluded.attributes
                where excluded.event_time > latest_position.event_time""";

    private static final String UPSERT_LATEST = UPSERT_LATEST_FROM.formatted("position_staging", "");

    private static final String CATCH_UP_LATEST = UPSERT_LATEST_FROM.formatted("position", " and s.received_at >= ?");

    private final JdbcClient jdbc;
    private final DataSource dataSource;
    private final JsonMapper json = JsonMapper.builder().build();

    PositionRepository(JdbcClient jdbc, DataSource dataSource) {
        this.jdbc = jdbc;
        this.dataSource = dataSource;
    }

    /**
     * Stages one tenant's share of a group with binary COPY, inside the caller's transaction, which
     * is scoped to that tenant. {@code clearStaging} empties what an earlier tenant of the same
     * transaction staged.
     */
    void stage(List<Position> positions, boolean clearStaging) throws SQLException {
        Connection connection = DataSourceUtils.getConnection(dataSource);
        try (Statement statement = connection.createStatement()) {
            statement.execute(clearStaging ? CREATE_STAGING + "; delete from position_staging" : CREATE_STAGING);
        }
        try {
            new CopyManager(connection.unwrap(BaseConnection.class))
                    .copyIn(COPY_STAGING, new ByteArrayInputStream(BinaryCopyRows.encode(positions, json)));
        } catch (IOException e) {
            throw new SQLException("staging positions failed", e);
        }
    }

    /**
     * The fast path, first half: one tenant's positions, every one thought new, encoded for binary
     * COPY straight into their daily partitions — done before the writer takes its turn at the
     * history, so the turn holds only the COPY itself.
     */
    Copies encode(List<Position> positions) {
        java.util.Map<Long, List<Position>> byDay = new java.util.TreeMap<>();
        long day = Long.MIN_VALUE;
        List<Position> ofDay = List.of();
        for (Position position : positions) {
            long next = epochDayOf(position.eventTime());
            if (next != day) { // an asset's positions come together, so the day seldom changes
                day = next;
                ofDay = byDay.computeIfAbsent(day, d -> new java.util.ArrayList<>());
            }
            ofDay.add(position);
        }
        java.util.Map<String, byte[]> rows = new java.util.LinkedHashMap<>();
        byDay.forEach((epochDay, positionsOfDay) ->
                rows.put(partition(LocalDate.ofEpochDay(epochDay)), BinaryCopyRows.encode(positionsOfDay, json)));
        return new Copies(rows);
    }

    /** Binary COPY rows of one tenant, by the partition they go to. */
    record Copies(java.util.Map<String, byte[]> rowsByPartition) {}

    /**
     * The fast path, second half: copies the encoded rows into their partitions — no staging, no
     * second copy — inside the caller's transaction, scoped to their tenant. The partitions'
     * inherited check {@code position_tenant_scope} refuses another tenant's row as the parent's
     * policy would. {@link KeyTaken} when a key is already stored (the transaction is then
     * unusable: roll it back and take the conflict path).
     */
    void copy(Copies copies) throws SQLException {
        CopyManager copy =
                new CopyManager(DataSourceUtils.getConnection(dataSource).unwrap(BaseConnection.class));
        try {
            for (var partition : copies.rowsByPartition().entrySet()) {
                copy.copyIn(
                        "copy " + partition.getKey() + " (" + COLUMNS + ") from stdin (format binary)",
                        new ByteArrayInputStream(partition.getValue()));
            }
        } catch (SQLException e) {
            if (UNIQUE_VIOLATION.equals(e.getSQLState())) {
                throw new KeyTaken(e);
            }
            throw e;
        } catch (IOException e) {
            throw new SQLException("copying positions failed", e);
        }
    }

    /** Inserts the staged positions whose keys are new; returns those keys. */
    Set<PositionKey> insertNewStaged() throws SQLException {
        return keys(DataSourceUtils.getConnection(dataSource), INSERT_NEW_HISTORY);
    }

    /**
     * Advances latest positions to the staged ones where they are newer, inside the caller's
     * transaction, which is scoped to the tenant staged.
     */
    void upsertLatestStaged() throws SQLException {
        try (Statement statement = DataSourceUtils.getConnection(dataSource).createStatement()) {
            statement.executeUpdate(UPSERT_LATEST);
        }
    }

    /**
     * Advances latest positions of every tenant to the history received since {@code from}: the
     * catch-up after a node stopped with positions not yet written behind. Runs unscoped, as the
     * owner (a maintenance path, like partition maintenance).
     */
    int catchUpLatest(Instant from) {
        return jdbc.sql(CATCH_UP_LATEST).param(Timestamp.from(from)).update();
    }

    /** The oldest receive time any node's latest positions may not reflect yet. */
    java.util.Optional<Instant> oldestCheckpoint() {
        return jdbc.sql("select min(recover_from) from latest_position_checkpoint")
                .query((rs, row) ->
                        java.util.Optional.ofNullable(rs.getTimestamp(1)).map(Timestamp::toInstant))
                .single();
    }

    /**
     * Records, in the caller's transaction, from which receive time this node's latest positions may
     * lag ({@code recoverFrom}) and the receive time of its oldest ingest still in flight ({@code
     * inFlightFrom}: every position it received before that is committed).
     */
    void checkpoint(UUID node, Instant recoverFrom, Instant inFlightFrom) {
        jdbc.sql("""
                insert into latest_position_checkpoint (node, recover_from, in_flight_from, updated_at)
                values (:node, :from, :inFlight, now())
                on conflict (node) do update
                set recover_from = excluded.recover_from, in_flight_from = excluded.in_flight_from, updated_at = now()""")
                .param("node", node)
                .param("from", Timestamp.from(recoverFrom))
                .param("inFlight", Timestamp.from(inFlightFrom))
                .update();
    }

    /**
     * The lowest receive time still in flight on any node that recorded a checkpoint within {@code
     * recent}: positions received before it are all committed. Empty when no node did.
     */
    java.util.Optional<Instant> inFlightFloor(java.time.Duration recent) {
        return jdbc.sql("""
                        select min(in_flight_from) from latest_position_checkpoint
                        where updated_at > now() - make_interval(secs => :recent)""")
                .param("recent", (double) recent.toSeconds())
                .query((rs, row) ->
                        java.util.Optional.ofNullable(rs.getTimestamp(1)).map(Timestamp::toInstant))
                .single();
    }

    /** Forgets the checkpoints of other nodes not written for {@code idle}: stopped nodes, caught up by this start. */
    void forgetIdleCheckpoints(UUID node, java.time.Duration idle) {
        jdbc.sql("""
                delete from latest_position_checkpoint
                where node <> :node and updated_at < now() - make_interval(secs => :idle)""")
                .param("node", node)
                .param("idle", (double) idle.toSeconds())
                .update();
    }

    private static Set<PositionKey> keys(Connection connection, String sql) throws SQLException {
        Set<PositionKey> keys = new HashSet<>();
        try (Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery(sql)) {
            while (rs.next()) {
                keys.add(new PositionKey(
                        rs.getObject(1, UUID.class),
                        rs.getObject(2, UUID.class),
                        rs.getTimestamp(3).toInstant()));
            }
        }
        return keys;
    }

    private static final String UNIQUE_VIOLATION = "23505";

    /** A staged key was already stored: the fast path's guess was wrong. */
    static final class KeyTaken extends RuntimeException {
        KeyTaken(SQLException cause) {
            super("a staged position's key is already stored", cause);
        }
    }

    /** Records that the asset exists, in the transaction that registers it. */
    void track(UUID tenantId, UUID assetId) {
        jdbc.sql("insert into tracked_asset (asset_id, tenant_id) values (:assetId, :tenantId) on conflict do nothing")
                .param("assetId", assetId)
                .param("tenantId", tenantId)
                .update();
    }

    /** The daily partitions that exist, by the day they hold. */
    Set<LocalDate> partitionDays() {
        Set<LocalDate> days = new HashSet<>();
        jdbc.sql("""
                select c.relname from pg_inherits i
                join pg_class c on c.oid = i.inhrelid
                join pg_class p on p.oid = i.inhparent
                where p.relname = 'position' and c.relname ~ '^position_[0-9]{8}$'""")
                .query((rs, row) -> rs.getString(1))
                .list()
                .forEach(name -> days.add(LocalDate.parse(name.substring("position_".length()), PARTITION_DAY)));
        return days;
    }

    void lockDdl(long key) {
        jdbc.sql("select pg_advisory_xact_lock(:key)").param("key", key).query().singleRow();
    }

    /**
     * Creates the partition of {@code day} unless it exists (another node may race us: harmless).
     * The tenant role may only add rows to it (ingest's COPY); reads go through the parent, where
     * row-level security holds.
     */
    void createPartition(LocalDate day) {
        String name = partition(day);
        jdbc.sql("create table if not exists " + name + " partition of position for values from ('" + day + "') to ('"
                        + day.plusDays(1) + "')")
                .update();
        jdbc.sql("revoke select, update, delete, truncate, references, trigger on " + name + " from sextant_tenant")
                .update();
    }

    private static String partition(LocalDate day) {
        return "position_" + day.format(PARTITION_DAY);
    }

    void dropPartition(LocalDate day) {
        jdbc.sql("drop table if exists " + partition(day)).update();
    }

    /** Deletes one tenant's history older than its retention, inside partitions kept for others. */
    int trimTenant(UUID tenantId, Instant olderThan) {
        return jdbc.sql("delete from position where tenant_id = :tenantId and event_time < :olderThan")
                .param("tenantId", tenantId)
                .param("olderThan", Timestamp.from(olderThan))
                .update();
    }

    /** The UTC day of an instant (its daily partition). */
    static LocalDate dayOf(Instant instant) {
        return LocalDate.ofEpochDay(epochDayOf(instant));
    }

    /** The UTC day of an instant as days since 1970-01-01, by arithmetic: called for every position. */
    static long epochDayOf(Instant instant) {
        return Math.floorDiv(instant.getEpochSecond(), 86_400L);
    }
}
