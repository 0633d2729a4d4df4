package io.sextant.events;

import io.sextant.shared.Ids;
import io.sextant.shared.access.SqlPredicate;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import tools.jackson.databind.json.JsonMapper;

/**
 * The event log in PostgreSQL: appends (in the caller's transaction), the relay's reads in log
 * order and its consumers' cursors, and the queries the services page and stream by.
 */
@Repository
class EventRepository {

    private static final String INSERT = """
            insert into event (id, tenant_id, type, source, subject, time, asset_id, zone_id,
                               asset_tags, zone_tags, data)
            values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, cast(? as jsonb))""";

    // Note: the xid is selected as text under its own name, so ORDER BY must say event.xid, or it
    // sorts by the text (999 after 1000) rather than by the transaction id.
    static final String COLUMNS = """
            id, tenant_id, type, source, subject, time, recorded_at, asset_id, zone_id,
            asset_tags, zone_tags, data::text, xid::text, seq""";

    private final JdbcClient jdbc;
    private final JdbcTemplate batch;
    private final JsonMapper json;

    EventRepository(JdbcClient jdbc, JdbcTemplate batch, JsonMapper json) {
        this.jdbc = jdbc;
        this.batch = batch;
        this.json = json;
    }

    /** Inserts events in one batch through the current transaction; their new ids, in order. */
    List<UUID> insert(List<NewEvent> events) {
        return java.util.Objects.requireNonNull(
                batch.execute((ConnectionCallback<List<UUID>>) connection -> insert(connection, events)));
    }

    private List<UUID> insert(Connection connection, List<NewEvent> events) throws SQLException {
        List<UUID> ids = new ArrayList<>(events.size());
        try (PreparedStatement statement = connection.prepareStatement(INSERT)) {
            for (NewEvent event : events) {
                UUID id = Ids.newId();
                ids.add(id);
                statement.setObject(1, id);
                statement.setObject(2, event.tenantId());
                statement.setString(3, event.type());
                statement.setString(4, event.source());
                statement.setString(5, event.subject());
                statement.setTimestamp(6, Timestamp.from(event.time()));
                statement.setObject(7, event.assetId());
                statement.setObject(8, event.zoneId());
                statement.setArray(
                        9, connection.createArrayOf("text", event.assetTags().toArray()));
                statement.setArray(
                        10, connection.createArrayOf("text", event.zoneTags().toArray()));
                statement.setString(11, json.writeValueAsString(event.data()));
                statement.addBatch();
            }
            statement.executeBatch();
        }
        return ids;
    }

    /** Inserts one event through the current transaction, if any; its new id. */
    UUID insert(NewEvent event) {
        UUID id = Ids.newId();
        jdbc.sql("""
                        insert into event (id, tenant_id, type, source, subject, time, asset_id, zone_id,
                                           asset_tags, zone_tags, data)
                        values (:id, :tenantId, :type, :source, :subject, :time, :assetId, :zoneId,
                                cast(:assetTags as text[]), cast(:zoneTags as text[]), cast(:data as jsonb))""")
                .param("id", id)
                .param("tenantId", event.tenantId())
                .param("type", event.type())
                .param("source", event.source())
                .param("subject", event.subject())
                .param("time", Timestamp.from(event.time()))
                .param("assetId", event.assetId())
                .param("zoneId", event.zoneId())
                .param("assetTags", event.assetTags().toArray(String[]::new))
                .param("zoneTags", event.zoneTags().toArray(String[]::new))
                .param("data", json.writeValueAsString(event.data()))
                .update();
        return id;
    }

    /** One event of the current tenant's log (row-level security scopes it), by id. */
    Optional<Event> find(UUID tenantId, UUID id) {
        return jdbc.sql("select " + COLUMNS + " from event where tenant_id = :tenantId and id = :id")
                .param("tenantId", tenantId)
                .param("id", id)
                .query((rs, row) -> read(rs))
                .optional();
    }

