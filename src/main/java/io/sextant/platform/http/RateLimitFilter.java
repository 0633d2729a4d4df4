package io.sextant.platform.http;

import io.github.bucket4j.ConsumptionProbe;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.sextant.shared.TenantContext;
import io.sextant.shared.TenantPrincipal;
import io.sextant.shared.web.ProblemResponses;
import io.sextant.shared.web.Problems;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * A token bucket per principal (per client address for anonymous calls such as sign-in). Every
 * answer carries {@code RateLimit-Limit}, {@code RateLimit-Remaining} and {@code RateLimit-Reset};
 * an empty bucket answers 429 with {@code Retry-After}. The buckets live in this process, or in Redis
 * when it is configured, so that the limit holds across nodes ({@link RateLimitBuckets}).
 */
final class RateLimitFilter extends OncePerRequestFilter {

    private final HttpProperties.RateLimit settings;
    private final RateLimitBuckets buckets;
    private final Counter rejected;

    RateLimitFilter(HttpProperties.RateLimit settings, RateLimitBuckets buckets, MeterRegistry meters) {
        this.settings = settings;
        this.buckets = buckets;
        this.rejected = Counter.builder("sextant.http.rate_limited")
                .description("Requests refused with 429")
                .register(meters);
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return request.getRequestURI().startsWith("/actuator/");
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String key = TenantContext.principal()
                .map(TenantPrincipal::subjectId)
                .orElseGet(() -> "address:" + request.getRemoteAddr());
        ConsumptionProbe probe = buckets.consume(key);
        long resetSeconds = Math.max(1, TimeUnit.NANOSECONDS.toSeconds(probe.getNanosToWaitForRefill()) + 1);
        response.setHeader("RateLimit-Limit", Long.toString(settings.capacity()));
        response.setHeader("RateLimit-Remaining", Long.toString(probe.getRemainingTokens()));
        response.setHeader("RateLimit-Reset", Long.toString(probe.isConsumed() ? 1 : resetSeconds));
        if (probe.isConsumed()) {
            chain.doFilter(request, response);
            return;
        }
        rejected.increment();
        response.setHeader(HttpHeaders.RETRY_AFTER, Long.toString(resetSeconds));
        ProblemDetail problem = Problems.detail(
                HttpStatus.TOO_MANY_REQUESTS,
                "rate-limited",
                "Too many requests",
                "rate limit of " + settings.refillPerSecond() + " requests/s (burst " + settings.capacity()
                        + ") exceeded; retry after " + resetSeconds + " s");
        ProblemResponses.write(request, response, problem);
    }
}
