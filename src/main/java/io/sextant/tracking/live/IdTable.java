package io.sextant.tracking.live;

import java.util.concurrent.locks.ReentrantLock;

/**
 * The map from entry id to slot: open addressing over int arrays, split into independently locked segments.
 *
 * <p>A bucket holds only {@code slot + 1} (zero marks an empty bucket); the id it is compared with lives in
 * {@link PositionSlots}. That keeps the map at a few bytes per entry instead of the ~70 a {@code ConcurrentHashMap}
 * with {@code UUID} keys would cost. A segment's lock also serialises every change to the entries whose ids it holds,
 * which is how {@link LiveIndex} keeps two concurrent {@code put}s of one id from both inserting it.
 */
final class IdTable {

    private static final int SEGMENT_BITS = 6;

    private final Segment[] segments = new Segment[1 << SEGMENT_BITS];

    IdTable(PositionSlots slots) {
        for (int i = 0; i < segments.length; i++) {
            segments[i] = new Segment(slots);
        }
    }

    /** A well-mixed hash of an id (the murmur3 finaliser); UUID version 7 ids share their leading bits. */
    static long hash(long high, long low) {
        long h = high * 0x9E3779B97F4A7C15L ^ low;
        h ^= h >>> 33;
        h *= 0xFF51AFD7ED558CCDL;
        h ^= h >>> 33;
        h *= 0xC4CEB9FE1A85EC53L;
        return h ^ (h >>> 33);
    }

    Segment segment(long hash) {
        return segments[(int) (hash >>> (64 - SEGMENT_BITS))];
    }

    /** One independently locked part of the table. Every method must be called holding {@link #lock}. */
    static final class Segment {

        final ReentrantLock lock = new ReentrantLock();
        private final PositionSlots slots;
        private int[] buckets = new int[16];
        private int size;

        private Segment(PositionSlots slots) {
            this.slots = slots;
        }

        /** The slot of an id, or -1 if the id is absent. */
        int find(long high, long low, long hash) {
            int mask = buckets.length - 1;
            for (int i = (int) hash & mask; ; i = (i + 1) & mask) {
                int bucket = buckets[i];
                if (bucket == 0) {
                    return -1;
                }
                int slot = bucket - 1;
                if (slots.idHigh(slot) == high && slots.idLow(slot) == low) {
                    return slot;
                }
            }
        }

        /** Adds a slot whose id is already written and not yet in the table. */
        void insert(int slot, long hash) {
            if ((size + 1) * 2 > buckets.length) {
                grow();
            }
            place(slot, hash);
            size++;
        }

        /** Removes an id that is in the table, shifting later buckets of its probe run back (no tombstones). */
        void delete(long high, long low, long hash) {
            int mask = buckets.length - 1;
            int hole = (int) hash & mask;
            while (buckets[hole] != 0) {
                int slot = buckets[hole] - 1;
                if (slots.idHigh(slot) == high && slots.idLow(slot) == low) {
                    break;
                }
                hole = (hole + 1) & mask;
            }
            if (buckets[hole] == 0) {
                throw new IllegalStateException("id to delete is not in the table");
            }
            for (int next = (hole + 1) & mask; buckets[next] != 0; next = (next + 1) & mask) {
                int home = (int) hashOf(buckets[next] - 1) & mask;
                // Move the entry into the hole unless its home lies cyclically in (hole, next].
                boolean homeBetween = hole <= next ? home > hole && home <= next : home > hole || home <= next;
                if (!homeBetween) {
                    buckets[hole] = buckets[next];
                    hole = next;
                }
            }
            buckets[hole] = 0;
            size--;
        }

        private void grow() {
            int[] old = buckets;
            buckets = new int[old.length * 2];
            for (int bucket : old) {
                if (bucket != 0) {
                    place(bucket - 1, hashOf(bucket - 1));
                }
            }
        }

        private void place(int slot, long hash) {
            int mask = buckets.length - 1;
            int i = (int) hash & mask;
            while (buckets[i] != 0) {
                i = (i + 1) & mask;
            }
            buckets[i] = slot + 1;
        }

        private long hashOf(int slot) {
            return hash(slots.idHigh(slot), slots.idLow(slot));
        }
    }
}
