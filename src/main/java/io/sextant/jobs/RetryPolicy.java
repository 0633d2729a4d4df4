package io.sextant.jobs;

import java.time.Duration;
import java.util.List;

/**
 * When a failed job runs again: after {@code delays.get(n - 1)} following its n-th failed attempt,
 * each delay spread by up to {@code jitter} (a fraction, 0.1 = ±10%); after the last delay the next
 * failure is final and the job goes to the dead letter.
 */
public record RetryPolicy(List<Duration> delays, double jitter) {

    public static final RetryPolicy NONE = new RetryPolicy(List.of(), 0);

    public RetryPolicy {
        delays = List.copyOf(delays);
        if (delays.stream().anyMatch(Duration::isNegative)) {
            throw new IllegalArgumentException("retry delays must not be negative: " + delays);
        }
        if (!(jitter >= 0 && jitter <= 1)) {
            throw new IllegalArgumentException("jitter must be a fraction between 0 and 1, was " + jitter);
        }
    }

    /** Exponential delays: {@code first}, then each {@code factor} times the one before, {@code retries} in all. */
    public static RetryPolicy exponential(Duration first, double factor, int retries, double jitter) {
        if (retries < 0 || factor < 1) {
            throw new IllegalArgumentException("need retries >= 0 and factor >= 1");
        }
        Duration[] delays = new Duration[retries];
        double nanos = first.toNanos();
        for (int i = 0; i < retries; i++) {
            delays[i] = Duration.ofNanos(Math.round(Math.min(nanos, Long.MAX_VALUE)));
            nanos *= factor;
        }
        return new RetryPolicy(List.of(delays), jitter);
    }

    public int maxAttempts() {
        return delays.size() + 1;
    }
}
