package io.sextant.tracking.live;

import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/**
 * A node of the adaptive quadtree inside one {@link Tile}: either a leaf holding entries in parallel arrays, or four
 * children splitting its rectangle at the middle longitude and latitude.
 *
 * <p>Nodes do not store their rectangle; callers pass it down, since it follows from the tile and the path. Every
 * method must be called holding the tile's lock (the write lock for changes).
 */
final class Quad {

    /** A leaf holding more entries splits, so a dense place costs a few small leaves to scan rather than one big one. */
    static final int SPLIT_SIZE = 64;

    /** A subtree shrinking to this many entries collapses back into a leaf, so departed crowds leave no debris. */
    static final int MERGE_SIZE = 24;

    /** About 4 cm below a 0.35° tile: entries closer than that stay together in one (then unbounded) leaf. */
    static final int MAX_DEPTH = 20;

    private static final int[] NO_SLOTS = new int[0];
    private static final double[] NO_COORDINATES = new double[0];

    /** Entries in this subtree; for a leaf, the used length of its arrays. */
    int size;

    /** South-west, south-east, north-west, north-east; null for a leaf. */
    Quad @Nullable [] children;

    // Most leaves of a sparse fleet hold one or two entries; larger ones grow by doubling.
    int[] slots = new int[2];
    double[] lons = new double[2];
    double[] lats = new double[2];

    /** The quadrant (index into {@link #children}) of a position inside a rectangle with the given middle. */
    static int quadrant(double lon, double lat, double midLon, double midLat) {
        return (Tile.placementLon(lon) >= midLon ? 1 : 0) | (lat >= midLat ? 2 : 0);
    }

    void insert(int slot, double lon, double lat, double west, double south, double east, double north, int depth) {
        Quad[] quadrants = children;
        if (quadrants != null) {
            size++;
            double midLon = (west + east) / 2;
            double midLat = (south + north) / 2;
            int q = quadrant(lon, lat, midLon, midLat);
            quadrants[q].insert(
                    slot,
                    lon,
                    lat,
                    (q & 1) == 0 ? west : midLon,
                    (q & 2) == 0 ? south : midLat,
                    (q & 1) == 0 ? midLon : east,
                    (q & 2) == 0 ? midLat : north,
                    depth + 1);
            return;
        }
        if (size == slots.length) {
            int capacity = Math.max(2, size * 2);
            slots = Arrays.copyOf(slots, capacity);
            lons = Arrays.copyOf(lons, capacity);
            lats = Arrays.copyOf(lats, capacity);
        }
        slots[size] = slot;
        lons[size] = lon;
        lats[size] = lat;
        size++;
        if (size > SPLIT_SIZE && depth < MAX_DEPTH) {
            split(west, south, east, north, depth);
        }
    }

    /** Removes an entry found at its current position; false if it is not there. */
    boolean remove(int slot, double lon, double lat, double west, double south, double east, double north) {
        Quad[] quadrants = children;
        if (quadrants == null) {
            int index = indexOf(slot);
            if (index < 0) {
                return false;
            }
            size--;
            slots[index] = slots[size];
            lons[index] = lons[size];
            lats[index] = lats[size];
            return true;
        }
        double midLon = (west + east) / 2;
        double midLat = (south + north) / 2;
        int q = quadrant(lon, lat, midLon, midLat);
        boolean removed = quadrants[q].remove(
                slot,
                lon,
                lat,
                (q & 1) == 0 ? west : midLon,
                (q & 2) == 0 ? south : midLat,
                (q & 1) == 0 ? midLon : east,
                (q & 2) == 0 ? midLat : north);
        if (removed) {
            size--;
            if (size <= MERGE_SIZE) {
                collapse();
            }
        }
        return removed;
    }

    /**
     * Moves an entry within this tree: in place when it stays in its leaf (the common case for an asset reporting
     * every few seconds), otherwise by removing and re-inserting it.
     */
    boolean move(
            int slot,
            double fromLon,
            double fromLat,
            double toLon,
            double toLat,
            double west,
            double south,
            double east,
            double north) {
        Quad leaf = leafFor(fromLon, fromLat, west, south, east, north);
        if (leaf == leafFor(toLon, toLat, west, south, east, north)) {
            int index = leaf.indexOf(slot);
            if (index < 0) {
                return false;
            }
            leaf.lons[index] = toLon;
            leaf.lats[index] = toLat;
            return true;
        }
        if (!remove(slot, fromLon, fromLat, west, south, east, north)) {
            return false;
        }
        insert(slot, toLon, toLat, west, south, east, north, 0);
        return true;
    }

    private Quad leafFor(double lon, double lat, double west, double south, double east, double north) {
        Quad node = this;
        double w = west;
        double s = south;
        double e = east;
        double n = north;
        for (Quad[] quadrants = node.children; quadrants != null; quadrants = node.children) {
            double midLon = (w + e) / 2;
            double midLat = (s + n) / 2;
            int q = quadrant(lon, lat, midLon, midLat);
            if ((q & 1) == 0) {
                e = midLon;
            } else {
                w = midLon;
            }
            if ((q & 2) == 0) {
                n = midLat;
            } else {
                s = midLat;
            }
            node = quadrants[q];
        }
        return node;
    }

    private int indexOf(int slot) {
        for (int i = 0; i < size; i++) {
            if (slots[i] == slot) {
                return i;
            }
        }
        return -1;
    }

    private void split(double west, double south, double east, double north, int depth) {
        int count = size;
        int[] oldSlots = slots;
        double[] oldLons = lons;
        double[] oldLats = lats;
        children = new Quad[] {new Quad(), new Quad(), new Quad(), new Quad()};
        slots = NO_SLOTS;
        lons = NO_COORDINATES;
        lats = NO_COORDINATES;
        // Inserting through this (now inner) node counts each entry again, so start its count from zero.
        size = 0;
        for (int i = 0; i < count; i++) {
            insert(oldSlots[i], oldLons[i], oldLats[i], west, south, east, north, depth);
        }
    }

    private void collapse() {
        int[] gatheredSlots = new int[Math.max(4, size)];
        double[] gatheredLons = new double[gatheredSlots.length];
        double[] gatheredLats = new double[gatheredSlots.length];
        int count = gather(this, gatheredSlots, gatheredLons, gatheredLats, 0);
        if (count != size) {
            throw new IllegalStateException("quadtree counts are inconsistent: " + count + " != " + size);
        }
        children = null;
        slots = gatheredSlots;
        lons = gatheredLons;
        lats = gatheredLats;
    }

    private static int gather(Quad node, int[] slots, double[] lons, double[] lats, int offset) {
        Quad[] quadrants = node.children;
        if (quadrants == null) {
            System.arraycopy(node.slots, 0, slots, offset, node.size);
            System.arraycopy(node.lons, 0, lons, offset, node.size);
            System.arraycopy(node.lats, 0, lats, offset, node.size);
            return offset + node.size;
        }
        for (Quad quadrant : quadrants) {
            offset = gather(quadrant, slots, lons, lats, offset);
        }
        return offset;
    }
}
