package io.sextant.delivery;

import io.sextant.events.DeliveryPolicy;
import io.sextant.events.Event;
import io.sextant.events.EventLog;
import io.sextant.events.EventTypes;
import io.sextant.events.NewEvent;
import io.sextant.jobs.Job;
import io.sextant.jobs.JobHandler;
import io.sextant.jobs.PermanentJobFailure;
import io.sextant.jobs.RetryPolicy;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;

/**
 * Runs one delivery attempt per job of kind {@value #KIND} ({@code {"deliveryId": …}}): asks {@link
 * DeliveryPolicy} whether the subscription's owner may receive the event (no: {@code skipped}, no
 * retry), makes the attempt on the subscription's channel outside any transaction, then records it.
 * A failed attempt fails the job, which runs again on the configured schedule; a refused target (the
 * SSRF guard) fails it for good. When the job goes to the dead letter the delivery is {@code dead},
 * and after {@code disable-after-dead-letters} dead deliveries in a row the subscription is disabled
 * and {@code sextant.subscription.disabled} is appended to the log in the same transaction.
 */
@Component
public class DeliveryJobs implements JobHandler {

    public static final String KIND = "delivery";

    private static final Logger log = LoggerFactory.getLogger(DeliveryJobs.class);
    private static final ThreadFactory ATTEMPTS =
            Thread.ofVirtual().name("delivery-attempt-", 0).factory();

    private final DeliveryRepository deliveries;
    private final SubscriptionRepository subscriptions;
    private final EventLog events;
    private final DeliveryPolicy policy;
    private final DeliveryChannels channels;
    private final DeliveryProperties properties;
    private final DeliveryMetrics metrics;
    private final TransactionTemplate transactions;
    private final Clock clock;
    private final JsonMapper json;

    DeliveryJobs(
            DeliveryRepository deliveries,
            SubscriptionRepository subscriptions,
            EventLog events,
            DeliveryPolicy policy,
            DeliveryChannels channels,
            DeliveryProperties properties,
            DeliveryMetrics metrics,
            TransactionTemplate transactions,
            Clock clock,
            JsonMapper json) {
        this.deliveries = deliveries;
        this.subscriptions = subscriptions;
        this.events = events;
        this.policy = policy;
        this.channels = channels;
        this.properties = properties;
        this.metrics = metrics;
        this.transactions = transactions;
        this.clock = clock;
        this.json = json;
    }

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    public RetryPolicy retryPolicy() {
        return properties.webhook().retryPolicy();
    }

    /** Runs as the job's tenant (the worker sees to that), so its transactions are scoped to it. */
    @Override
    public void handle(Job job) throws Exception {
        Exception failure = handleAll(List.of(job)).get(job.id());
        if (failure != null) {
            throw failure;
        }
    }

    @Override
    public void deadLettered(Job job, String lastError) {
        UUID tenantId = tenantOf(job);
        UUID deliveryId = deliveryOf(job);
        Delivery delivery = deliveries.find(tenantId, deliveryId).orElse(null);
        if (delivery == null
                || !deliveries.finish(tenantId, deliveryId, DeliveryStatus.DEAD, lastError, clock.instant())) {
            return;
        }
        subscriptions
                .countDeadLetter(tenantId, delivery.subscriptionId())
                .filter(count -> count.enabled() && count.consecutive() >= properties.disableAfterDeadLetters())
                .ifPresent(count -> disable(tenantId, delivery.subscriptionId(), count));
    }

    @Override
    public int batchSize() {
        return properties.batchSize();
    }

