package io.sextant.geofencing;

import java.time.Instant;
import java.util.Objects;

/**
 * A change the fence state machine reports for one asset and one zone, dated to when it happened
 * rather than when it was confirmed. Exits and dwells carry when their stay began, so that two
 * transitions are equal exactly when every event built from them says the same.
 */
public sealed interface Transition {

    Instant time();

    /** The asset crossed into the zone at {@code time}. */
    record Entered(Instant time) implements Transition {
        public Entered {
            Objects.requireNonNull(time, "time");
        }
    }

    /** The asset crossed out of the zone at {@code time}, ending the stay that began at {@code enteredAt}. */
    record Exited(Instant time, Instant enteredAt) implements Transition {
        public Exited {
            Objects.requireNonNull(time, "time");
            Objects.requireNonNull(enteredAt, "enteredAt");
        }
    }

    /**
     * The asset had been inside for the zone's dwell time by {@code time}, in the stay that began at
     * {@code enteredAt}.
     */
    record Dwelled(Instant time, Instant enteredAt) implements Transition {
        public Dwelled {
            Objects.requireNonNull(time, "time");
            Objects.requireNonNull(enteredAt, "enteredAt");
        }
    }
}
