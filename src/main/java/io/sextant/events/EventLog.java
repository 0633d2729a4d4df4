package io.sextant.events;

import io.sextant.shared.Ids;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import tools.jackson.databind.json.JsonMapper;

/**
 * Appends events to the log inside the caller's transaction, and reads them back. Appending is the
 * only way an event is published: what is not committed with its cause does not exist.
 */
@Service
public class EventLog {

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
    private final ObjectProvider<OutboxRelay> relay;

    EventLog(JdbcClient jdbc, JdbcTemplate batch, JsonMapper json, ObjectProvider<OutboxRelay> relay) {
        this.jdbc = jdbc;
        this.batch = batch;
        this.json = json;
        this.relay = relay;
    }

    /** Tells the relay that events were just committed, so it hands them on without waiting to poll. */
    public void committed() {
        relay.ifAvailable(OutboxRelay::wake);
    }

    /**
     * Appends in one batch within the current Spring-managed transaction (an ingest group's, a
     * timer's), with which the events commit or not at all. Returns the ids given to the events, in
     * order; the relay is woken once the transaction has committed.
     *
     * @throws IllegalStateException outside a transaction: an event belongs to the change it reports
     */
    public List<UUID> append(List<NewEvent> events) {
        if (events.isEmpty()) {
            return List.of();
        }
        if (!TransactionSynchronizationManager.isActualTransactionActive()) {
            throw new IllegalStateException("events are appended only within the transaction of their cause");
        }
        List<UUID> ids = batch.execute((ConnectionCallback<List<UUID>>) connection -> insert(connection, events));
        wakeAfterCommit();
        return java.util.Objects.requireNonNull(ids);
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

    private void wakeAfterCommit() {
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    committed();
                }
            });
        } else {
            committed();
        }
    }

    /** Appends within the current Spring-managed transaction; returns the event's id. */
    public UUID append(NewEvent event) {
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
        wakeAfterCommit();
        return id;
    }

    /** One event of the current tenant's log (row-level security scopes it), by id. */
    public Optional<Event> find(UUID tenantId, UUID id) {
        return jdbc.sql("select " + COLUMNS + " from event where tenant_id = :tenantId and id = :id")
                .param("tenantId", tenantId)
                .param("id", id)
                .query((rs, row) -> read(rs))
                .optional();
    }

    /**
     * Committed events after {@code after}, in log order, only up to the oldest transaction still
     * running: nothing can later appear before the last one returned.
     */
    public List<Event> readAfter(LogPosition after, int limit) {
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

    Event read(ResultSet rs) throws SQLException {
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
