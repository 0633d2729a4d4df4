package io.sextant.events;

import io.sextant.shared.TenantContext;
import io.sextant.shared.TimeBounds;
import io.sextant.shared.access.RequiresPermission;
import io.sextant.shared.problem.InvalidInput;
import io.sextant.shared.problem.NotFound;
import io.sextant.shared.web.CursorPage;
import io.sextant.shared.web.Cursors;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** The current tenant's event log, filtered and paged by (event time, id); requires {@code events:read}. */
@Service
@RequiresPermission("events:read")
public class EventQueries {

    private final EventRepository repository;
    private final EventLog eventLog;

    EventQueries(EventRepository repository, EventLog eventLog) {
        this.repository = repository;
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
        String position = Cursors.decode(cursor);
        EventRepository.PageKey after = position == null ? null : pageKey(position);
        List<Event> rows = repository.search(TenantContext.require(), filter, from, to, newestFirst, after, limit + 1);
        return CursorPage.fromLookahead(rows, limit, e -> e.time() + "|" + e.id());
    }

    @Transactional(readOnly = true)
    public Event get(UUID id) {
        return eventLog.find(TenantContext.require(), id).orElseThrow(() -> new NotFound("event", id));
    }

    private static EventRepository.PageKey pageKey(String position) {
        int bar = position.indexOf('|');
        try {
            // A hand-made cursor could hold any year Java reads; PostgreSQL would refuse it.
            return new EventRepository.PageKey(
                    TimeBounds.check(Instant.parse(position.substring(0, bar))),
                    UUID.fromString(position.substring(bar + 1)));
        } catch (RuntimeException e) {
            throw new InvalidInput("cursor", "is not a cursor returned by this API");
        }
    }
}
