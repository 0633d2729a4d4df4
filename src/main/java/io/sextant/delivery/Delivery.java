package io.sextant.delivery;

import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * One delivery of one event to one subscription, as the delivery log shows it. A replay is a new
 * delivery of the same event ({@link #replayOf()} names the one replayed, if any).
 *
 * @param eventType the event's type, absent if the event is no longer in the log
 * @param attempts how many attempts were made
 * @param lastStatusCode the HTTP status of the last attempt, when there was one
 * @param attemptLog every attempt, oldest first: only when one delivery is read
 */
public record Delivery(
        UUID id,
        UUID subscriptionId,
        UUID eventId,
        @Nullable String eventType,
        DeliveryStatus status,
        int attempts,
        @Nullable Integer lastStatusCode,
        @Nullable Integer lastLatencyMs,
        @Nullable String lastError,
        @Nullable UUID replayOf,
        Instant createdAt,
        Instant updatedAt,
        @Nullable Instant deliveredAt,
        @Nullable List<Attempt> attemptLog) {

    Delivery withEventType(@Nullable String type) {
        return new Delivery(
                id,
                subscriptionId,
                eventId,
                type,
                status,
                attempts,
                lastStatusCode,
                lastLatencyMs,
                lastError,
                replayOf,
                createdAt,
                updatedAt,
                deliveredAt,
                attemptLog);
    }

    Delivery withAttemptLog(List<Attempt> log) {
        return new Delivery(
                id,
                subscriptionId,
                eventId,
                eventType,
                status,
                attempts,
                lastStatusCode,
                lastLatencyMs,
                lastError,
                replayOf,
                createdAt,
                updatedAt,
                deliveredAt,
                List.copyOf(log));
    }

    /**
     * One attempt of a delivery.
     *
     * @param statusCode the receiver's HTTP status, if it answered
     * @param error why the attempt failed
     */
    public record Attempt(
            int attempt,
            Instant startedAt,
            @Nullable Integer statusCode,
            long latencyMs,
            @Nullable String error) {}
}