    /** The types of those of {@code ids} that are in the tenant's log, by id. */
    Map<UUID, String> typesOf(UUID tenantId, Collection<UUID> ids) {
        Map<UUID, String> types = new HashMap<>();
        jdbc.sql("select id, type from event where tenant_id = :tenantId and id = any(:ids)")
                .param("tenantId", tenantId)
                .param("ids", ids.toArray(UUID[]::new))
                .query((ResultSet rs) -> {
                    types.put(rs.getObject(1, UUID.class), rs.getString(2));
                });
        return types;
    }

    /**
     * The ids and assets of a tenant's events with event time in [{@code from}, {@code to}) that
     * {@code filter} lets through, in log order; at most {@code limit}.
     */
    List<EventLog.Reference> references(UUID tenantId, EventFilter filter, Instant from, Instant to, int limit) {
        SqlPredicate matching = filter.toSql();
        return jdbc.sql("""
                        select id, asset_id from event
                         where tenant_id = :tenantId and time >= :from and time < :to
                           and %s
                         order by xid, seq
                         limit :limit""".formatted(matching.sql()))
                .param("tenantId", tenantId)
                .param("from", Timestamp.from(from))
                .param("to", Timestamp.from(to))
                .params(matching.params())
                .param("limit", limit)
                .query((rs, row) -> new EventLog.Reference(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class)))
                .list();
    }

    /**
     * Committed events after {@code after}, in log order, only up to the oldest transaction still
     * running: nothing can later appear before the last one returned.
     */
    List<Event> readAfter(LogPosition after, int limit) {
        return jdbc.sql("select " + COLUMNS + """
                         from event
                        where (xid, seq) > (cast(:xid as xid8), :seq)
                          and xid < pg_snapshot_xmin(pg_current_snapshot())
                        order by event.xid, event.seq
                        limit :limit""")
                .param("xid", Long.toString(after.xid()))
                .param("seq", after.seq())
                .param("limit", limit)
                .query((rs, row) -> read(rs))
                .list();
    }

    /**
     * Whether committed events lie after {@code after} at or past the oldest transaction still
     * running: a reader that has read everything below that horizon is held back by a transaction,
     * not done, and the commit that releases it may append no event (so wakes no one).
     */
    boolean heldBack(LogPosition after) {
        // In log order with a limit, so the log-order index starts at the horizon (as an EXISTS,
        // the planner may scan the whole table, expecting an early match that is seldom there).
        return jdbc.sql("""
                        select true from event
                        where xid >= pg_snapshot_xmin(pg_current_snapshot())
                          and (xid, seq) > (cast(:xid as xid8), :seq)
                        order by event.xid, event.seq
                        limit 1""")
                .param("xid", Long.toString(after.xid()))
                .param("seq", after.seq())
                .query(Boolean.class)
                .optional()
                .isPresent();
    }

    /** Makes sure a consumer has a cursor (a new one starts at the beginning of the log). */
    void registerConsumer(String name) {
        jdbc.sql("insert into event_consumer (name) values (:name) on conflict do nothing")
                .param("name", name)
                .update();
    }

    /** Locks a consumer's cursor for this transaction, or nothing if another node holds it. */
    @Nullable
    LogPosition lockCursor(String name) {
        return jdbc.sql("select xid::text, seq from event_consumer where name = :name for update skip locked")
                .param("name", name)
                .query((rs, row) -> new LogPosition(Long.parseLong(rs.getString(1)), rs.getLong(2)))
                .optional()
                .orElse(null);
    }

    /** Moves a consumer's cursor to {@code to}, in the transaction that locked it. */
    void advanceCursor(String name, LogPosition to) {
        jdbc.sql("""
                        update event_consumer set xid = cast(:xid as xid8), seq = :seq, updated_at = now()
                        where name = :name""")
                .param("xid", Long.toString(to.xid()))
                .param("seq", to.seq())
                .param("name", name)
                .update();
    }

    /** The newest event no running transaction can still precede: where live listeners start. */
    LogPosition tail() {
        return jdbc.sql("""
                        select xid::text, seq from event
                        where xid < pg_snapshot_xmin(pg_current_snapshot())
                        order by event.xid desc, event.seq desc limit 1""")
                .query((rs, row) -> new LogPosition(Long.parseLong(rs.getString(1)), rs.getLong(2)))
                .optional()
                .orElse(LogPosition.START);
    }

    /** Where a page continues: after (or, newest first, before) the event at this time with this id. */
    record PageKey(Instant time, UUID id) {}

    /**
     * At most {@code limit} of a tenant's events that {@code filter} lets through, with {@code from <=
     * time < to}, after {@code after} in (time, id) order, oldest first unless {@code newestFirst}.
     */
    List<Event> search(
            UUID tenantId,
            EventFilter filter,
            @Nullable Instant from,
            @Nullable Instant to,
            boolean newestFirst,
            @Nullable PageKey after,
            int limit) {
        return search(tenantId, filter, null, from, to, newestFirst, after, limit);
    }

    /**
     * As {@link #search(UUID, EventFilter, Instant, Instant, boolean, PageKey, int)}, and only rows
     * that {@code visible} (a predicate over the unqualified columns of {@code event}, its
     * parameters named apart from the filter's) holds for, when given.
     */
    List<Event> search(
            UUID tenantId,
            EventFilter filter,
            @Nullable SqlPredicate visible,
            @Nullable Instant from,
            @Nullable Instant to,
            boolean newestFirst,
            @Nullable PageKey after,
            int limit) {
        SqlPredicate matching = filter.toSql();
        List<String> where = new ArrayList<>(List.of("tenant_id = :tenantId", matching.sql()));
        Map<String, Object> params = new LinkedHashMap<>(matching.params());
        params.put("tenantId", tenantId);
        if (visible != null) {
            where.add(visible.sql());
            params.putAll(visible.params());
        }
        if (from != null) {
            where.add("time >= :from");
            params.put("from", Timestamp.from(from));
        }
        if (to != null) {
            where.add("time < :to");
            params.put("to", Timestamp.from(to));
        }
        if (after != null) {
            where.add(newestFirst ? "(time, id) < (:cursorTime, :cursorId)" : "(time, id) > (:cursorTime, :cursorId)");
            params.put("cursorTime", Timestamp.from(after.time()));
            params.put("cursorId", after.id());
        }
        String direction = newestFirst ? " desc" : "";
        params.put("limit", limit);
        return jdbc.sql("select " + COLUMNS + " from event where " + String.join(" and ", where) + " order by time"
                        + direction + ", id" + direction + " limit :limit")
                .params(params)
                .query((rs, row) -> read(rs))
                .list();
    }

    /**
     * At most {@code limit} of a tenant's committed events after {@code after} that {@code filter}
     * lets through, in log order, only up to the oldest transaction still running: nothing can later
     * appear before the last one returned.
     */
    List<Event> readTenantAfter(UUID tenantId, EventFilter filter, LogPosition after, int limit) {
        SqlPredicate matching = filter.toSql();
        return jdbc.sql("select " + COLUMNS + """
                         from event
                        where tenant_id = :tenantId
                          and (xid, seq) > (cast(:xid as xid8), :seq)
                          and xid < pg_snapshot_xmin(pg_current_snapshot())
                          and %s
                        order by event.xid, event.seq
                        limit :limit""".formatted(matching.sql()))
                .params(matching.params())
                .param("tenantId", tenantId)
                .param("xid", Long.toString(after.xid()))
                .param("seq", after.seq())
                .param("limit", limit)
                .query((rs, row) -> read(rs))
                .list();
    }

    private Event read(ResultSet rs) throws SQLException {
        return new Event(
                rs.getObject("id", UUID.class),
                rs.getObject("tenant_id", UUID.class),
                rs.getString("type"),
                rs.getString("source"),
                rs.getString("subject"),
                rs.getTimestamp("time").toInstant(),
                rs.getTimestamp("recorded_at").toInstant(),
                rs.getObject("asset_id", UUID.class),
                rs.getObject("zone_id", UUID.class),
                strings(rs.getArray("asset_tags")),
                strings(rs.getArray("zone_tags")),
                json.readTree(rs.getString("data")),
                new LogPosition(Long.parseLong(rs.getString("xid")), rs.getLong("seq")));
    }

    private static List<String> strings(Array array) throws SQLException {
        return Arrays.asList((String[]) array.getArray());
    }
}
