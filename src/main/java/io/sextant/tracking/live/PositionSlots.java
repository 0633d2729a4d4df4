package io.sextant.tracking.live;

import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/**
 * Entry data stored column-wise in fixed-size chunks and addressed by slot number, so that a million entries cost a
 * few primitive arrays instead of a million objects (and a million object headers for the garbage collector to trace).
 *
 * <p>Slot allocation is synchronized. Reading and writing a slot's data is not: {@link LiveIndex} guards every slot
 * with the lock of its id's {@link IdTable.Segment} and of the {@link Tile} that holds it.
 */
final class PositionSlots {

    private static final int CHUNK_BITS = 12;
    private static final int CHUNK_SIZE = 1 << CHUNK_BITS;
    private static final int CHUNK_MASK = CHUNK_SIZE - 1;

    private static final class Chunk {
        final long[] idHigh = new long[CHUNK_SIZE];
        final long[] idLow = new long[CHUNK_SIZE];
        final double[] lon = new double[CHUNK_SIZE];
        final double[] lat = new double[CHUNK_SIZE];
        final @Nullable Object[] payload = new Object[CHUNK_SIZE];
    }

    // Replaced (never mutated in place) when it grows, so a reader always sees a complete directory.
    private volatile Chunk[] chunks = new Chunk[0];
    private int nextUnused;
    private int[] released = new int[64];
    private int releasedCount;

    synchronized int allocate() {
        if (releasedCount > 0) {
            return released[--releasedCount];
        }
        int slot = nextUnused++;
        if (slot < 0) {
            throw new IllegalStateException("no more than " + Integer.MAX_VALUE + " entries fit");
        }
        Chunk[] current = chunks;
        if ((slot >>> CHUNK_BITS) == current.length) {
            Chunk[] grown = Arrays.copyOf(current, current.length + 1);
            grown[current.length] = new Chunk();
            chunks = grown;
        }
        return slot;
    }

    synchronized void release(int slot) {
        chunk(slot).payload[slot & CHUNK_MASK] = null;
        if (releasedCount == released.length) {
            released = Arrays.copyOf(released, released.length * 2);
        }
        released[releasedCount++] = slot;
    }

    void writeId(int slot, long high, long low) {
        Chunk chunk = chunk(slot);
        chunk.idHigh[slot & CHUNK_MASK] = high;
        chunk.idLow[slot & CHUNK_MASK] = low;
    }

    void writePosition(int slot, double lon, double lat, Object payload) {
        Chunk chunk = chunk(slot);
        chunk.lon[slot & CHUNK_MASK] = lon;
        chunk.lat[slot & CHUNK_MASK] = lat;
        chunk.payload[slot & CHUNK_MASK] = payload;
    }

    long idHigh(int slot) {
        return chunk(slot).idHigh[slot & CHUNK_MASK];
    }

    long idLow(int slot) {
        return chunk(slot).idLow[slot & CHUNK_MASK];
    }

    double lon(int slot) {
        return chunk(slot).lon[slot & CHUNK_MASK];
    }

    double lat(int slot) {
        return chunk(slot).lat[slot & CHUNK_MASK];
    }

    /** The payload of an occupied slot; the caller knows its type. */
    Object payload(int slot) {
        Object payload = chunk(slot).payload[slot & CHUNK_MASK];
        if (payload == null) {
            throw new IllegalStateException("slot " + slot + " is not occupied");
        }
        return payload;
    }

    private Chunk chunk(int slot) {
        return chunks[slot >>> CHUNK_BITS];
    }
}
