package io.sextant.delivery;

import io.sextant.events.Event;
import io.sextant.events.EventLog;
import io.sextant.shared.TenantContext;
import io.sextant.shared.access.RequiresPermission;
import io.sextant.shared.problem.Conflict;
import io.sextant.shared.problem.InvalidInput;
import io.sextant.shared.problem.NotFound;
import io.sextant.shared.web.CursorPage;
import io.sextant.shared.web.Cursors;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The delivery log of the current tenant's subscriptions, and replay: a replay queues new
 * deliveries of events already in the log, carrying the same event ids (so the same {@code
 * webhook-id}), behind whatever the subscription still has queued for the same asset when it orders
 * per asset. Every operation requires {@code subscriptions:manage}.
 */
@Service
@Transactional
@RequiresPermission("subscriptions:manage")
public class Deliveries {

    private final DeliveryRepository repository;
    private final Subscriptions subscriptions;
    private final DeliveryQueue queue;
    private final EventLog events;
    private final DeliveryProperties properties;

    Deliveries(
            DeliveryRepository repository,
            Subscriptions subscriptions,
            DeliveryQueue queue,
            EventLog events,
            DeliveryProperties properties) {
        this.repository = repository;
        this.subscriptions = subscriptions;
        this.queue = queue;
        this.events = events;
        this.properties = properties;
    }

    /** A subscription's deliveries, newest first, optionally only those of one status. */
    @Transactional(readOnly = true)
    public CursorPage<Delivery> list(
            UUID subscriptionId, @Nullable DeliveryStatus status, @Nullable String cursor, int limit) {
        Subscription subscription = subscriptions.get(subscriptionId);
        UUID before = Cursors.decodeId(cursor);
        List<Delivery> rows = repository.page(subscription.tenantId(), subscriptionId, status, before, limit + 1);
        return CursorPage.fromLookahead(withEventTypes(subscription.tenantId(), rows), limit, d -> d.id().toString());
    }

    /** One delivery of the subscription, with every attempt. */
    @Transactional(readOnly = true)
    public Delivery get(UUID subscriptionId, UUID deliveryId) {
        UUID tenantId = TenantContext.require();
        Delivery delivery = repository
                .find(tenantId, deliveryId)
                .filter(d -> d.subscriptionId().equals(subscriptionId))
                .orElseThrow(() -> new NotFound("delivery", deliveryId));
        return withEventTypes(tenantId, List.of(delivery))
                .getFirst()
                .withAttemptLog(repository.attempts(tenantId, deliveryId));
    }

    /** Queues a new delivery of the event that {@code deliveryId} delivered; returns it. */
    public Delivery replay(UUID subscriptionId, UUID deliveryId) {
        Subscription subscription = replayable(subscriptionId);
        Delivery original = get(subscriptionId, deliveryId);
        Event event = events.find(subscription.tenantId(), original.eventId())
                .orElseThrow(() -> new Conflict("event " + original.eventId() + " is no longer in the log"));
        UUID id = queue.enqueue(subscription, event.id(), event.assetId(), deliveryId);
        return repository.find(subscription.tenantId(), id).orElseThrow().withEventType(event.type());
    }

    /**
     * Queues a new delivery of every event with event time in [{@code from}, {@code to}) that the
     * subscription's filter matches, in log order; returns how many. More than {@code
     * max-replay-events} is refused whole.
     */
    public int replay(UUID subscriptionId, Instant from, Instant to) {
        if (!from.isBefore(to)) {
            throw new InvalidInput("to", "must be after from");
        }
        Subscription subscription = replayable(subscriptionId);
        int max = properties.maxReplayEvents();
        List<EventLog.Reference> matching =
                events.matching(subscription.tenantId(), subscription.filter().toEventFilter(), from, to, max + 1);
        if (matching.size() > max) {
            throw new InvalidInput(
                    "from",
                    "more than " + max + " events match between " + from + " and " + to + "; narrow the range (at most "
                            + max + " per replay)");
        }
        for (EventLog.Reference event : matching) {
            queue.enqueue(subscription, event.id(), event.assetId(), null);
        }
        return matching.size();
    }

    /** The deliveries with the types of their events, as the log still has them. */
    private List<Delivery> withEventTypes(UUID tenantId, List<Delivery> deliveries) {
        Map<UUID, String> types = events.typesOf(
                tenantId, deliveries.stream().map(Delivery::eventId).collect(Collectors.toSet()));
        return deliveries.stream()
                .map(d -> d.withEventType(types.get(d.eventId())))
                .toList();
    }

    private Subscription replayable(UUID subscriptionId) {
        Subscription subscription = subscriptions.get(subscriptionId);
        if (!subscription.enabled()) {
            throw new Conflict("subscription " + subscriptionId + " is disabled; enable it before replaying");
        }
        return subscription;
    }
}
