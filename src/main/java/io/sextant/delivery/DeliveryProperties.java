package io.sextant.delivery;

import io.sextant.jobs.RetryPolicy;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Subscription and delivery settings.
 *
 * @param maxSubscriptionsPerTenant most subscriptions one tenant may have ({@code
 *     SEXTANT_DELIVERY_MAX_SUBSCRIPTIONS_PER_TENANT})
 * @param disableAfterDeadLetters consecutive dead-lettered deliveries after which a subscription is
 *     disabled ({@code SEXTANT_DELIVERY_DISABLE_AFTER_DEAD_LETTERS})
 * @param maxReplayEvents most events one range replay may queue ({@code
 *     SEXTANT_DELIVERY_MAX_REPLAY_EVENTS})
 * @param batchSize most deliveries of one tenant one job worker attempts at once, read and
 *     recorded in one transaction each ({@code SEXTANT_DELIVERY_BATCH_SIZE}); a batch takes one
 *     of the {@code sextant.jobs.workers} slots
 * @param webhook retry schedule (of every channel) and webhook targets
 */
@ConfigurationProperties("sextant.delivery")
public record DeliveryProperties(
        @DefaultValue("100") int maxSubscriptionsPerTenant,
        @DefaultValue("5") int disableAfterDeadLetters,
        @DefaultValue("10000") int maxReplayEvents,
        @DefaultValue("16") int batchSize,
        @DefaultValue Webhook webhook) {

    public DeliveryProperties {
        if (batchSize < 1) {
            throw new IllegalArgumentException("sextant.delivery.batch-size must be at least 1, was " + batchSize);
        }
    }

    /**
     * @param retryDelays waits after the 1st, 2nd, … failed attempt; after the last one the next
     *     failure is final ({@code SEXTANT_DELIVERY_WEBHOOK_RETRY_DELAYS}); the default is the
     *     Standard Webhooks recommendation
     * @param retryJitter each delay is spread by up to this fraction, ± ({@code
     *     SEXTANT_DELIVERY_WEBHOOK_RETRY_JITTER})
     * @param allowedNetworks CIDR ranges webhooks may target although they are private, loopback or
     *     otherwise refused ({@code SEXTANT_DELIVERY_WEBHOOK_ALLOWED_NETWORKS})
     */
    public record Webhook(
            @DefaultValue({"5s", "5m", "30m", "2h", "5h", "10h", "10h"})
            List<Duration> retryDelays,

            @DefaultValue("0.1") double retryJitter,
            @DefaultValue List<String> allowedNetworks) {

        public Webhook {
            retryDelays = List.copyOf(retryDelays);
            allowedNetworks = allowedNetworks.stream()
                    .map(String::trim)
                    .filter(s -> !s.isEmpty())
                    .toList();
        }

        public RetryPolicy retryPolicy() {
            return new RetryPolicy(retryDelays, retryJitter);
        }
    }
}