    /**
     * Attempts several deliveries of one tenant at once: what they need is read in one transaction,
     * the attempts run side by side (each on its own virtual thread, none inside a transaction), and
     * all of them are recorded in one transaction — so a batch costs the database two transactions,
     * not two per delivery. An attempt is recorded only after it ended, so a node that dies in between
     * leaves its deliveries to be attempted again (at least once, never lost).
     */
    @Override
    public Map<UUID, Exception> handleAll(List<Job> jobs) throws InterruptedException {
        UUID tenantId = tenantOf(jobs.getFirst());
        Map<UUID, Exception> failures = new LinkedHashMap<>();
        Map<UUID, UUID> deliveryIds = new LinkedHashMap<>();
        for (Job job : jobs) {
            try {
                deliveryIds.put(job.id(), deliveryOf(job));
            } catch (PermanentJobFailure e) {
                failures.put(job.id(), e);
            }
        }
        Map<UUID, Work> work = Objects.requireNonNullElse(
                transactions.execute(status -> {
                    Map<UUID, Work> prepared = new LinkedHashMap<>();
                    Map<UUID, Optional<Subscription>> subscriptionsById = new HashMap<>();
                    Map<UUID, Optional<String>> secretsById = new HashMap<>();
                    deliveryIds.forEach((jobId, deliveryId) -> {
                        Work one = prepare(tenantId, deliveryId, subscriptionsById, secretsById);
                        if (one != null) {
                            prepared.put(jobId, one);
                        }
                    });
                    return prepared;
                }),
                Map.of());
        if (work.isEmpty()) {
            return failures;
        }
        Map<UUID, Attempted> attempts = attemptAll(work, failures);
        if (Thread.currentThread().isInterrupted()) {
            // Shutting down: the worker hands the jobs back uncounted, so these attempts are not recorded.
            throw new InterruptedException("shut down during the attempts");
        }
        transactions.executeWithoutResult(status -> {
            Set<UUID> reached = new HashSet<>();
            attempts.values().forEach(attempt -> {
                boolean delivered = attempt.outcome().result() == AttemptOutcome.Result.DELIVERED;
                boolean recorded = deliveries.recordAttempt(
                        tenantId,
                        attempt.work().deliveryId(),
                        attempt.startedAt(),
                        attempt.outcome(),
                        delivered ? DeliveryStatus.DELIVERED : DeliveryStatus.FAILED_RETRYING,
                        clock.instant());
                if (recorded
                        && delivered
                        && reached.add(attempt.work().subscription().id())) {
                    subscriptions.resetDeadLetters(
                            tenantId, attempt.work().subscription().id());
                }
            });
        });
        attempts.forEach((jobId, attempt) -> {
            String channel = attempt.work().subscription().channel().type();
            AttemptOutcome outcome = attempt.outcome();
            metrics.attempted(channel, outcome.result());
            switch (outcome.result()) {
                case DELIVERED ->
                    metrics.delivered(
                            channel, Duration.between(attempt.work().event().recordedAt(), attempt.endedAt()));
                case REFUSED -> failures.put(jobId, new PermanentJobFailure(String.valueOf(outcome.error())));
                case FAILED -> failures.put(jobId, new FailedAttempt(String.valueOf(outcome.error())));
            }
        });
        return failures;
    }

    /**
     * Makes the attempts side by side, outside any transaction; waits for all of them. An attempt that
     * threw is a failure of its job (in {@code failures}), recorded by the worker, not here.
     */
    private Map<UUID, Attempted> attemptAll(Map<UUID, Work> work, Map<UUID, Exception> failures) {
        Map<UUID, Attempted> attempts = new LinkedHashMap<>();
        if (work.size() == 1) {
            Map.Entry<UUID, Work> only = work.entrySet().iterator().next();
            attempts.put(only.getKey(), attempt(only.getValue()));
            return attempts;
        }
        Map<UUID, Future<Attempted>> running = new LinkedHashMap<>();
        try (ExecutorService side = Executors.newThreadPerTaskExecutor(ATTEMPTS)) {
            work.forEach((jobId, one) -> running.put(jobId, side.submit(() -> attempt(one))));
        }
        // The executor's close waited for every attempt (and on interruption stopped them).
        running.forEach((jobId, future) -> {
            switch (future.state()) {
                case SUCCESS -> attempts.put(jobId, future.resultNow());
                case FAILED ->
                    failures.put(
                            jobId,
                            future.exceptionNow() instanceof Exception e
                                    ? e
                                    : new IllegalStateException(future.exceptionNow()));
                default -> failures.put(jobId, new InterruptedException("the attempt was stopped"));
            }
        });
        return attempts;
    }

