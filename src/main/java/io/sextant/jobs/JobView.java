package io.sextant.jobs;

import java.time.Instant;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * A job as it stands, for visibility (what is queued, running, failed).
 *
 * @param payload the handler's input, a JSON document
 * @param attempt attempts started so far (0 while it has never run)
 * @param maxAttempts attempts its handler's retry policy allows
 * @param runAt when it runs next (queued), or when its current or last attempt was due
 * @param lastError why its last failed attempt failed; kept after a later success
 */
public record JobView(
        UUID id,
        String kind,
        @Nullable UUID tenantId,
        JobStatus status,
        String payload,
        int attempt,
        int maxAttempts,
        @Nullable String orderingKey,
        Instant runAt,
        Instant createdAt,
        @Nullable Instant startedAt,
        @Nullable Instant finishedAt,
        @Nullable String lastError) {}
