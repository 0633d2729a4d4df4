package io.sextant.zone;

import org.jspecify.annotations.Nullable;

/**
 * A coarse grid over a polygon's bounds that settles most points without an edge: a cell that no
 * edge's box reaches lies wholly inside or wholly outside, found once when the zone is compiled.
 * Only a point in a cell some edge's box reaches needs the exact ray-crossing test.
 *
 * <p>Exact, not approximate: a point's cell is computed as {@code (int) ((lon - west) / width)},
 * and so is the span of cells an edge's box reaches, from the box's corners. Subtraction and
 * division by the same positive number are monotone in IEEE arithmetic, so a point on or inside an
 * edge's box always lands in a cell of that span: the points that land in a cell no box reaches
 * form a rectangle no edge touches, and so do those of a run of such cells along a row, which is
 * why one exact test per run, at a point that lands in its first cell, settles every cell of it.
 */
final class CellGrid {

    /** Polygons with fewer edges are tested edge by edge; the grid would not pay for itself. */
    static final int MIN_EDGES = 16;

    /** Cells per edge aimed at, and the most cells along a side. */
    private static final int CELLS_PER_EDGE = 4;

    private static final int MAX_SIDE = 64;

    static final int UNKNOWN = 0;
    static final int INSIDE = 1;
    static final int OUTSIDE = 2;

    /** What the grid asks of the polygon: whether a point is inside or on it, exactly. */
    @FunctionalInterface
    interface Locator {
        boolean covers(double lon, double lat);
    }

    private final double west;
    private final double south;
    private final double width;
    private final double height;
    private final int columns;
    private final int rows;
    private final byte[] cells;

    private CellGrid(double west, double south, double width, double height, int columns, int rows) {
        this.west = west;
        this.south = south;
        this.width = width;
        this.height = height;
        this.columns = columns;
        this.rows = rows;
        this.cells = new byte[columns * rows];
    }

    /**
     * A grid over the box {@code west..east, south..north} (which must hold every edge) of a polygon
     * whose edges' boxes are {@code edgeBoxes[4i..4i+3]} (minX, minY, maxX, maxY); null when the
     * polygon has too few edges or its box no area.
     */
    static @Nullable CellGrid of(
            double west, double south, double east, double north, double[] edgeBoxes, Locator polygon) {
        int edges = edgeBoxes.length / 4;
        if (edges < MIN_EDGES || !(east > west) || !(north > south)) {
            return null;
        }
        double aspect = (east - west) / (north - south);
        int target = Math.min(MAX_SIDE * MAX_SIDE, CELLS_PER_EDGE * edges);
        int columns = clamp((int) Math.round(Math.sqrt(target * aspect)));
        int rows = clamp((int) Math.round((double) target / columns));
        CellGrid grid = new CellGrid(west, south, (east - west) / columns, (north - south) / rows, columns, rows);
        boolean[] reached = new boolean[columns * rows];
        for (int e = 0; e < edges; e++) {
            int b = 4 * e;
            int fromColumn = grid.column(edgeBoxes[b]);
            int toColumn = grid.column(edgeBoxes[b + 2]);
            int fromRow = grid.row(edgeBoxes[b + 1]);
            int toRow = grid.row(edgeBoxes[b + 3]);
            for (int r = fromRow; r <= toRow; r++) {
                for (int c = fromColumn; c <= toColumn; c++) {
                    reached[r * columns + c] = true;
                }
            }
        }
        for (int r = 0; r < rows; r++) {
            int c = 0;
            while (c < columns) {
                if (reached[r * columns + c]) {
                    c++;
                    continue;
                }
                int runEnd = c;
                while (runEnd < columns && !reached[r * columns + runEnd]) {
                    runEnd++;
                }
                // One point of the run's first cell decides the run (see the class).
                double lon = west + (c + 0.5) * grid.width;
                double lat = south + (r + 0.5) * grid.height;
                if (grid.column(lon) == c && grid.row(lat) == r) {
                    byte state = (byte) (polygon.covers(lon, lat) ? INSIDE : OUTSIDE);
                    for (int k = c; k < runEnd; k++) {
                        grid.cells[r * columns + k] = state;
                    }
                }
                c = runEnd;
            }
        }
        return grid;
    }

    /**
     * {@link #INSIDE} or {@link #OUTSIDE} when the point's cell settles it, else {@link #UNKNOWN}
     * (an edge's box reaches the cell, or the point is off the grid).
     */
    int state(double lon, double lat) {
        double x = (lon - west) / width;
        double y = (lat - south) / height;
        if (!(x >= 0 && x < columns && y >= 0 && y < rows)) {
            return UNKNOWN;
        }
        return cells[(int) y * columns + (int) x];
    }

    /** How many cells are settled (for tests). */
    int settledCells() {
        int settled = 0;
        for (byte cell : cells) {
            settled += cell == UNKNOWN ? 0 : 1;
        }
        return settled;
    }

    private int column(double lon) {
        return Math.clamp((int) ((lon - west) / width), 0, columns - 1);
    }

    private int row(double lat) {
        return Math.clamp((int) ((lat - south) / height), 0, rows - 1);
    }

    private static int clamp(int side) {
        return Math.clamp(side, 1, MAX_SIDE);
    }
}
