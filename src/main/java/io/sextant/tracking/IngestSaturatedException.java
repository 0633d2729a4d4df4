package io.sextant.tracking;

import io.sextant.shared.problem.Unavailable;
import java.time.Duration;

/** The writer's queue is full: the client should retry in a second (HTTP: 503 with Retry-After). */
public final class IngestSaturatedException extends Unavailable {

    private static final long serialVersionUID = 1L;

    IngestSaturatedException() {
        super(
                "ingest-saturated",
                "Ingest saturated",
                "position ingest is at capacity; retry after the Retry-After delay",
                Duration.ofSeconds(1));
    }
}
