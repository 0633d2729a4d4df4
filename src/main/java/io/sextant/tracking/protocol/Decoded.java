package io.sextant.tracking.protocol;

import io.sextant.tracking.PositionReport;

/** What one message of a tracker app amounts to. */
public sealed interface Decoded {

    /** A position, to ingest. */
    record Report(PositionReport report) implements Decoded {}

    /**
     * A message the protocol defines that carries no position (OwnTracks' {@code lwt}, {@code
     * transition}, {@code card}, …): acknowledge it and drop it.
     *
     * @param what the kind of message
     */
    record Ignored(String what) implements Decoded {}

    /**
     * Input that is no usable message of the protocol, and why.
     *
     * @param kind a short name of the reason, for metrics: {@code unreadable}, or {@code encrypted}
     *     for an encrypted message there is no key for
     */
    record Unusable(String reason, String kind) implements Decoded {

        public Unusable(String reason) {
            this(reason, "unreadable");
        }
    }
}
