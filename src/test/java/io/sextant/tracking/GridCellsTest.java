package io.sextant.tracking;

import static org.assertj.core.api.Assertions.assertThat;

import io.sextant.shared.geo.BoundingBox;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class GridCellsTest {

    private static int cell(double lon, double lat) {
        return GridCells.column(lon) * GridCells.ROWS + GridCells.row(lat);
    }

    @Test
    void every_point_inside_a_box_falls_in_one_of_its_covering_cells_including_points_on_cell_edges() {
        Random random = new Random(11);
        for (int trial = 0; trial < 2_000; trial++) {
            double west = -180 + random.nextDouble() * 359;
            double south = -90 + random.nextDouble() * 179;
            double east = Math.min(180, west + random.nextDouble() * 0.4);
            double north = Math.min(90, south + random.nextDouble() * 0.4);
            BoundingBox box = new BoundingBox(west, south, east, north);
            List<Integer> cells = Arrays.asList(GridCells.covering(List.of(box), 10_000));
            for (int i = 0; i < 50; i++) {
                double lon = i == 0 ? west : i == 1 ? east : west + random.nextDouble() * (east - west);
                double lat = i == 0 ? south : i == 1 ? north : south + random.nextDouble() * (north - south);
                assertThat(cells).contains(cell(lon, lat));
            }
            // Points exactly on the grid lines inside the box.
            double edgeLon = -180 + Math.ceil((west + 180) / GridCells.DEGREES) * GridCells.DEGREES;
            double edgeLat = -90 + Math.ceil((south + 90) / GridCells.DEGREES) * GridCells.DEGREES;
            if (edgeLon <= east && edgeLat <= north) {
                assertThat(cells).contains(cell(edgeLon, edgeLat));
            }
        }
    }

    @Test
    void the_world_edges_have_cells_and_a_large_area_is_left_to_the_time_index() {
        assertThat(GridCells.covering(List.of(new BoundingBox(179.99, 89.99, 180, 90)), 10))
                .contains(cell(180, 90));
        assertThat(cell(180, 90)).isLessThan(Integer.MAX_VALUE).isPositive();
        assertThat(GridCells.covering(List.of(new BoundingBox(0, 0, 2, 2)), GridCells.MAX_CELLS))
                .isNull();
        // Both halves of a box split at the antimeridian are covered, each corner's cell included.
        Integer[] split = GridCells.covering(
                List.of(new BoundingBox(179.9, 0, 180, 0.1), new BoundingBox(-180, 0, -179.9, 0.1)), 100);
        assertThat(split)
                .contains(cell(179.9, 0), cell(180, 0.1), cell(-180, 0), cell(-179.9, 0.1))
                .doesNotHaveDuplicates();
    }
}
