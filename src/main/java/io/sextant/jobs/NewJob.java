package io.sextant.jobs;

import java.time.Instant;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * A job to queue.
 *
 * @param kind which {@link JobHandler} runs it
 * @param tenantId the tenant it works for, or null for system work
 * @param payload the handler's input, a JSON document
 * @param runAt not before this instant
 * @param orderingKey jobs sharing a key run one at a time in the order they were queued: a job
 *     waits while an earlier one with its key is queued or running (retries included)
 */
public record NewJob(
        String kind,
        @Nullable UUID tenantId,
        String payload,
        Instant runAt,
        @Nullable String orderingKey) {}
