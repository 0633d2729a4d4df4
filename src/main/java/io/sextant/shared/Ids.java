package io.sextant.shared;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Time-ordered identifiers (UUID version 7, RFC 9562): primary keys that sort by creation time, so
 * keyset pagination by id is also pagination by age and B-tree inserts stay append-mostly. Within
 * one process they are strictly increasing: ids made in the same millisecond count up in the 12
 * bits after the timestamp (RFC 9562, section 6.2, method 3), so rows written in one transaction
 * list in the order they were made.
 */
public final class Ids {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final AtomicLong LAST = new AtomicLong();

    private Ids() {}

    public static UUID newId() {
        UUID id = newId(Clock.systemUTC());
        return new UUID(LAST.accumulateAndGet(id.getMostSignificantBits(), Ids::next), id.getLeastSignificantBits());
    }

    static UUID newId(Clock clock) {
        long millis = clock.millis();
        long randA = RANDOM.nextInt(1 << 12);
        long msb = (millis << 16) | (0x7L << 12) | randA;
        long lsb = (RANDOM.nextLong() & 0x3FFF_FFFF_FFFF_FFFFL) | 0x8000_0000_0000_0000L;
        return new UUID(msb, lsb);
    }

    /** The candidate if it is later than the last id's high bits, else the last one plus one. */
    private static long next(long last, long candidate) {
        if (Long.compareUnsigned(candidate, last) > 0) {
            return candidate;
        }
        // The counter is full: borrow the next millisecond, counter at zero.
        return (last & 0xFFF) == 0xFFF ? (((last >>> 16) + 1) << 16) | (0x7L << 12) : last + 1;
    }
}
