package io.sextant.events;

import io.sextant.shared.TenantContext;
import io.sextant.shared.TimeBounds;
import io.sextant.shared.access.AccessPolicies;
import io.sextant.shared.access.RequiresPermission;
import io.sextant.shared.access.Visibility;
import io.sextant.shared.problem.InvalidInput;
import io.sextant.shared.problem.NotFound;
import io.sextant.shared.web.CursorPage;
import io.sextant.shared.web.Cursors;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The current tenant's event log, filtered and paged by (event time, id); requires {@code
 * events:read}, and shows only the events the caller's grants of it reach ({@link EventVisibility}):
 * a hidden event is not in any page, and by id it is as missing as an unknown one.
 */
@Service
@RequiresPermission("events:read")
public class EventQueries {

    private final EventRepository repository;
    private final EventLog eventLog;
    private final EventVisibility visibility;
    private final Clock clock;

    EventQueries(EventRepository repository, EventLog eventLog, EventVisibility visibility, Clock clock) {
        this.repository = repository;
        this.eventLog = eventLog;
        this.visibility = visibility;
        this.clock = clock;
    }

    /**
     * Events matching {@code filter} with {@code from <= time < to}, oldest first unless {@code
     * newestFirst}; tag filters are applied in SQL too, so pages are never short. Under a scoped
     * grant its asset parts, data window, zone tags and the region's boxes narrow the SQL as well,
     * and the exact region and shifts refine in memory while chunks are read on until the page is
     * full.
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
        UUID tenantId = TenantContext.require();
        Instant now = clock.instant();
        EventVisibility.Compiled visible =
                visibility.compile(AccessPolicies.current().visibility(DeliveryPolicy.EVENTS_READ, now), now);
        if (visible == null) {
            List<Event> rows = repository.search(tenantId, filter, from, to, newestFirst, after, limit + 1);
            return CursorPage.fromLookahead(rows, limit, EventQueries::key);
        }
        // One row beyond the page says whether there is a next one; rows the exact test refuses are
        // skipped, and reading goes on from the last row read until the page is full or none is left.
        List<Event> page = new ArrayList<>(Math.min(limit + 1, 1024));
        while (true) {
            List<Event> chunk =
                    repository.search(tenantId, filter, visible.sql(), from, to, newestFirst, after, limit + 1);
            visible.prepare(chunk);
            for (Event event : chunk) {
                after = new EventRepository.PageKey(event.time(), event.id());
                if (visible.reaches(event)) {
                    page.add(event);
                    if (page.size() > limit) {
                        return CursorPage.fromLookahead(page, limit, EventQueries::key);
                    }
                }
            }
            if (chunk.size() <= limit) {
                return CursorPage.fromLookahead(page, limit, EventQueries::key);
            }
        }
    }

    /** One event the caller's grants reach; one they do not reach is not found, like an unknown one. */
    @Transactional(readOnly = true)
    public Event get(UUID id) {
        Event event = eventLog.find(TenantContext.require(), id).orElseThrow(() -> new NotFound("event", id));
        Visibility visible = AccessPolicies.current().visibility(DeliveryPolicy.EVENTS_READ, clock.instant());
        if (!visibility.reaches(visible, event, clock.instant())) {
            throw new NotFound("event", id);
        }
        return event;
    }

    private static String key(Event event) {
        return event.time() + "|" + event.id();
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
