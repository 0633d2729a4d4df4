package io.sextant.tracking.live;

import java.util.concurrent.locks.StampedLock;

/**
 * One cell of the fixed grid under the {@link LiveIndex}: 0.3515625° (1/1024 of the circle) square in degrees, with
 * its own lock and an adaptive {@link Quad} tree of the entries positioned in it.
 */
final class Tile {

    /** Readers share it while they scan the tree; writers hold it exclusively while they change it. */
    final StampedLock lock = new StampedLock();

    final Quad root = new Quad();

    // Only the index is kept: the bounds follow from it, and a sparse worldwide fleet occupies half a million tiles.
    private final int index;

    Tile(int index) {
        this.index = index;
    }

    double west() {
        return TileGrid.west(TileGrid.TILE_LEVEL, index);
    }

    double south() {
        return TileGrid.south(TileGrid.TILE_LEVEL, index);
    }

    double east() {
        return TileGrid.east(TileGrid.TILE_LEVEL, index);
    }

    double north() {
        return TileGrid.north(TileGrid.TILE_LEVEL, index);
    }

    /**
     * The longitude that decides where an entry is filed. Longitude 180 is filed as -180, the same meridian, so that
     * every point on the antimeridian lives in the first column and the grid has no seam.
     */
    static double placementLon(double lon) {
        return lon == 180 ? -180 : lon;
    }

    /** The tile an entry at this position belongs to. */
    static int indexOf(double lon, double lat) {
        return TileGrid.blockIndex(TileGrid.TILE_LEVEL, placementLon(lon), lat);
    }

    void insert(int slot, double lon, double lat) {
        root.insert(slot, lon, lat, west(), south(), east(), north(), 0);
    }

    void remove(int slot, double lon, double lat) {
        if (!root.remove(slot, lon, lat, west(), south(), east(), north())) {
            throw new IllegalStateException("entry to remove is not where its position says");
        }
    }

    void move(int slot, double fromLon, double fromLat, double toLon, double toLat) {
        if (!root.move(slot, fromLon, fromLat, toLon, toLat, west(), south(), east(), north())) {
            throw new IllegalStateException("entry to move is not where its position says");
        }
    }
}
