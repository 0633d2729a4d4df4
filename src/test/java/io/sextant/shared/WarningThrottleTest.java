package io.sextant.shared;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class WarningThrottleTest {

    private final AtomicLong now = new AtomicLong(1_000);
    private final WarningThrottle throttle = new WarningThrottle(Duration.ofMinutes(1), now::get);

    @Test
    void the_first_warning_for_a_key_is_let_through_and_the_next_ones_within_the_interval_are_counted() {
        assertThat(throttle.suppressedBefore("owntracks/encrypted")).isZero();
        now.addAndGet(Duration.ofSeconds(10).toNanos());
        assertThat(throttle.suppressedBefore("owntracks/encrypted")).isEqualTo(-1);
        now.addAndGet(Duration.ofSeconds(49).toNanos());
        assertThat(throttle.suppressedBefore("owntracks/encrypted")).isEqualTo(-1);

        now.addAndGet(Duration.ofSeconds(1).toNanos());

        assertThat(throttle.suppressedBefore("owntracks/encrypted"))
                .as("a minute after the last one let through, with the two held back since")
                .isEqualTo(2);
        assertThat(throttle.suppressedBefore("owntracks/encrypted")).isEqualTo(-1);
    }

    @Test
    void keys_are_throttled_independently() {
        assertThat(throttle.suppressedBefore("owntracks/encrypted")).isZero();
        assertThat(throttle.suppressedBefore("osmand/unknown_asset")).isZero();
        assertThat(throttle.suppressedBefore("owntracks/encrypted")).isEqualTo(-1);
    }
}
