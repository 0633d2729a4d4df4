package io.sextant.geofencing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sextant.geofencing.SpeedingRule.SpeedState;
import io.sextant.geofencing.SpeedingRule.SpeedStep;
import io.sextant.geofencing.SpeedingRule.SpeedingEnded;
import io.sextant.geofencing.SpeedingRule.SpeedingStarted;
import io.sextant.geofencing.SpeedingRule.SpeedingTransition;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class SpeedingRuleTest {

    private static final Instant T0 = Instant.parse("2025-03-04T06:00:00Z");
    private static final double LIMIT = 50;
    private static final double TOLERANCE = 5;
    private static final Duration HALF_A_MINUTE = Duration.ofSeconds(30);

    private record Reading(int seconds, double speedKmh) {}

    /** Feeds readings against a 50 km/h limit with 5 km/h tolerance and a 30 s minimum. */
    private static List<SpeedingTransition> drive(Reading... readings) {
        SpeedState state = SpeedState.NOT_SPEEDING;
        List<SpeedingTransition> transitions = new ArrayList<>();
        for (Reading reading : readings) {
            SpeedStep step = SpeedingRule.next(
                    state, T0.plusSeconds(reading.seconds()), reading.speedKmh(), LIMIT, TOLERANCE, HALF_A_MINUTE);
            state = step.state();
            transitions.addAll(step.transitions());
        }
        return transitions;
    }

    private static Reading at(int seconds, double speedKmh) {
        return new Reading(seconds, speedKmh);
    }

    @Test
    void speeding_starts_once_over_the_tolerance_for_the_minimum_duration_dated_to_the_first_reading_over() {
        assertThat(drive(at(0, 48), at(10, 58), at(20, 61), at(30, 63))).isEmpty();
        assertThat(drive(at(0, 48), at(10, 58), at(20, 61), at(40, 63)))
                .containsExactly(new SpeedingStarted(T0.plusSeconds(10), LIMIT));
    }

    @Test
    void the_minimum_duration_counts_only_time_over_the_limit_plus_the_tolerance() {
        // Over the limit from 0 s, but over limit + tolerance only from 20 s.
        assertThat(drive(at(0, 53), at(10, 54), at(20, 56), at(40, 57))).isEmpty();
        assertThat(drive(at(0, 53), at(10, 54), at(20, 56), at(40, 57), at(50, 58)))
                .containsExactly(new SpeedingStarted(T0.plusSeconds(20), LIMIT));
    }

    @Test
    void a_reading_within_the_tolerance_interrupts_a_pending_start() {
        assertThat(drive(at(0, 60), at(10, 54), at(20, 60), at(40, 60))).isEmpty();
        assertThat(drive(at(0, 60), at(10, 54), at(20, 60), at(50, 60)))
                .containsExactly(new SpeedingStarted(T0.plusSeconds(20), LIMIT));
    }

    @Test
    void speeding_goes_on_within_the_tolerance_and_ends_at_the_limit_with_the_top_speed() {
        List<SpeedingTransition> transitions =
                drive(at(0, 60), at(30, 72), at(60, 53), at(90, 51), at(120, 50), at(150, 40));

        assertThat(transitions)
                .containsExactly(new SpeedingStarted(T0, LIMIT), new SpeedingEnded(T0.plusSeconds(120), 72));
    }

    @Test
    void with_no_minimum_duration_one_reading_over_the_tolerance_starts_speeding() {
        SpeedStep step = SpeedingRule.next(SpeedState.NOT_SPEEDING, T0, 56, LIMIT, TOLERANCE, Duration.ZERO);

        assertThat(step.transitions()).containsExactly(new SpeedingStarted(T0, LIMIT));
        assertThat(step.state()).isEqualTo(new SpeedState(true, T0, null, 56));
    }

    @Test
    void exactly_the_limit_plus_the_tolerance_is_not_speeding() {
        assertThat(SpeedingRule.next(SpeedState.NOT_SPEEDING, T0, 55, LIMIT, TOLERANCE, Duration.ZERO)
                        .transitions())
                .isEmpty();
    }

    @Test
    void a_speed_that_is_not_a_number_is_refused() {
        assertThatThrownBy(() ->
                        SpeedingRule.next(SpeedState.NOT_SPEEDING, T0, Double.NaN, LIMIT, TOLERANCE, Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("speedKmh");
    }

    @Provide
    Arbitrary<List<Reading>> drives() {
        Arbitrary<Tuple.Tuple2<Integer, Double>> reading = Combinators.combine(
                        Arbitraries.integers().between(1, 30),
                        Arbitraries.doubles().between(0, 150).ofScale(1))
                .as(Tuple::of);
        return reading.list().ofMaxSize(60).map(gapsAndSpeeds -> {
            List<Reading> readings = new ArrayList<>();
            int seconds = 0;
            for (Tuple.Tuple2<Integer, Double> gapAndSpeed : gapsAndSpeeds) {
                seconds += gapAndSpeed.get1();
                readings.add(new Reading(seconds, gapAndSpeed.get2()));
            }
            return readings;
        });
    }

    @Property
    void started_and_ended_alternate_and_each_end_reports_the_top_speed_of_its_episode(
            @ForAll("drives") List<Reading> readings,
            @ForAll @DoubleRange(min = 30, max = 120) double limit,
            @ForAll @DoubleRange(min = 0, max = 15) double tolerance,
            @ForAll @IntRange(min = 0, max = 60) int minSeconds) {
        SpeedState state = SpeedState.NOT_SPEEDING;
        List<SpeedingTransition> transitions = new ArrayList<>();
        for (Reading reading : readings) {
            SpeedStep step = SpeedingRule.next(
                    state,
                    T0.plusSeconds(reading.seconds()),
                    reading.speedKmh(),
                    limit,
                    tolerance,
                    Duration.ofSeconds(minSeconds));
            state = step.state();
            transitions.addAll(step.transitions());
        }

        for (int i = 0; i < transitions.size(); i++) {
            SpeedingTransition transition = transitions.get(i);
            assertThat(transition).isInstanceOf(i % 2 == 0 ? SpeedingStarted.class : SpeedingEnded.class);
            if (transition instanceof SpeedingEnded ended) {
                Instant started = transitions.get(i - 1).time();
                double top = readings.stream()
                        .filter(reading -> !T0.plusSeconds(reading.seconds()).isBefore(started)
                                && T0.plusSeconds(reading.seconds()).isBefore(ended.time()))
                        .mapToDouble(Reading::speedKmh)
                        .max()
                        .orElseThrow();
                assertThat(ended.maxKmh()).isEqualTo(top);
                assertThat(top).isGreaterThan(limit + tolerance);
            }
        }
        assertThat(state.speeding()).isEqualTo(transitions.size() % 2 == 1);
    }
}
