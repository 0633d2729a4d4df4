package io.sextant.tracking;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import tools.jackson.databind.json.JsonMapper;

/**
 * Position history and latest positions in PostgreSQL. Writes take whole groups of positions as
 * arrays and unnest them server-side: one round trip per group, whatever its size.
 */
@Repository
class PositionRepository {

    private static final DateTimeFormatter PARTITION_DAY = DateTimeFormatter.BASIC_ISO_DATE;

    private static final String INSERT_HISTORY = """
            insert into position (tenant_id, asset_id, event_time, received_at, lon, lat,
                                  altitude, accuracy, speed, heading, attributes)
            select t, a, e, r, x, y, alt, acc, spd, hdg, cast(attr as jsonb)
            from unnest(?::uuid[], ?::uuid[], ?::timestamptz[], ?::timestamptz[], ?::float8[], ?::float8[],
                        ?::float4[], ?::float4[], ?::float4[], ?::float4[], ?::text[])
                 as u(t, a, e, r, x, y, alt, acc, spd, hdg, attr)
            on conflict do nothing
            returning tenant_id, asset_id, event_time""";

    // A late position never replaces a newer one: the update happens only for a later event time.
    // An asset deleted meanwhile gets no latest row (rather than failing the group on its key).
    private static final String UPSERT_LATEST = """
            insert into latest_position (tenant_id, asset_id, event_time, received_at, lon, lat,
                                         altitude, accuracy, speed, heading, attributes)
            select t, a, e, r, x, y, alt, acc, spd, hdg, cast(attr as jsonb)
            from unnest(?::uuid[], ?::uuid[], ?::timestamptz[], ?::timestamptz[], ?::float8[], ?::float8[],
                        ?::float4[], ?::float4[], ?::float4[], ?::float4[], ?::text[])
                 as u(t, a, e, r, x, y, alt, acc, spd, hdg, attr)
            where exists (select from asset where asset.id = u.a)
            on conflict (tenant_id, asset_id) do update
                set event_time = excluded.event_time, received_at = excluded.received_at,
                    lon = excluded.lon, lat = excluded.lat, altitude = excluded.altitude,
                    accuracy = excluded.accuracy, speed = excluded.speed, heading = excluded.heading,
                    attributes = excluded.attributes
                where excluded.event_time > latest_position.event_time
            returning tenant_id, asset_id, event_time""";

    private final JdbcClient jdbc;
    private final JsonMapper json = JsonMapper.builder().build();

    PositionRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Inserts what is new; returns the keys actually inserted (the rest were duplicates). */
    Set<PositionKey> insertHistory(Connection connection, List<Position> positions) throws SQLException {
        return execute(connection, INSERT_HISTORY, positions);
    }

    /** Moves latest positions forward; returns the keys that became an asset's latest. */
    Set<PositionKey> advanceLatest(Connection connection, Collection<Position> newestPerAsset) throws SQLException {
        return execute(connection, UPSERT_LATEST, List.copyOf(newestPerAsset));
    }

    private Set<PositionKey> execute(Connection connection, String sql, List<Position> positions) throws SQLException {
        int n = positions.size();
        UUID[] tenants = new UUID[n];
        UUID[] assets = new UUID[n];
        Timestamp[] events = new Timestamp[n];
        Timestamp[] received = new Timestamp[n];
        Double[] lons = new Double[n];
        Double[] lats = new Double[n];
        @Nullable Float[] altitudes = new Float[n];
        @Nullable Float[] accuracies = new Float[n];
        @Nullable Float[] speeds = new Float[n];
        @Nullable Float[] headings = new Float[n];
        @Nullable String[] attributes = new String[n];
        for (int i = 0; i < n; i++) {
            Position p = positions.get(i);
            tenants[i] = p.tenantId();
            assets[i] = p.assetId();
            events[i] = Timestamp.from(p.eventTime());
            received[i] = Timestamp.from(p.receivedAt());
            lons[i] = p.lon();
            lats[i] = p.lat();
            altitudes[i] = toFloat(p.altitude());
            accuracies[i] = toFloat(p.accuracy());
            speeds[i] = toFloat(p.speed());
            headings[i] = toFloat(p.heading());
            attributes[i] = p.attributes().isEmpty() ? null : json.writeValueAsString(p.attributes());
        }
        Set<PositionKey> keys = new HashSet<>();
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setArray(1, connection.createArrayOf("uuid", tenants));
            statement.setArray(2, connection.createArrayOf("uuid", assets));
            statement.setArray(3, connection.createArrayOf("timestamptz", events));
            statement.setArray(4, connection.createArrayOf("timestamptz", received));
            statement.setArray(5, connection.createArrayOf("float8", lons));
            statement.setArray(6, connection.createArrayOf("float8", lats));
            statement.setArray(7, connection.createArrayOf("float4", altitudes));
            statement.setArray(8, connection.createArrayOf("float4", accuracies));
            statement.setArray(9, connection.createArrayOf("float4", speeds));
            statement.setArray(10, connection.createArrayOf("float4", headings));
            statement.setArray(11, connection.createArrayOf("text", attributes));
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    keys.add(new PositionKey(
                            rs.getObject(1, UUID.class),
                            rs.getObject(2, UUID.class),
                            rs.getTimestamp(3).toInstant()));
                }
            }
        }
        return keys;
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

    /** Creates the partition of {@code day} unless it exists (another node may race us: harmless). */
    void createPartition(LocalDate day) {
        String name = "position_" + day.format(PARTITION_DAY);
        jdbc.sql("create table if not exists " + name + " partition of position for values from ('" + day + "') to ('"
                        + day.plusDays(1) + "')")
                .update();
    }

    void dropPartition(LocalDate day) {
        jdbc.sql("drop table if exists position_" + day.format(PARTITION_DAY)).update();
    }

    /** Deletes one tenant's history older than its retention, inside partitions kept for others. */
    int trimTenant(UUID tenantId, Instant olderThan) {
        return jdbc.sql("delete from position where tenant_id = :tenantId and event_time < :olderThan")
                .param("tenantId", tenantId)
                .param("olderThan", Timestamp.from(olderThan))
                .update();
    }

    Map<UUID, Long> retentionSecondsByTenant() {
        Map<UUID, Long> result = new LinkedHashMap<>();
        jdbc.sql("select id, extract(epoch from position_retention)::bigint from tenant")
                .query((rs, row) -> result.put(rs.getObject(1, UUID.class), rs.getLong(2)))
                .list();
        return result;
    }

    static LocalDate dayOf(Instant instant) {
        return instant.atZone(ZoneOffset.UTC).toLocalDate();
    }

    private static @Nullable Float toFloat(@Nullable Double value) {
        return value == null ? null : value.floatValue();
    }
}
