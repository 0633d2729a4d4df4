package io.sextant.geofencing;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * Proximity of two assets as a pure function of the previous state and one distance between them.
 * Being near starts as soon as the distance is under the threshold and ends only once it is over
 * the threshold plus the margin, so two assets idling at about the threshold apart do not start and
 * end over and over.
 */
public final class ProximityRule {

    private ProximityRule() {}

    /**
     * What is remembered about one pair of assets between distances.
     *
     * @param near whether the two are near each other
     * @param since when they last became near or stopped being near
     */
    public record ProximityState(boolean near, @Nullable Instant since) {

        /** The state of a pair never seen near each other. */
        public static final ProximityState APART = new ProximityState(false, null);
    }

    /** A change in proximity. */
    public sealed interface ProximityTransition {
        Instant time();

        double distanceMeters();
    }

    /** The two assets came within the threshold at {@code time}. */
    public record ProximityStarted(Instant time, double distanceMeters) implements ProximityTransition {
        public ProximityStarted {
            Objects.requireNonNull(time, "time");
        }
    }

    /** The two assets moved beyond the threshold plus the margin at {@code time}. */
    public record ProximityEnded(Instant time, double distanceMeters) implements ProximityTransition {
        public ProximityEnded {
            Objects.requireNonNull(time, "time");
        }
    }

    /** The state after one distance and the transitions it caused (at most one). */
    public record ProximityStep(ProximityState state, List<ProximityTransition> transitions) {
        public ProximityStep {
            transitions = List.copyOf(transitions);
        }
    }

    /**
     * Two distinct assets in a canonical order, so that (a, b) and (b, a) are one pair with one
     * proximity state.
     */
    public record AssetPair(UUID first, UUID second) {

        public AssetPair {
            Objects.requireNonNull(first, "first");
            Objects.requireNonNull(second, "second");
            if (first.compareTo(second) >= 0) {
                throw new IllegalArgumentException("a pair holds two distinct assets, the lower id first");
            }
        }

        /**
         * The pair of two distinct assets, whichever order they are given in.
         *
         * @throws IllegalArgumentException if both are the same asset
         */
        public static AssetPair of(UUID a, UUID b) {
            return a.compareTo(b) <= 0 ? new AssetPair(a, b) : new AssetPair(b, a);
        }
    }

    /**
     * Applies one distance between the two assets; distances come in time order.
     *
     * @throws IllegalArgumentException if a distance, the threshold or the margin is negative or not
     *     a number
     */
    public static ProximityStep next(
            ProximityState state, Instant time, double distanceMeters, double thresholdMeters, double marginMeters) {
        requireNonNegative(distanceMeters, "distanceMeters");
        requireNonNegative(thresholdMeters, "thresholdMeters");
        requireNonNegative(marginMeters, "marginMeters");
        if (!state.near() && distanceMeters < thresholdMeters) {
            return new ProximityStep(
                    new ProximityState(true, time), List.of(new ProximityStarted(time, distanceMeters)));
        }
        if (state.near() && distanceMeters > thresholdMeters + marginMeters) {
            return new ProximityStep(
                    new ProximityState(false, time), List.of(new ProximityEnded(time, distanceMeters)));
        }
        return new ProximityStep(state, List.of());
    }

    private static void requireNonNegative(double value, String name) {
        if (!(value >= 0) || Double.isInfinite(value)) {
            throw new IllegalArgumentException(name + " must be a finite non-negative number, was " + value);
        }
    }
}
