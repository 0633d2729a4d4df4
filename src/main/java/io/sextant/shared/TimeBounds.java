package io.sextant.shared;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;

/**
 * The instants and durations Sextant accepts from clients. Timestamps are RFC 3339, whose years
 * have four digits: 0000-01-01T00:00:00Z to 9999-12-31T23:59:59.999999999Z. Java reads years up
 * to ±999,999,999, which overflow arithmetic and PostgreSQL's {@code timestamptz} (4713 BC to
 * 294276 AD); inside these bounds, adding or subtracting any accepted duration stays in range.
 * Durations are at most 100 years either way: more than any setting needs, and inside what
 * {@link Duration#toNanos()} holds (292 years).
 */
public final class TimeBounds {

    public static final Instant MIN = Instant.parse("0000-01-01T00:00:00Z");
    public static final Instant MAX = Instant.parse("9999-12-31T23:59:59.999999999Z");
    public static final Duration MAX_DURATION = Duration.ofDays(36_525);

    /** Why a rejected instant was rejected, in words a client can act on. */
    public static final String INSTANT_RULE =
            "must be an RFC 3339 timestamp with a year from 0000 to 9999, such as 2026-11-22T10:15:30Z";

    /** Why a rejected duration was rejected. */
    public static final String DURATION_RULE =
            "must be an ISO 8601 duration of at most 100 years either way, such as PT15M or P1D";

    private TimeBounds() {}

    public static boolean contains(Instant instant) {
        return !instant.isBefore(MIN) && !instant.isAfter(MAX);
    }

    public static boolean contains(Duration duration) {
        return duration.abs().compareTo(MAX_DURATION) <= 0;
    }

    /**
     * An RFC 3339 timestamp ({@code Z} or a numeric offset) within the bounds.
     *
     * @throws IllegalArgumentException naming the rule, if it is not one
     */
    public static Instant parseInstant(String text) {
        Instant instant;
        try {
            instant = OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(INSTANT_RULE, e);
        }
        return check(instant);
    }

    /**
     * An ISO 8601 duration ({@code PnDTnHnMn.nS}) within the bounds.
     *
     * @throws IllegalArgumentException naming the rule, if it is not one
     */
    public static Duration parseDuration(String text) {
        Duration duration;
        try {
            duration = Duration.parse(text);
        } catch (DateTimeParseException | ArithmeticException e) {
            throw new IllegalArgumentException(DURATION_RULE, e);
        }
        return check(duration);
    }

    /** {@code instant} itself, if within the bounds; otherwise an {@link IllegalArgumentException}. */
    public static Instant check(Instant instant) {
        if (!contains(instant)) {
            throw new IllegalArgumentException(INSTANT_RULE);
        }
        return instant;
    }

    /** {@code duration} itself, if within the bounds; otherwise an {@link IllegalArgumentException}. */
    public static Duration check(Duration duration) {
        if (!contains(duration)) {
            throw new IllegalArgumentException(DURATION_RULE);
        }
        return duration;
    }
}
