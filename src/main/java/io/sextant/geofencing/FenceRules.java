package io.sextant.geofencing;

import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * How strict a zone is about changing an asset's side and when a stay counts as a dwell.
 *
 * @param minFixes decisive fixes on the other side needed, in a row, before a crossing is
 *     believed (at least 1)
 * @param minDuration how long those fixes must span, from the first to the confirming one
 * @param maxAccuracyMeters fixes reported as less accurate than this are ignored; {@code null}
 *     accepts every fix
 * @param dwell a stay at least this long raises one dwell; {@code null} for no dwell
 */
public record FenceRules(
        int minFixes,
        Duration minDuration,
        @Nullable Double maxAccuracyMeters,
        @Nullable Duration dwell) {

    /** The first decisive fix on the other side crosses at once; nothing ignored, no dwell. */
    public static final FenceRules IMMEDIATE = new FenceRules(1, Duration.ZERO, null, null);

    public FenceRules {
        if (minFixes < 1) {
            throw new IllegalArgumentException("minFixes must be at least 1, was " + minFixes);
        }
        Objects.requireNonNull(minDuration, "minDuration");
        if (minDuration.isNegative()) {
            throw new IllegalArgumentException("minDuration must not be negative, was " + minDuration);
        }
        if (maxAccuracyMeters != null && !(maxAccuracyMeters > 0)) {
            throw new IllegalArgumentException("maxAccuracyMeters must be positive, was " + maxAccuracyMeters);
        }
        if (dwell != null && (dwell.isNegative() || dwell.isZero())) {
            throw new IllegalArgumentException("dwell must be positive, was " + dwell);
        }
    }
}