    private Attempted attempt(Work work) {
        ChannelSpec spec = work.subscription().channel();
        Instant startedAt = clock.instant();
        AttemptOutcome outcome = channels.get(spec.type()).deliver(work.event(), spec, work.secret());
        return new Attempted(work, startedAt, outcome, clock.instant());
    }

    /**
     * What one attempt needs, read in the batch's transaction; null when there is nothing to
     * attempt. A subscription and its secret (decrypted) are read once per batch.
     */
    private @Nullable Work prepare(
            UUID tenantId,
            UUID deliveryId,
            Map<UUID, Optional<Subscription>> subscriptionsById,
            Map<UUID, Optional<String>> secretsById) {
        Delivery delivery = deliveries.find(tenantId, deliveryId).orElse(null);
        if (delivery == null
                || delivery.status() == DeliveryStatus.DELIVERED
                || delivery.status() == DeliveryStatus.SKIPPED) {
            // Its subscription was deleted, or this is a second run of a finished job. A dead
            // delivery is attempted again: its job only runs again when retried by hand.
            return null;
        }
        Subscription subscription = subscriptionsById
                .computeIfAbsent(delivery.subscriptionId(), id -> subscriptions.find(tenantId, id))
                .orElse(null);
        if (subscription == null) {
            return null;
        }
        Event event = events.find(tenantId, delivery.eventId()).orElse(null);
        String skipped = null;
        if (!subscription.enabled()) {
            skipped = "the subscription is disabled";
        } else if (event == null) {
            skipped = "the event is no longer in the log";
        } else if (!policy.permits(subscription.subscriber(), event)) {
            skipped = "the subscription's owner " + subscription.owner().subject()
                    + " may not receive this event: no grant of events:read in force reaches it";
        }
        if (skipped != null || event == null) {
            deliveries.finish(tenantId, deliveryId, DeliveryStatus.SKIPPED, String.valueOf(skipped), clock.instant());
            metrics.skipped(subscription.channel().type());
            return null;
        }
        String secret = secretsById
                .computeIfAbsent(subscription.id(), id -> subscriptions.secret(tenantId, id))
                .orElse(null);
        return new Work(deliveryId, subscription, event, secret);
    }

    private void disable(UUID tenantId, UUID subscriptionId, SubscriptionRepository.DeadLetterCount count) {
        Instant now = clock.instant();
        String reason = count.consecutive() + " deliveries in a row went to the dead letter";
        if (!subscriptions.disable(tenantId, subscriptionId, reason, now)) {
            return;
        }
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("subscriptionId", subscriptionId.toString());
        data.put("name", count.name());
        data.put("reason", reason);
        data.put("consecutiveDeadLetters", count.consecutive());
        events.append(new NewEvent(
                tenantId,
                EventTypes.SUBSCRIPTION_DISABLED,
                "/subscriptions/" + subscriptionId,
                subscriptionId.toString(),
                now,
                null,
                null,
                List.of(),
                List.of(),
                data));
        log.warn("Subscription {} of tenant {} disabled: {}", subscriptionId, tenantId, reason);
    }

    private static UUID tenantOf(Job job) {
        UUID tenantId = job.tenantId();
        if (tenantId == null) {
            throw new PermanentJobFailure("a delivery job needs its tenant");
        }
        return tenantId;
    }

    private UUID deliveryOf(Job job) {
        try {
            return UUID.fromString(
                    json.readTree(job.payload()).path("deliveryId").asString());
        } catch (RuntimeException e) {
            throw new PermanentJobFailure("not a delivery job payload: " + job.payload());
        }
    }

    private record Work(
            UUID deliveryId,
            Subscription subscription,
            Event event,
            @Nullable String secret) {}

    /** An attempt made and when it started and ended. */
    private record Attempted(Work work, Instant startedAt, AttemptOutcome outcome, Instant endedAt) {}

    /** An attempt failed and a later one may succeed: the job runs again on the retry schedule. */
    static final class FailedAttempt extends RuntimeException {

        FailedAttempt(String message) {
            super(message, null, false, false);
        }
    }
}
