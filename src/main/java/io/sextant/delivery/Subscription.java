package io.sextant.delivery;

import io.sextant.events.DeliveryPolicy;
import java.time.Instant;
import java.util.Set;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * A tenant's standing order for events: which ones ({@link #filter()}), where to ({@link
 * #channel()}), and as whom ({@link #owner()}: whoever last configured it, with the permissions they
 * had then; {@link DeliveryPolicy} decides for every event at delivery time, on those and on the
 * owner's grants as they stand then). The groups of an external owner's token are not recorded, so
 * its grants through groups do not count for deliveries. Its webhook secret is not part
 * of it: it is shown once, when made or rotated.
 *
 * @param ordering whether one asset's events are delivered one at a time, in order
 * @param consecutiveDeadLetters deliveries dead-lettered in a row since the last success
 * @param disabledReason why Sextant disabled it, if it did
 * @param version counter behind the ETag
 */
public record Subscription(
        UUID id,
        UUID tenantId,
        String name,
        SubscriptionFilter filter,
        boolean enabled,
        ChannelSpec channel,
        SubscriptionOrdering ordering,
        Owner owner,
        int consecutiveDeadLetters,
        @Nullable String disabledReason,
        long version,
        Instant createdAt,
        Instant updatedAt) {

    /** Who a subscription receives events as. */
    public record Owner(String subject, Set<String> permissions) {

        public Owner {
            // Sorted, so the owner reads the same in every response (a Set.copyOf iterates in an
            // order that depends on how it was filled).
            permissions = java.util.Collections.unmodifiableSet(new java.util.TreeSet<>(permissions));
        }
    }

    DeliveryPolicy.Subscriber subscriber() {
        return new DeliveryPolicy.Subscriber(tenantId, owner.subject(), Set.of(), owner.permissions());
    }
}
