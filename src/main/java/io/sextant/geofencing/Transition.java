package io.sextant.geofencing;

import java.time.Instant;
import java.util.Objects;

/**
 * A change the fence state machine reports for one asset and one zone, dated to when it happened
 * rather than when it was confirmed.
 */
public sealed interface Transition {

    Instant time();

    /** The asset crossed into the zone at {@code time}. */
    record Entered(Instant time) implements Transition {
        public Entered {
            Objects.requireNonNull(time, "time");
        }
    }

    /** The asset crossed out of the zone at {@code time}. */
    record Exited(Instant time) implements Transition {
        public Exited {
            Objects.requireNonNull(time, "time");
        }
    }

    /** The asset had been inside for the zone's dwell time by {@code time}. */
    record Dwelled(Instant time) implements Transition {
        public Dwelled {
            Objects.requireNonNull(time, "time");
        }
    }
}
