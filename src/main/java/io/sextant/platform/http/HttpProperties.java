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
 */
@ConfigurationProperties("sextant.http")
public record HttpProperties(
        @DefaultValue("1MB") DataSize maxRequestSize,
        @DefaultValue RateLimit rateLimit,
        @DefaultValue("24h") Duration idempotencyTtl) {

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
