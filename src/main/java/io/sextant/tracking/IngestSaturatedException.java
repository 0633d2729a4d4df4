package io.sextant.tracking;

import io.sextant.shared.web.Problems;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.web.ErrorResponseException;

/** The writer's queue is full: the client should retry shortly (503 with Retry-After). */
public final class IngestSaturatedException extends ErrorResponseException {

    private static final long serialVersionUID = 1L;

    IngestSaturatedException() {
        super(
                HttpStatus.SERVICE_UNAVAILABLE,
                Problems.detail(
                        HttpStatus.SERVICE_UNAVAILABLE,
                        "ingest-saturated",
                        "Ingest saturated",
                        "position ingest is at capacity; retry after the Retry-After delay"),
                null);
        getHeaders().set(HttpHeaders.RETRY_AFTER, "1");
    }
}
