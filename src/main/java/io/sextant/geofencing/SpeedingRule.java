package io.sextant.geofencing;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Speeding of one asset as a pure function of the previous state and one speed reading. An
 * episode starts once the speed has stayed above the limit plus the tolerance for the minimum
 * duration, dated to the first reading over it, and ends at the first reading at or under the
 * limit itself: the tolerance applies only to starting, so a speed hovering around the limit does
 * not start and end episode after episode.
 */
public final class SpeedingRule {

    private SpeedingRule() {}

    /**
     * What is remembered about one asset between readings.
     *
     * @param speeding whether an episode is under way
     * @param since when the last episode started or ended
     * @param pendingSince while not speeding, the first of the readings in a row over the limit plus
     *     the tolerance
     * @param maxKmh the highest speed of the pending or current episode, 0 when there is none
     */
    public record SpeedState(
            boolean speeding,
            @Nullable Instant since,
            @Nullable Instant pendingSince,
            double maxKmh) {

        /** The state of an asset never seen speeding. */
        public static final SpeedState NOT_SPEEDING = new SpeedState(false, null, null, 0);
    }

    /** A change in speeding. */
    public sealed interface SpeedingTransition {
        Instant time();
    }

    /** Speeding started at {@code time}, against the limit in force then. */
    public record SpeedingStarted(Instant time, double limitKmh) implements SpeedingTransition {
        public SpeedingStarted {
            Objects.requireNonNull(time, "time");
        }
    }

    /** Speeding ended at {@code time}; {@code maxKmh} is the highest speed of the episode. */
    public record SpeedingEnded(Instant time, double maxKmh) implements SpeedingTransition {
        public SpeedingEnded {
            Objects.requireNonNull(time, "time");
        }
    }

    /** The state after one reading and the transitions it caused (at most one). */
    public record SpeedStep(SpeedState state, List<SpeedingTransition> transitions) {
        public SpeedStep {
            transitions = List.copyOf(transitions);
        }
    }

    /**
     * Applies one speed reading; readings come in time order.
     *
     * @throws IllegalArgumentException if a speed or limit is negative or not a number, or the
     *     minimum duration is negative
     */
    public static SpeedStep next(
            SpeedState state,
            Instant time,
            double speedKmh,
            double limitKmh,
            double toleranceKmh,
            Duration minDuration) {
        requireNonNegative(speedKmh, "speedKmh");
        requireNonNegative(limitKmh, "limitKmh");
        requireNonNegative(toleranceKmh, "toleranceKmh");
        if (minDuration.isNegative()) {
            throw new IllegalArgumentException("minDuration must not be negative, was " + minDuration);
        }
        if (state.speeding()) {
            if (speedKmh <= limitKmh) {
                return new SpeedStep(
                        new SpeedState(false, time, null, 0), List.of(new SpeedingEnded(time, state.maxKmh())));
            }
            return new SpeedStep(
                    new SpeedState(true, state.since(), null, Math.max(state.maxKmh(), speedKmh)), List.of());
        }
        if (speedKmh <= limitKmh + toleranceKmh) {
            return new SpeedStep(new SpeedState(false, state.since(), null, 0), List.of());
        }
        Instant pendingSince = state.pendingSince() != null ? state.pendingSince() : time;
        double maxKmh = Math.max(state.maxKmh(), speedKmh);
        if (Duration.between(pendingSince, time).compareTo(minDuration) >= 0) {
            return new SpeedStep(
                    new SpeedState(true, pendingSince, null, maxKmh),
                    List.of(new SpeedingStarted(pendingSince, limitKmh)));
        }
        return new SpeedStep(new SpeedState(false, state.since(), pendingSince, maxKmh), List.of());
    }

    private static void requireNonNegative(double value, String name) {
        if (!(value >= 0) || Double.isInfinite(value)) {
            throw new IllegalArgumentException(name + " must be a finite non-negative number, was " + value);
        }
    }
}
