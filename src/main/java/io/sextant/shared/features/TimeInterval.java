package io.sextant.shared.features;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * A closed interval of time, either end possibly open (null); an instant is an interval whose ends
 * are equal.
 */
public record TimeInterval(
        @Nullable Instant start, @Nullable Instant end) {

    public TimeInterval {
        if (start != null && end != null && end.isBefore(start)) {
            throw new IllegalArgumentException("the interval ends (" + end + ") before it starts (" + start + ")");
        }
    }

    public static TimeInterval at(Instant instant) {
        return new TimeInterval(instant, instant);
    }

    /** Whether the instant lies in the interval, ends included. */
    public boolean contains(Instant instant) {
        return (start == null || !instant.isBefore(start)) && (end == null || !instant.isAfter(end));
    }

    /** Whether the interval meets {@code [from, to]}, ends included; {@code to} null for open-ended. */
    public boolean intersects(Instant from, @Nullable Instant to) {
        return (end == null || !from.isAfter(end)) && (to == null || start == null || !to.isBefore(start));
    }
}
