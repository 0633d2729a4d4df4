package io.sextant.shared;

import java.time.Duration;
import java.time.Instant;

/**
 * Consecutive failures counted by key, with a lock per key: the memory behind sign-in throttling,
 * shared by every node of the installation when it has a shared store (Redis), so a guesser who
 * spreads attempts over the nodes meets one count. The platform provides it; {@link #NONE} when
 * there is nothing to share through, and the caller counts in its own memory. A call on a shared
 * store may fail (the store unreachable, or slower than its timeout): the caller then falls back on
 * its own memory.
 */
public interface FailureCounters {

    /** No shared store: {@link #shared()} is false and every other call refuses. */
    FailureCounters NONE = new FailureCounters() {
        @Override
        public boolean shared() {
            return false;
        }

        @Override
        public long increment(String key, Duration keep) {
            throw new UnsupportedOperationException("no shared failure counters");
        }

        @Override
        public void lock(String key, Instant until, Duration keep) {
            throw new UnsupportedOperationException("no shared failure counters");
        }

        @Override
        public Instant lockedUntil(String key) {
            throw new UnsupportedOperationException("no shared failure counters");
        }

        @Override
        public void clear(String key) {
            throw new UnsupportedOperationException("no shared failure counters");
        }
    };

    /** Whether these counters are shared with other nodes (false: {@link #NONE}). */
    boolean shared();

    /**
     * Adds a failure to {@code key}; returns its count, this one included. The key is forgotten
     * {@code keep} after its last change, unless a lock keeps it longer.
     */
    long increment(String key, Duration keep);

    /**
     * Locks {@code key} until {@code until} (a later lock already in place stands) and keeps the key
     * at least {@code keep} from now.
     */
    void lock(String key, Instant until, Duration keep);

    /** When {@code key}'s lock ends; {@link Instant#EPOCH} when it has none. */
    Instant lockedUntil(String key);

    /** Forgets {@code key}: its count and its lock. */
    void clear(String key);
}
