package io.sextant.delivery;

import io.sextant.jobs.Jobs;
import io.sextant.jobs.NewJob;
import io.sextant.shared.Ids;
import java.time.Clock;
import java.time.Instant;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

/**
 * Queues a delivery: a {@code pending} delivery row and a job of kind {@link DeliveryJobs#KIND},
 * both in the caller's transaction. The job's ordering key follows the subscription's {@link
 * SubscriptionOrdering}: per asset, {@code subscriptionId:assetId} (just the subscription id for
 * events about no asset), so one subscription receives one asset's events one at a time, in the
 * order they were queued, retries included; with {@code none}, no key, so each delivery is attempted
 * and retried on its own. The job workers are woken once the transaction commits.
 */
@Component
class DeliveryQueue {

    private final DeliveryRepository deliveries;
    private final Jobs jobs;
    private final Clock clock;

    DeliveryQueue(DeliveryRepository deliveries, Jobs jobs, Clock clock) {
        this.deliveries = deliveries;
        this.jobs = jobs;
        this.clock = clock;
    }

    UUID enqueue(Subscription subscription, UUID eventId, @Nullable UUID assetId, @Nullable UUID replayOf) {
        UUID id = Ids.newId();
        Instant now = clock.instant();
        deliveries.insert(id, subscription.tenantId(), subscription.id(), eventId, replayOf, now);
        jobs.enqueue(new NewJob(
                DeliveryJobs.KIND,
                subscription.tenantId(),
                "{\"deliveryId\":\"" + id + "\"}",
                now,
                subscription.ordering().jobKey(subscription.id(), assetId)));
        return id;
    }
}
