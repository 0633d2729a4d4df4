package io.sextant.tracking;

import io.sextant.shared.geo.BoundingBox;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The spatial key of the position history (V3): a fixed grid of {@value #DEGREES}° cells, numbered
 * {@code column * ROWS + row}. The btree on (tenant_id, cell, event_time) answers "this area during
 * this window" as one short index range per covered cell, already restricted to the window; {@link
 * #SQL} must stay exactly the expression of that index (V3__position_cell_time.sql) for the planner
 * to use it. Cells only select candidates: rows are still tested against the exact boxes, so a cell
 * computed one way or the other at a boundary cannot change an answer — and it cannot lose a row
 * either, because a row's cell and a box's covering cells come from the same monotonic arithmetic
 * (IEEE add and divide, then floor) on both sides.
 */
final class GridCells {

    static final double DEGREES = 0.05;
    static final int ROWS = 3601; // ceil(180 / 0.05) + 1: latitude 90 lands in row 3600

    /** The cell of a position row, as the index declares it (with the table alias {@code p}). */
    static final String SQL =
            "((floor((p.lon + 180) / 0.05::float8))::int * 3601 + (floor((p.lat + 90) / 0.05::float8))::int)";

    /** Above this many cells an area is large enough that the time window (BRIN) is the better filter. */
    static final int MAX_CELLS = 256;

    private GridCells() {}

    static int column(double lon) {
        return (int) Math.floor((lon + 180) / DEGREES);
    }

    static int row(double lat) {
        return (int) Math.floor((lat + 90) / DEGREES);
    }

    /** Every cell that a point inside any of the boxes can fall in, or null if more than {@code max}. */
    static Integer @Nullable [] covering(List<BoundingBox> boxes, int max) {
        Set<Integer> cells = new LinkedHashSet<>();
        for (BoundingBox box : boxes) {
            int x0 = column(box.west());
            int x1 = column(box.east());
            int y0 = row(box.south());
            int y1 = row(box.north());
            if (x1 < x0 || (long) (x1 - x0 + 1) * (y1 - y0 + 1) > max) {
                return null;
            }
            for (int x = x0; x <= x1; x++) {
                for (int y = y0; y <= y1; y++) {
                    cells.add(x * ROWS + y);
                }
            }
            if (cells.size() > max) {
                return null;
            }
        }
        return new ArrayList<>(cells).toArray(Integer[]::new);
    }
}
