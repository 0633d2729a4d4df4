package io.sextant.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

class BackoffTest {

    private static final RetryPolicy THREE_RETRIES =
            new RetryPolicy(List.of(Duration.ofSeconds(1), Duration.ofSeconds(10), Duration.ofMinutes(1)), 0.2);

    @Test
    void a_job_is_retried_until_its_last_delay_is_used_and_then_no_more() {
        assertThat(THREE_RETRIES.maxAttempts()).isEqualTo(4);
        assertThat(Backoff.retries(THREE_RETRIES, 1)).isTrue();
        assertThat(Backoff.retries(THREE_RETRIES, 3)).isTrue();
        assertThat(Backoff.retries(THREE_RETRIES, 4)).isFalse();
        assertThat(Backoff.retries(RetryPolicy.NONE, 1)).isFalse();
    }

    @Test
    void the_delay_after_the_nth_failure_is_the_nth_delay_scaled_by_the_spread() {
        assertThat(Backoff.delay(THREE_RETRIES, 1, 0.0)).isEqualTo(Duration.ofSeconds(1));
        assertThat(Backoff.delay(THREE_RETRIES, 2, 1.0)).isEqualTo(Duration.ofSeconds(12));
        assertThat(Backoff.delay(THREE_RETRIES, 3, -1.0)).isEqualTo(Duration.ofSeconds(48));
        assertThat(Backoff.delay(THREE_RETRIES, 2, -0.5)).isEqualTo(Duration.ofSeconds(9));
    }

    @Property
    void a_random_delay_stays_within_the_jitter_band(
            @ForAll @IntRange(min = 1, max = 3) int attempt,
            @ForAll @DoubleRange(min = 0, max = 1) double jitter,
            @ForAll @LongRange(min = 0, max = 86_400_000) long baseMillis,
            @ForAll long seed) {
        Duration base = Duration.ofMillis(baseMillis);
        RetryPolicy policy = new RetryPolicy(List.of(base, base, base), jitter);
        Duration delay = Backoff.delay(policy, attempt, new Random(seed));
        // Rounded to the nanosecond: the band is exact up to one nanosecond either way.
        assertThat(delay.toNanos())
                .isBetween(
                        (long) Math.floor(base.toNanos() * (1 - jitter)) - 1,
                        (long) Math.ceil(base.toNanos() * (1 + jitter)) + 1);
    }

    @Test
    void random_spreads_cover_both_sides_of_the_delay() {
        RetryPolicy policy = new RetryPolicy(List.of(Duration.ofSeconds(10)), 0.5);
        Random random = new Random(42);
        List<Duration> delays = IntStream.range(0, 1000)
                .mapToObj(i -> Backoff.delay(policy, 1, random))
                .toList();
        assertThat(delays).allSatisfy(d -> assertThat(d).isBetween(Duration.ofSeconds(5), Duration.ofSeconds(15)));
        assertThat(delays).anySatisfy(d -> assertThat(d).isLessThan(Duration.ofSeconds(6)));
        assertThat(delays).anySatisfy(d -> assertThat(d).isGreaterThan(Duration.ofSeconds(14)));
    }

    @Test
    void there_is_no_delay_after_the_final_attempt() {
        assertThatThrownBy(() -> Backoff.delay(THREE_RETRIES, 4, 0.0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Backoff.delay(RetryPolicy.NONE, 1, 0.0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void an_exponential_policy_multiplies_each_delay() {
        RetryPolicy policy = RetryPolicy.exponential(Duration.ofSeconds(2), 3, 4, 0.1);
        assertThat(policy.delays())
                .containsExactly(
                        Duration.ofSeconds(2), Duration.ofSeconds(6), Duration.ofSeconds(18), Duration.ofSeconds(54));
        assertThat(policy.maxAttempts()).isEqualTo(5);
    }

    @Test
    void a_policy_with_a_negative_delay_or_a_jitter_outside_zero_to_one_is_refused() {
        assertThatThrownBy(() -> new RetryPolicy(List.of(Duration.ofSeconds(-1)), 0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RetryPolicy(List.of(), 1.5)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RetryPolicy(List.of(), Double.NaN)).isInstanceOf(IllegalArgumentException.class);
    }
}
