package io.sextant.delivery;

import io.sextant.events.DeliveryPolicy;
import java.time.Instant;
import java.util.Collections;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * A tenant's standing order for events: which ones ({@link #filter()}), where to ({@link
 * #channel()}), and as whom ({@link #owner()}: whoever last configured it, with the groups its token
 * carried and the permissions it had then; {@link DeliveryPolicy} decides for every event at
 * delivery time, on those and on the grants of the owner and its groups as they stand then). Its
 * webhook secret is not part of it: it is shown once, when made or rotated.
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

    /**
     * Who a subscription receives events as.
     *
     * @param groups the groups its token named (an external principal's roles claim), whose {@code
     *     group:<name>} grants count for it; empty for other principals
     */
    public record Owner(String subject, Set<String> groups, Set<String> permissions) {

        public Owner {
            // Sorted, so the owner reads the same in every response (a Set.copyOf iterates in an
            // order that depends on how it was filled).
            groups = Collections.unmodifiableSet(new TreeSet<>(groups));
            permissions = Collections.unmodifiableSet(new TreeSet<>(permissions));
        }
    }

    DeliveryPolicy.Subscriber subscriber() {
        return new DeliveryPolicy.Subscriber(tenantId, owner.subject(), owner.groups(), owner.permissions());
    }
}
