package io.sextant.geofencing;

import java.time.Instant;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What the fence state machine needs of one accepted position: when it was taken and, if the
 * device reported it, how accurate it is.
 */
public record Fix(Instant time, @Nullable Double accuracyMeters) {

    public Fix {
        Objects.requireNonNull(time, "time");
    }

    /** Whether the fix is known to be less accurate than the given threshold (no threshold: never). */
    boolean isLessAccurateThan(@Nullable Double maxAccuracyMeters) {
        return maxAccuracyMeters != null && accuracyMeters != null && accuracyMeters > maxAccuracyMeters;
    }
}
