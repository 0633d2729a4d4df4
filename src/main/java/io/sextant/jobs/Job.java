package io.sextant.jobs;

import java.time.Instant;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * A job as a handler receives it.
 *
 * @param attempt this run's number, from 1
 */
public record Job(
        UUID id,
        String kind,
        @Nullable UUID tenantId,
        String payload,
        int attempt,
        Instant createdAt,
        Instant runAt,
        @Nullable String orderingKey) {}
