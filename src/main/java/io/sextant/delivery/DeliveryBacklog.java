package io.sextant.delivery;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.sextant.shared.TenantContext;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * The delivery backlog of each subscription, as gauges tagged {@code tenant} and {@code
 * subscription} (ids): {@code sextant.delivery.backlog} (deliveries not yet finished: pending or
 * failed and waiting for a retry) and {@code sextant.delivery.backlog.oldest} (seconds since the
 * oldest of them was queued, 0 when there is none). Every subscription has a pair — at most 100 per
 * tenant — and a deleted one's pair goes at the next refresh, every {@value #REFRESH_SECONDS} s on
 * every node; each node reports the same figures (take the max across nodes, not the sum).
 */
@Component
class DeliveryBacklog {

    static final long REFRESH_SECONDS = 5;

    private static final Logger log = LoggerFactory.getLogger(DeliveryBacklog.class);

    private final DeliveryRepository deliveries;
    private final Clock clock;
    private final MultiGauge pending;
    private final MultiGauge oldest;

    DeliveryBacklog(DeliveryRepository deliveries, Clock clock, MeterRegistry registry) {
        this.deliveries = deliveries;
        this.clock = clock;
        this.pending = MultiGauge.builder("sextant.delivery.backlog")
                .description(
                        "Deliveries not yet finished (pending, or failed and waiting for a retry), by subscription")
                .register(registry);
        this.oldest = MultiGauge.builder("sextant.delivery.backlog.oldest")
                .description("Age of the subscription's oldest unfinished delivery, 0 when it has none")
                .baseUnit("seconds")
                .register(registry);
    }

    /**
     * Reads every tenant's backlogs as the owner: a tenant scope would hide the others' rows. While
     * the database cannot be read, the gauges keep their last figures.
     */
    @Scheduled(fixedDelay = REFRESH_SECONDS, initialDelay = 1, timeUnit = TimeUnit.SECONDS)
    void refresh() {
        List<Backlog> backlogs;
        try {
            backlogs = TenantContext.callAsSystem(deliveries::backlogs);
        } catch (DataAccessException e) {
            log.warn("Could not read the delivery backlogs: {}", e.toString());
            return;
        }
        pending.register(
                backlogs.stream()
                        .<MultiGauge.Row<?>>map(b -> MultiGauge.Row.of(b.tags(), b.pending()))
                        .toList(),
                true);
        oldest.register(
                backlogs.stream()
                        .<MultiGauge.Row<?>>map(b ->
                                MultiGauge.Row.of(b.tags(), (Supplier<Number>) () -> b.ageSeconds(clock.instant())))
                        .toList(),
                true);
    }

    /**
     * One subscription's unfinished deliveries.
     *
     * @param oldestQueuedAt when the oldest of them was queued; null when there are none
     */
    record Backlog(
            UUID tenantId,
            UUID subscriptionId,
            long pending,
            @Nullable Instant oldestQueuedAt) {

        Tags tags() {
            return Tags.of("tenant", tenantId.toString(), "subscription", subscriptionId.toString());
        }

        /** Measured when scraped, so it keeps growing between refreshes. */
        double ageSeconds(Instant now) {
            if (oldestQueuedAt == null) {
                return 0;
            }
            Duration age = Duration.between(oldestQueuedAt, now);
            return age.isNegative() ? 0 : age.toNanos() / 1e9;
        }
    }
}
