package io.sextant.geofencing;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * What the fence state machine remembers about one asset and one zone between fixes.
 *
 * @param inside the side the asset is believed to be on
 * @param since when the last enter or exit happened (the time the asset actually crossed)
 * @param pendingFixes decisive fixes on the other side seen since the last decisive fix on the
 *     current side, not yet enough to confirm a crossing
 * @param pendingSince the time of the first of those pending fixes
 * @param dwellFired whether the current stay inside has raised its dwell
 * @param lastFixTime the time of the last fix applied; fixes not after it are ignored
 */
public record FenceState(
        boolean inside,
        @Nullable Instant since,
        int pendingFixes,
        @Nullable Instant pendingSince,
        boolean dwellFired,
        @Nullable Instant lastFixTime) {

    /** The state of an asset never seen in the zone. */
    public static final FenceState OUTSIDE = new FenceState(false, null, 0, null, false, null);

    public FenceState {
        if (pendingFixes < 0) {
            throw new IllegalArgumentException("pendingFixes must not be negative, was " + pendingFixes);
        }
        if ((pendingFixes == 0) != (pendingSince == null)) {
            throw new IllegalArgumentException("pendingSince is set exactly when fixes are pending");
        }
    }

    /** Whether this is the state of an asset never seen in the zone, which needs no storing. */
    public boolean isInitial() {
        return equals(OUTSIDE);
    }
}
