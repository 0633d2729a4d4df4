package io.sextant.geofencing;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * What the engine knows of one asset: the event time of the newest position evaluated and the
 * state for every zone where it is not simply outside. Immutable: a group builds the next value
 * and the engine installs it only when the group commits.
 */
record AssetFences(
        @Nullable Instant lastTime, Map<UUID, FenceState> states, SpeedingRule.SpeedState speeding, boolean stale) {

    static final AssetFences NEW = new AssetFences(null, Map.of(), SpeedingRule.SpeedState.NOT_SPEEDING, false);

    AssetFences {
        states = Map.copyOf(states);
    }

    AssetFences(@Nullable Instant lastTime, Map<UUID, FenceState> states) {
        this(lastTime, states, SpeedingRule.SpeedState.NOT_SPEEDING, false);
    }

    AssetFences with(@Nullable Instant newLastTime, Map<UUID, FenceState> newStates) {
        return new AssetFences(newLastTime, newStates, speeding, stale);
    }

    /** Whether nothing about this asset needs evaluating beyond remembering its last time. */
    boolean isQuiet() {
        return states.isEmpty() && !speeding.speeding() && speeding.pendingSince() == null && !stale;
    }

    /** A state that needs neither memory nor a row: outside, nothing pending. */
    static boolean isSettledOutside(FenceState state) {
        return !state.inside() && state.pendingFixes() == 0;
    }

    /** Whether two states differ in what is persisted (everything but the last fix time). */
    static boolean persistedDiffers(FenceState a, FenceState b) {
        return a.inside() != b.inside()
                || !java.util.Objects.equals(a.since(), b.since())
                || a.pendingFixes() != b.pendingFixes()
                || !java.util.Objects.equals(a.pendingSince(), b.pendingSince())
                || a.dwellFired() != b.dwellFired();
    }
}
