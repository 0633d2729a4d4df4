package io.sextant.shared;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class TimeBoundsTest {

    @Test
    void the_first_and_last_instants_of_four_digit_years_are_accepted() {
        assertThat(TimeBounds.parseInstant("0000-01-01T00:00:00Z")).isEqualTo(TimeBounds.MIN);
        assertThat(TimeBounds.parseInstant("9999-12-31T23:59:59.999999999Z")).isEqualTo(TimeBounds.MAX);
        assertThat(TimeBounds.parseInstant("2026-11-22T10:15:30+02:00"))
                .isEqualTo(Instant.parse("2026-11-22T08:15:30Z"));
    }

    @Test
    void instants_java_reads_but_rfc_3339_cannot_write_are_refused_with_the_rule() {
        for (String text : new String[] {
            "+999999999-12-31T23:59:59Z",
            "-999999999-01-01T00:00:00Z",
            "+10000-01-01T00:00:00Z",
            "-0001-12-31T23:59:59Z"
        }) {
            assertThatThrownBy(() -> TimeBounds.parseInstant(text))
                    .as(text)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage(TimeBounds.INSTANT_RULE);
        }
    }

    @Test
    void text_that_is_no_timestamp_is_refused_with_the_rule() {
        assertThatThrownBy(() -> TimeBounds.parseInstant("2026-02-30T25:61:00Z"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(TimeBounds.INSTANT_RULE);
    }

    @Test
    void durations_up_to_a_hundred_years_either_way_are_accepted_and_longer_ones_refused() {
        assertThat(TimeBounds.parseDuration("P36525D")).isEqualTo(Duration.ofDays(36_525));
        assertThat(TimeBounds.parseDuration("-P36525D")).isEqualTo(Duration.ofDays(-36_525));
        for (String text : new String[] {"P36526D", "P999999999D", "PT9223372036854775807S", "nonsense"}) {
            assertThatThrownBy(() -> TimeBounds.parseDuration(text))
                    .as(text)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage(TimeBounds.DURATION_RULE);
        }
    }

    @Test
    void an_accepted_instant_plus_or_minus_an_accepted_duration_does_not_overflow() {
        assertThat(TimeBounds.MAX.plus(TimeBounds.MAX_DURATION).toEpochMilli()).isPositive();
        assertThat(TimeBounds.MIN.minus(TimeBounds.MAX_DURATION).toEpochMilli()).isNegative();
        assertThat(TimeBounds.MAX_DURATION.toNanos()).isPositive();
    }
}
