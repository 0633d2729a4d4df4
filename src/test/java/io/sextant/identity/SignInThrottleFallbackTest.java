package io.sextant.identity;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.sextant.shared.FailureCounters;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * While the shared counters do not answer, the throttle counts in its own memory — a sign-in never
 * fails because Redis is away, and guessing against this node is still slowed down — and a lockout
 * it made on its own still holds after the shared store is back.
 */
class SignInThrottleFallbackTest {

    private static final IdentityProperties.SignInThrottle SETTINGS = new IdentityProperties.SignInThrottle(
            3, 6, Duration.ofSeconds(5), Duration.ofMinutes(1), Duration.ofHours(1), 1_000);

    /** Shared counters that throw while {@code down} is set, as the Redis store does when Redis is away. */
    static final class Flaky implements FailureCounters {

        final AtomicBoolean down = new AtomicBoolean(true);
        long increments;

        @Override
        public boolean shared() {
            return true;
        }

        private void answer() {
            if (down.get()) {
                throw new IllegalStateException("Redis is not connected");
            }
        }

        @Override
        public long increment(String key, Duration keep) {
            answer();
            return ++increments;
        }

        @Override
        public void lock(String key, Instant until, Duration keep) {
            answer();
        }

        @Override
        public Instant lockedUntil(String key) {
            answer();
            return Instant.EPOCH;
        }

        @Override
        public void clear(String key) {
            answer();
        }
    }

    @Test
    void with_the_shared_store_down_failures_are_counted_here_and_lock_the_name_out() {
        Flaky shared = new Flaky();
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        SignInThrottle throttle = new SignInThrottle(properties(), Clock.systemUTC(), shared, meters);

        for (int i = 0; i < 2; i++) {
            throttle.failed("alice", "203.0.113.9");
            assertThat(throttle.lockout("alice", "203.0.113.9")).isZero();
        }
        throttle.failed("alice", "203.0.113.9");

        assertThat(throttle.lockout("alice", "203.0.113.9")).isPositive().isLessThanOrEqualTo(Duration.ofSeconds(5));
        assertThat(meters.counter("sextant.auth.sign_in_throttle.fallbacks").count())
                .isPositive();
        assertThat(shared.increments).isZero();

        // Redis is back: it knows nothing of the lockout, which still holds on this node.
        shared.down.set(false);
        assertThat(throttle.lockout("alice", "203.0.113.9")).isPositive();
        throttle.failed("bob", "198.51.100.1");
        assertThat(shared.increments).as("counted in the shared store again").isEqualTo(2);
    }

    private static IdentityProperties properties() {
        return new IdentityProperties(
                "http://localhost",
                "sextant-api",
                Duration.ofHours(1),
                Duration.ofHours(24),
                Duration.ofSeconds(30),
                SETTINGS,
                new IdentityProperties.External(null, null, java.util.List.of(), "tenant", null, "roles"),
                new IdentityProperties.Bootstrap("default", "admin", null));
    }
}
