package io.sextant.platform.http;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Limits applied to every HTTP request.
 *
 * @param maxRequestSize largest request body accepted, else 413 ({@code SEXTANT_HTTP_MAX_REQUEST_SIZE})
 * @param rateLimit per-principal request rate
 * @param idempotencyTtl how long an Idempotency-Key's response is remembered ({@code
 *     SEXTANT_HTTP_IDEMPOTENCY_TTL})
 * @param idempotencyLease how long a request holds its Idempotency-Key before it has answered: a
 *     retry within it is refused as still running, and after it runs again. It must outlast the
 *     slowest request: a claim only outlives its request when the process died with it ({@code
 *     SEXTANT_HTTP_IDEMPOTENCY_LEASE})
 * @param connectionTimeout longest silence while a request line and headers arrive, before the
 *     connection is closed ({@code SEXTANT_HTTP_CONNECTION_TIMEOUT})
 * @param keepAliveTimeout how long an idle connection is kept open for its next request ({@code
 *     SEXTANT_HTTP_KEEP_ALIVE_TIMEOUT})
 * @param maxConnections most open connections; further ones wait in the operating system's accept
 *     queue ({@code SEXTANT_HTTP_MAX_CONNECTIONS})
 * @param bodyTimeout longest silence while a request body arrives, and the grace period of {@code
 *     bodyMinRate}; past either the request is answered 408 and its connection closed ({@code
 *     SEXTANT_HTTP_BODY_TIMEOUT})
 * @param bodyMinRate slowest average rate, per second, at which a body may arrive after the grace
 *     period; 0 turns the check off ({@code SEXTANT_HTTP_BODY_MIN_RATE})
 * @param shutdownDrain after SIGTERM, how long new connections are still accepted and their
 *     requests answered 503 before the listener closes ({@code SEXTANT_HTTP_SHUTDOWN_DRAIN})
 */
@ConfigurationProperties("sextant.http")
public record HttpProperties(
        @DefaultValue("1MB") DataSize maxRequestSize,
        @DefaultValue RateLimit rateLimit,
        @DefaultValue("24h") Duration idempotencyTtl,
        @DefaultValue("2m") Duration idempotencyLease,
        @DefaultValue("20s") Duration connectionTimeout,
        @DefaultValue("20s") Duration keepAliveTimeout,
        @DefaultValue("8192") int maxConnections,
        @DefaultValue("20s") Duration bodyTimeout,
        @DefaultValue("1KB") DataSize bodyMinRate,
        @DefaultValue("5s") Duration shutdownDrain) {

    public HttpProperties {
        if (idempotencyLease.isNegative()
                || idempotencyLease.isZero()
                || idempotencyLease.compareTo(idempotencyTtl) > 0) {
            throw new IllegalArgumentException("sextant.http.idempotency-lease must be positive and at most"
                    + " sextant.http.idempotency-ttl (" + idempotencyTtl + "), was " + idempotencyLease);
        }
    }

    /**
     * A token bucket per principal (per client address before authentication).
     *
     * @param enabled ({@code SEXTANT_HTTP_RATE_LIMIT_ENABLED})
     * @param capacity burst size ({@code SEXTANT_HTTP_RATE_LIMIT_CAPACITY})
     * @param refillPerSecond sustained requests per second ({@code
     *     SEXTANT_HTTP_RATE_LIMIT_REFILL_PER_SECOND})
     */
    public record RateLimit(
            @DefaultValue("true") boolean enabled,
            @DefaultValue("200") long capacity,
            @DefaultValue("100") long refillPerSecond) {}
}
