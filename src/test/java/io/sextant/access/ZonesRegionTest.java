package io.sextant.access;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.GeometryFactory;
import org.locationtech.jts.io.WKTReader;

/** A region's point test agrees with JTS's own on rectangles and on other shapes, edges included. */
class ZonesRegionTest {

    private static final GeometryFactory FACTORY = new GeometryFactory();

    @Test
    void the_fast_paths_answer_as_jts_covers_for_a_rectangle_and_for_an_l_shape() throws Exception {
        WKTReader wkt = new WKTReader(FACTORY);
        for (String shape :
                List.of("POLYGON ((0 0, 4 0, 4 4, 0 4, 0 0))", "POLYGON ((0 0, 4 0, 4 1, 1 1, 1 4, 0 4, 0 0))")) {
            Geometry polygon = wkt.read(shape);
            ZonesRegion region = new ZonesRegion(List.of(), polygon, "test");
            Random random = new Random(7);
            int inside = 0;
            for (int i = 0; i < 5_000; i++) {
                // Half on the integer grid, so edges and corners are hit exactly.
                double lon = i % 2 == 0 ? random.nextInt(7) - 1 : random.nextDouble() * 6 - 1;
                double lat = i % 2 == 0 ? random.nextInt(7) - 1 : random.nextDouble() * 6 - 1;
                boolean expected = polygon.covers(FACTORY.createPoint(new Coordinate(lon, lat)));
                assertThat(region.covers(lon, lat))
                        .as("%s at %s,%s", shape, lon, lat)
                        .isEqualTo(expected);
                inside += expected ? 1 : 0;
            }
            assertThat(inside).isBetween(500, 4_500);
        }
    }
}
