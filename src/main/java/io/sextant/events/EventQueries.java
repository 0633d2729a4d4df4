package io.sextant.events;

import io.sextant.shared.TenantContext;
import io.sextant.shared.TimeBounds;
import io.sextant.shared.problem.InvalidInput;
import io.sextant.shared.problem.NotFound;
import io.sextant.shared.web.CursorPage;
import io.sextant.shared.web.Cursors;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** The current tenant's event log, filtered and paged by (event time, id). */
@Service
public class EventQueries {

    private final JdbcClient jdbc;
    private final EventLog eventLog;

    EventQueries(JdbcClient jdbc, EventLog eventLog) {
        this.jdbc = jdbc;
        this.eventLog = eventLog;
    }

    /**
     * Events matching {@code filter} with {@code from <= time < to}, oldest first unless {@code
     * newestFirst}; tag filters are applied in SQL too, so pages are never short.
     */
    @Transactional(readOnly = true)
    public CursorPage<Event> search(
            EventFilter filter,
            @Nullable Instant from,
            @Nullable Instant to,
            boolean newestFirst,
            @Nullable String cursor,
            int limit) {
        UUID tenantId = TenantContext.require();
        List<String> where = new ArrayList<>(List.of("tenant_id = :tenantId"));
        StringBuilder sql =
                new StringBuilder("select ").append(EventLog.COLUMNS).append(" from event where ");
        var params = new java.util.LinkedHashMap<String, Object>();
        params.put("tenantId", tenantId);
        if (!filter.types().isEmpty()) {
            List<String> exact = new ArrayList<>();
            List<String> typeClauses = new ArrayList<>();
            int i = 0;
            for (String type : filter.types()) {
                if (type.endsWith(".*")) {
                    String name = "typePrefix" + i++;
                    typeClauses.add("type like :" + name);
                    params.put(name, type.substring(0, type.length() - 1) + "%");
                } else {
                    exact.add(type);
                }
            }
            if (!exact.isEmpty()) {
                typeClauses.add("type = any(cast(:types as text[]))");
                params.put("types", exact.toArray(String[]::new));
            }
            where.add("(" + String.join(" or ", typeClauses) + ")");
        }
        if (!filter.assetIds().isEmpty()) {
            where.add("asset_id = any(cast(:assetIds as uuid[]))");
            params.put("assetIds", filter.assetIds().toArray(UUID[]::new));
        }
        if (!filter.zoneIds().isEmpty()) {
            where.add("zone_id = any(cast(:zoneIds as uuid[]))");
            params.put("zoneIds", filter.zoneIds().toArray(UUID[]::new));
        }
        if (!filter.assetTags().isEmpty()) {
            where.add("asset_tags && cast(:assetTags as text[])");
            params.put("assetTags", filter.assetTags().toArray(String[]::new));
        }
        if (!filter.zoneTags().isEmpty()) {
            where.add("zone_tags && cast(:zoneTags as text[])");
            params.put("zoneTags", filter.zoneTags().toArray(String[]::new));
        }
        if (from != null) {
            where.add("time >= :from");
            params.put("from", Timestamp.from(from));
        }
        if (to != null) {
            where.add("time < :to");
            params.put("to", Timestamp.from(to));
        }
        String position = Cursors.decode(cursor);
        if (position != null) {
            Key key = Key.parse(position);
            where.add(newestFirst ? "(time, id) < (:cursorTime, :cursorId)" : "(time, id) > (:cursorTime, :cursorId)");
            params.put("cursorTime", Timestamp.from(key.time()));
            params.put("cursorId", key.id());
        }
        String direction = newestFirst ? " desc" : "";
        sql.append(String.join(" and ", where))
                .append(" order by time")
                .append(direction)
                .append(", id")
                .append(direction)
                .append(" limit :limit");
        params.put("limit", limit + 1);
        var statement = jdbc.sql(sql.toString()).params(params);
        List<Event> rows = statement.query((rs, row) -> eventLog.read(rs)).list();
        return CursorPage.fromLookahead(rows, limit, e -> e.time() + "|" + e.id());
    }

    @Transactional(readOnly = true)
    public Event get(UUID id) {
        return eventLog.find(TenantContext.require(), id).orElseThrow(() -> new NotFound("event", id));
    }

    private record Key(Instant time, UUID id) {
        static Key parse(String position) {
            int bar = position.indexOf('|');
            try {
                // A hand-made cursor could hold any year Java reads; PostgreSQL would refuse it.
                return new Key(
                        TimeBounds.check(Instant.parse(position.substring(0, bar))),
                        UUID.fromString(position.substring(bar + 1)));
            } catch (RuntimeException e) {
                throw new InvalidInput("cursor", "is not a cursor returned by this API");
            }
        }
    }
}
