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

    public int maxAttempts() {
        return delays.size() + 1;
    }
}
