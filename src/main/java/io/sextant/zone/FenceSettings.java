package io.sextant.zone;

import io.sextant.shared.problem.FieldError;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * How the fence engine decides that an asset entered or left a zone.
 *
 * @param marginMeters hysteresis band either side of the boundary, 0–{@value #MAX_MARGIN_METERS} m:
 *     a fix inside the band changes nothing
 * @param minFixes consecutive decisive fixes needed to change state, 1–{@value #MAX_MIN_FIXES}
 * @param minDuration how long the new side must hold before the state changes, 0–1 h
 * @param maxAccuracyMeters fixes with a worse (larger) accuracy do not change state; {@code null}
 *     for no limit, else more than 0 and at most {@value #MAX_ACCURACY_METERS} m
 * @param dwell a dwell event after this long inside, 1 s–30 d; {@code null} for none
 * @param speedLimitKmh speeding inside the zone above this, 1–{@value #MAX_SPEED_KMH} km/h;
 *     {@code null} for none
 */
public record FenceSettings(
        double marginMeters,
        int minFixes,
        Duration minDuration,
        @Nullable Double maxAccuracyMeters,
        @Nullable Duration dwell,
        @Nullable Double speedLimitKmh) {

    public static final double MAX_MARGIN_METERS = 1000;
    public static final int MAX_MIN_FIXES = 100;
    public static final Duration MAX_MIN_DURATION = Duration.ofHours(1);
    public static final double MAX_ACCURACY_METERS = 100_000;
    public static final Duration MIN_DWELL = Duration.ofSeconds(1);
    public static final Duration MAX_DWELL = Duration.ofDays(30);
    public static final double MAX_SPEED_KMH = 2000;

    /** No margin, one fix, no minimum duration, no accuracy limit, no dwell, no speed limit. */
    public static final FenceSettings DEFAULTS = new FenceSettings(0, 1, Duration.ZERO, null, null, null);

    /** @throws IllegalArgumentException naming every value out of range */
    public FenceSettings {
        List<FieldError> violations =
                violations(marginMeters, minFixes, minDuration, maxAccuracyMeters, dwell, speedLimitKmh);
        if (!violations.isEmpty()) {
            throw new IllegalArgumentException(String.join(
                    "; ",
                    violations.stream().map(v -> v.field() + " " + v.reason()).toList()));
        }
    }

    /** Each value out of range, named by its component, for validation that reports them all. */
    static List<FieldError> violations(
            double marginMeters,
            int minFixes,
            @Nullable Duration minDuration,
            @Nullable Double maxAccuracyMeters,
            @Nullable Duration dwell,
            @Nullable Double speedLimitKmh) {
        List<FieldError> violations = new ArrayList<>();
        if (!(marginMeters >= 0 && marginMeters <= MAX_MARGIN_METERS)) {
            violations.add(new FieldError(
                    "marginMeters",
                    "must be between 0 and " + (int) MAX_MARGIN_METERS + " (was " + marginMeters + ")"));
        }
        if (minFixes < 1 || minFixes > MAX_MIN_FIXES) {
            violations.add(
                    new FieldError("minFixes", "must be between 1 and " + MAX_MIN_FIXES + " (was " + minFixes + ")"));
        }
        if (minDuration == null || minDuration.isNegative() || minDuration.compareTo(MAX_MIN_DURATION) > 0) {
            violations.add(new FieldError("minDuration", "must be between PT0S and PT1H (was " + minDuration + ")"));
        }
        if (maxAccuracyMeters != null && !(maxAccuracyMeters > 0 && maxAccuracyMeters <= MAX_ACCURACY_METERS)) {
            violations.add(new FieldError(
                    "maxAccuracyMeters",
                    "must be more than 0 and at most " + (int) MAX_ACCURACY_METERS + " (was " + maxAccuracyMeters
                            + ")"));
        }
        if (dwell != null && (dwell.compareTo(MIN_DWELL) < 0 || dwell.compareTo(MAX_DWELL) > 0)) {
            violations.add(new FieldError("dwell", "must be between PT1S and P30D (was " + dwell + ")"));
        }
        if (speedLimitKmh != null && !(speedLimitKmh >= 1 && speedLimitKmh <= MAX_SPEED_KMH)) {
            violations.add(new FieldError(
                    "speedLimitKmh", "must be between 1 and " + (int) MAX_SPEED_KMH + " (was " + speedLimitKmh + ")"));
        }
        return violations;
    }
}
