package io.sextant.tracking;

import static org.assertj.core.api.Assertions.assertThat;

import io.sextant.testing.SextantIT;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/** The grid cell PostgreSQL computes for the index is the one GridCells computes for a query. */
class GridCellsIT extends SextantIT {

    @Autowired
    JdbcClient jdbc;

    @Test
    void postgresql_and_the_jvm_put_every_point_in_the_same_cell_even_on_cell_edges() {
        Random random = new Random(3);
        for (int i = 0; i < 500; i++) {
            double lon =
                    i % 2 == 0 ? -180 + random.nextInt(7201) * GridCells.DEGREES : -180 + random.nextDouble() * 360;
            double lat = i % 3 == 0 ? -90 + random.nextInt(3601) * GridCells.DEGREES : -90 + random.nextDouble() * 180;
            lon = Math.max(-180, Math.min(180, lon));
            lat = Math.max(-90, Math.min(90, lat));
            Integer sql = jdbc.sql("select " + GridCells.SQL + " from (select cast(:lon as float8) as lon,"
                            + " cast(:lat as float8) as lat) p")
                    .param("lon", lon)
                    .param("lat", lat)
                    .query(Integer.class)
                    .single();
            assertThat(sql)
                    .as("cell of %s, %s", lon, lat)
                    .isEqualTo(GridCells.column(lon) * GridCells.ROWS + GridCells.row(lat));
        }
    }
}
