package io.sextant.events;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The queries of the event log that its services page and stream by; every one filters by tenant. */
@Repository
class EventRepository {

    private final JdbcClient jdbc;
    private final EventLog eventLog;

    EventRepository(JdbcClient jdbc, EventLog eventLog) {
        this.jdbc = jdbc;
        this.eventLog = eventLog;
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
        EventFilter.SqlPredicate matching = filter.toSql();
        List<String> where = new ArrayList<>(List.of("tenant_id = :tenantId", matching.sql()));
        Map<String, Object> params = new LinkedHashMap<>(matching.params());
        params.put("tenantId", tenantId);
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
        return jdbc.sql("select " + EventLog.COLUMNS + " from event where " + String.join(" and ", where)
                        + " order by time" + direction + ", id" + direction + " limit :limit")
                .params(params)
                .query((rs, row) -> eventLog.read(rs))
                .list();
    }

    /**
     * At most {@code limit} of a tenant's committed events after {@code after} that {@code filter}
     * lets through, in log order, only up to the oldest transaction still running: nothing can later
     * appear before the last one returned.
     */
    List<Event> readTenantAfter(UUID tenantId, EventFilter filter, LogPosition after, int limit) {
        EventFilter.SqlPredicate matching = filter.toSql();
        return jdbc.sql("select " + EventLog.COLUMNS + """
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
                .query((rs, row) -> eventLog.read(rs))
                .list();
    }
}
