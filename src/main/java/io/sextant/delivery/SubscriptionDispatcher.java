package io.sextant.delivery;

import io.sextant.events.Event;
import io.sextant.events.EventConsumer;
import io.sextant.events.EventFilter;
import io.sextant.events.EventTypes;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Component;

/**
 * Turns the event log into deliveries: for each event, in log order, and each enabled subscription
 * of its tenant whose filter matches, a queued delivery (see {@link DeliveryQueue}), written in the
 * relay's transaction so the deliveries commit with the consumer's cursor or not at all.
 *
 * <p>A tenant's subscriptions are cached in memory. Before each batch one query reads, for the
 * batch's tenants, how many subscriptions each has and their newest revision; a tenant whose pair
 * changed is reloaded. So a change made on any node applies from the next batch on.
 */
@Component
public class SubscriptionDispatcher implements EventConsumer {

    public static final String NAME = "subscriptions";

    private final SubscriptionRepository subscriptions;
    private final DeliveryQueue queue;
    private final Map<UUID, Cached> cache = new ConcurrentHashMap<>();

    SubscriptionDispatcher(SubscriptionRepository subscriptions, DeliveryQueue queue) {
        this.subscriptions = subscriptions;
        this.queue = queue;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void consume(List<Event> events) {
        if (events.isEmpty()) {
            return;
        }
        Set<UUID> tenants = new LinkedHashSet<>();
        events.forEach(e -> tenants.add(e.tenantId()));
        Map<UUID, SubscriptionRepository.CacheStamp> stamps = subscriptions.stamps(tenants);
        for (Event event : events) {
            for (Matching matching : current(event.tenantId(), stamps)) {
                Subscription subscription = matching.subscription();
                if (matching.filter().matches(event) && !reportsItsOwnDisabling(subscription, event)) {
                    queue.enqueue(subscription, event.id(), event.assetId(), null);
                }
            }
        }
    }

    private List<Matching> current(UUID tenantId, Map<UUID, SubscriptionRepository.CacheStamp> stamps) {
        SubscriptionRepository.CacheStamp stamp = stamps.get(tenantId);
        if (stamp == null) {
            cache.remove(tenantId);
            return List.of();
        }
        Cached cached = cache.get(tenantId);
        if (cached == null || !cached.stamp().equals(stamp)) {
            cached = new Cached(
                    stamp,
                    subscriptions.enabledOf(tenantId).stream()
                            .map(s -> new Matching(s, s.filter().toEventFilter()))
                            .toList());
            cache.put(tenantId, cached);
        }
        return cached.subscriptions();
    }

    /** A subscription disabled for its failures is not sent the event that says so; others are. */
    private static boolean reportsItsOwnDisabling(Subscription subscription, Event event) {
        return event.type().equals(EventTypes.SUBSCRIPTION_DISABLED)
                && subscription
                        .id()
                        .toString()
                        .equals(event.data().path("subscriptionId").asString(""));
    }

    private record Cached(SubscriptionRepository.CacheStamp stamp, List<Matching> subscriptions) {}

    /** An enabled subscription and its filter, converted once for every event it is matched against. */
    private record Matching(Subscription subscription, EventFilter filter) {}
}
