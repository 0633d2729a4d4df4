package io.sextant.tracking.live;

import io.sextant.shared.geo.BoundingBox;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.jspecify.annotations.Nullable;

/**
 * The fixed part of the {@link LiveIndex}: a grid of 1024 × 512 {@link Tile}s and, above it, a pyramid of blocks
 * with entry counts so that searches skip empty regions of the globe a level at a time.
 *
 * <p>Level {@code L} divides the globe into {@code 2^(L+1)} columns by {@code 2^L} rows of square blocks,
 * {@code 180 / 2^L} degrees on a side; level {@value #TILE_LEVEL} is the tile grid. A block's index is
 * {@code row * columns + column}, counted from the south-west corner. All block edges are exact binary fractions of
 * a degree, so the pyramid and the quadtrees below it never disagree about which side of an edge a point is on.
 *
 * <p>Counts are raised before an entry enters a tile and lowered after it has left, so a count is never below the
 * number of entries a reader could find: skipping a block whose count is zero never hides an entry.
 */
final class TileGrid {

    static final int TILE_LEVEL = 9;

    private final AtomicIntegerArray[] counts = new AtomicIntegerArray[TILE_LEVEL + 1];
    private final AtomicReferenceArray<@Nullable Tile> tiles;

    TileGrid() {
        for (int level = 0; level <= TILE_LEVEL; level++) {
            counts[level] = new AtomicIntegerArray(columns(level) * rows(level));
        }
        tiles = new AtomicReferenceArray<>(columns(TILE_LEVEL) * rows(TILE_LEVEL));
    }

    static int columns(int level) {
        return 2 << level;
    }

    static int rows(int level) {
        return 1 << level;
    }

    static double degrees(int level) {
        return 180.0 / (1 << level);
    }

    static double west(int level, int index) {
        int column = index % columns(level);
        return -180 + column * degrees(level);
    }

    static double east(int level, int index) {
        return west(level, index) + degrees(level);
    }

    static double south(int level, int index) {
        int row = index / columns(level);
        return -90 + row * degrees(level);
    }

    static double north(int level, int index) {
        return south(level, index) + degrees(level);
    }

    /** The block containing a position; longitude 180 lands in the last column, callers place it first. */
    static int blockIndex(int level, double lon, double lat) {
        return row(level, lat) * columns(level) + column(level, lon);
    }

    static int column(int level, double lon) {
        return Math.clamp((long) Math.floor((lon + 180) / degrees(level)), 0, columns(level) - 1);
    }

    static int row(int level, double lat) {
        return Math.clamp((long) Math.floor((lat + 90) / degrees(level)), 0, rows(level) - 1);
    }

    /** The four blocks of the next level inside a block. */
    static int[] children(int level, int index) {
        int row = index / columns(level);
        int column = index % columns(level);
        int childColumns = columns(level + 1);
        int first = 2 * row * childColumns + 2 * column;
        return new int[] {first, first + 1, first + childColumns, first + childColumns + 1};
    }

    /**
     * The blocks of one level that a box may touch, each once. Entries on the antimeridian are filed at -180, so a box
     * reaching 180 from the west also needs the first column.
     */
    static int[] blocksCovering(int level, BoundingBox box) {
        int last = columns(level) - 1;
        int[] columnRanges;
        if (box.crossesAntimeridian()) {
            columnRanges = merge(column(level, box.west()), last, 0, column(level, box.east()));
        } else if (box.east() == 180) {
            columnRanges = merge(0, 0, column(level, box.west()), last);
        } else {
            columnRanges = new int[] {column(level, box.west()), column(level, box.east())};
        }
        int fromRow = row(level, box.south());
        int toRow = row(level, box.north());
        int width = 0;
        for (int r = 0; r < columnRanges.length; r += 2) {
            width += columnRanges[r + 1] - columnRanges[r] + 1;
        }
        int[] blocks = new int[width * (toRow - fromRow + 1)];
        int next = 0;
        for (int row = fromRow; row <= toRow; row++) {
            for (int r = 0; r < columnRanges.length; r += 2) {
                for (int column = columnRanges[r]; column <= columnRanges[r + 1]; column++) {
                    blocks[next++] = row * columns(level) + column;
                }
            }
        }
        return blocks;
    }

    /**
     * The level at which to start searching a box: the finest one at which it touches only a handful of blocks, so a
     * small search neither walks down the whole pyramid nor enumerates hundreds of tiles.
     */
    static int startLevel(BoundingBox box, int maxBlocks) {
        for (int level = TILE_LEVEL; level > 0; level--) {
            int rowsTouched = row(level, box.north()) - row(level, box.south()) + 1;
            double lonSpan = box.crossesAntimeridian() ? 360 - (box.west() - box.east()) : box.east() - box.west();
            long columnsTouched = (long) Math.ceil(lonSpan / degrees(level)) + 2;
            if (rowsTouched * columnsTouched <= maxBlocks) {
                return level;
            }
        }
        return 0;
    }

    /**
     * Whether a rectangle of the grid (edges included, never crossing the antimeridian) may hold entries inside a
     * box. A box reaching 180 also touches the first column, where entries on the antimeridian are filed.
     */
    static boolean touches(BoundingBox box, double west, double south, double east, double north) {
        if (south > box.north() || north < box.south()) {
            return false;
        }
        if (box.crossesAntimeridian()) {
            return east >= box.west() || west <= box.east();
        }
        return (west <= box.east() && east >= box.west()) || (box.east() == 180 && west == -180);
    }

    /** Whether a block of a level may hold entries. */
    boolean occupied(int level, int index) {
        return counts[level].get(index) > 0;
    }

    /** The entries in a block of a level, give or take those entering or leaving it right now. */
    int count(int level, int index) {
        return counts[level].get(index);
    }

    @Nullable
    Tile tile(int index) {
        return tiles.get(index);
    }

    /** Counts an entry into a tile and returns the tile, creating it on first use. */
    Tile enter(int tileIndex) {
        addToCounts(tileIndex, 1);
        Tile tile = tiles.get(tileIndex);
        if (tile == null) {
            Tile created = new Tile(tileIndex);
            tile = tiles.compareAndExchange(tileIndex, null, created);
            if (tile == null) {
                tile = created;
            }
        }
        return tile;
    }

    /** Counts an entry out of a tile it has already left. */
    void left(int tileIndex) {
        addToCounts(tileIndex, -1);
    }

    private void addToCounts(int tileIndex, int delta) {
        int row = tileIndex / columns(TILE_LEVEL);
        int column = tileIndex % columns(TILE_LEVEL);
        for (int level = TILE_LEVEL; level >= 0; level--, row /= 2, column /= 2) {
            counts[level].addAndGet(row * columns(level) + column, delta);
        }
    }

    private static int[] merge(int fromA, int toA, int fromB, int toB) {
        int firstFrom = Math.min(fromA, fromB);
        int firstTo = fromA <= fromB ? toA : toB;
        int secondFrom = Math.max(fromA, fromB);
        int secondTo = fromA <= fromB ? toB : toA;
        if (secondFrom <= firstTo + 1) {
            return new int[] {firstFrom, Math.max(firstTo, secondTo)};
        }
        return new int[] {firstFrom, firstTo, secondFrom, secondTo};
    }
}
