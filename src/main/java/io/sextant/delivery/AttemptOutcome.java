package io.sextant.delivery;

import org.jspecify.annotations.Nullable;

/**
 * What one delivery attempt came to.
 *
 * @param statusCode the receiver's HTTP status, for webhooks that got an answer
 * @param latencyMs how long the attempt took
 * @param error why it failed, for failed and refused attempts
 */
public record AttemptOutcome(
        Result result,
        @Nullable Integer statusCode,
        long latencyMs,
        @Nullable String error) {

    public static AttemptOutcome delivered(@Nullable Integer statusCode, long latencyMs) {
        return new AttemptOutcome(Result.DELIVERED, statusCode, latencyMs, null);
    }

    public static AttemptOutcome failed(@Nullable Integer statusCode, long latencyMs, String error) {
        return new AttemptOutcome(Result.FAILED, statusCode, latencyMs, error);
    }

    /** The destination may not be delivered to at all: retrying cannot help. */
    public static AttemptOutcome refused(long latencyMs, String error) {
        return new AttemptOutcome(Result.REFUSED, null, latencyMs, error);
    }

    /** Kinds of outcome; their names are the {@code outcome} tag of the attempts metric. */
    public enum Result {
        DELIVERED,
        FAILED,
        REFUSED
    }
}
