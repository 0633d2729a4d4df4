package io.sextant.jobs;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * The retry arithmetic of a {@link RetryPolicy}, free of I/O: whether a failed attempt is retried,
 * and after how long. Jitter spreads the retries of jobs that failed together (a receiver that was
 * down for everyone) so they do not all come back at the same instant.
 */
final class Backoff {

    private Backoff() {}

    /** Whether a job whose attempt number {@code attempt} (from 1) failed gets another attempt. */
    static boolean retries(RetryPolicy policy, int attempt) {
        return attempt < policy.maxAttempts();
    }

    /**
     * The pause before the attempt after failed attempt {@code attempt}: the policy's delay for it,
     * scaled by {@code 1 + jitter * spread}.
     *
     * @param spread where in the jitter band this retry falls, from -1 to 1
     */
    static Duration delay(RetryPolicy policy, int attempt, double spread) {
        if (!retries(policy, attempt) || attempt < 1) {
            throw new IllegalArgumentException("attempt " + attempt + " is not followed by a retry under " + policy);
        }
        if (!(spread >= -1 && spread <= 1)) {
            throw new IllegalArgumentException("spread must be between -1 and 1, was " + spread);
        }
        Duration base = policy.delays().get(attempt - 1);
        double factor = 1 + policy.jitter() * spread;
        return Duration.ofNanos(Math.round(Math.min(base.toNanos() * factor, Long.MAX_VALUE)));
    }

    /** {@link #delay(RetryPolicy, int, double)} with a uniformly random spread. */
    static Duration delay(RetryPolicy policy, int attempt, RandomGenerator random) {
        return delay(policy, attempt, random.nextDouble(-1, Math.nextUp(1.0)));
    }
}
