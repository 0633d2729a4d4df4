package io.sextant.zone;

import static org.assertj.core.api.Assertions.assertThat;

import io.sextant.shared.geo.GeoJsonGeometries;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.Envelope;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.LineString;
import org.locationtech.jts.geom.prep.PreparedGeometry;
import org.locationtech.jts.geom.prep.PreparedGeometryFactory;
import org.locationtech.jts.geom.util.LinearComponentExtracter;

class CellGridTest {

    /** A star of {@code vertices} vertices around (lon, lat), 0.9–1° from it, maybe with a square hole. */
    private static Geometry star(Random random, double lon, double lat, int vertices, boolean withHole) {
        List<Double> radii = new ArrayList<>(vertices);
        for (int i = 0; i < vertices; i++) {
            radii.add(0.9 + 0.1 * random.nextDouble());
        }
        return Shapes.star(lon, lat, radii, withHole);
    }

    /** The grid over a polygon's bounds, with JTS deciding its runs of cells. */
    private static CellGrid gridOf(Geometry polygon, PreparedGeometry oracle) {
        Envelope bounds = polygon.getEnvelopeInternal();
        return CellGrid.of(
                bounds.getMinX(),
                bounds.getMinY(),
                bounds.getMaxX(),
                bounds.getMaxY(),
                edgeBoxes(polygon),
                (lon, lat) -> oracle.covers(GeoJsonGeometries.FACTORY.createPoint(new Coordinate(lon, lat))));
    }

    private static double[] edgeBoxes(Geometry polygon) {
        List<double[]> boxes = new ArrayList<>();
        for (Object line : LinearComponentExtracter.getLines(polygon)) {
            Coordinate[] ring = ((LineString) line).getCoordinates();
            for (int i = 1; i < ring.length; i++) {
                boxes.add(new double[] {
                    Math.min(ring[i - 1].x, ring[i].x),
                    Math.min(ring[i - 1].y, ring[i].y),
                    Math.max(ring[i - 1].x, ring[i].x),
                    Math.max(ring[i - 1].y, ring[i].y)
                });
            }
        }
        double[] flat = new double[4 * boxes.size()];
        for (int i = 0; i < boxes.size(); i++) {
            System.arraycopy(boxes.get(i), 0, flat, 4 * i, 4);
        }
        return flat;
    }

    /**
     * Points anywhere in the bounds and slightly off every edge, on both sides: across the middle
     * of the edge by 10⁻¹², 10⁻⁹ and 10⁻⁶ degrees, and the vertices themselves.
     */
    private static List<Coordinate> probes(Random random, Geometry polygon, int anywhere) {
        Envelope bounds = polygon.getEnvelopeInternal();
        List<Coordinate> probes = new ArrayList<>();
        for (int i = 0; i < anywhere; i++) {
            probes.add(new Coordinate(
                    bounds.getMinX() + random.nextDouble() * bounds.getWidth(),
                    bounds.getMinY() + random.nextDouble() * bounds.getHeight()));
        }
        for (Object line : LinearComponentExtracter.getLines(polygon)) {
            Coordinate[] ring = ((LineString) line).getCoordinates();
            for (int i = 1; i < ring.length; i++) {
                Coordinate a = ring[i - 1];
                Coordinate b = ring[i];
                probes.add(a);
                double length = Math.hypot(b.x - a.x, b.y - a.y);
                double normalX = -(b.y - a.y) / length;
                double normalY = (b.x - a.x) / length;
                for (double offset : new double[] {1e-12, 1e-9, 1e-6, -1e-12, -1e-9, -1e-6}) {
                    probes.add(new Coordinate((a.x + b.x) / 2 + offset * normalX, (a.y + b.y) / 2 + offset * normalY));
                }
            }
        }
        return probes;
    }

    @Test
    void where_the_grid_settles_a_point_it_agrees_with_jts_and_it_settles_most_points_of_a_large_polygon() {
        Random random = new Random(20261207);
        for (int n = 0; n < 20; n++) {
            Geometry polygon =
                    star(random, -170 + 340 * random.nextDouble(), -60 + 120 * random.nextDouble(), 500, n % 2 == 0);
            PreparedGeometry oracle = PreparedGeometryFactory.prepare(polygon);
            CellGrid grid = gridOf(polygon, oracle);
            assertThat(grid).isNotNull();
            int settled = 0;
            int anywhere = 2_000;
            List<Coordinate> probes = probes(random, polygon, anywhere);
            for (int i = 0; i < probes.size(); i++) {
                Coordinate probe = probes.get(i);
                int state = grid.state(probe.x, probe.y);
                if (state == CellGrid.UNKNOWN) {
                    continue;
                }
                settled += i < anywhere ? 1 : 0;
                boolean expected = oracle.covers(GeoJsonGeometries.FACTORY.createPoint(probe));
                assertThat(state == CellGrid.INSIDE)
                        .as("polygon %d at %s", n, probe)
                        .isEqualTo(expected);
            }
            assertThat(settled).as("points anywhere settled by the grid").isGreaterThan(anywhere / 2);
        }
    }

    @Test
    void a_polygon_with_a_grid_contains_exactly_what_jts_covers_near_every_edge_and_anywhere() {
        Random random = new Random(7);
        for (int n = 0; n < 20; n++) {
            int vertices = n < 10 ? CellGrid.MIN_EDGES + random.nextInt(40) : 500;
            Geometry polygon = star(
                    random, -170 + 340 * random.nextDouble(), -60 + 120 * random.nextDouble(), vertices, n % 3 == 0);
            PreparedGeometry oracle = PreparedGeometryFactory.prepare(polygon);
            PolygonShape shape = new PolygonShape(polygon);
            for (Coordinate probe : probes(random, polygon, 1_000)) {
                boolean expected = oracle.covers(GeoJsonGeometries.FACTORY.createPoint(probe));
                assertThat(shape.contains(probe.x, probe.y))
                        .as("polygon %d at %s", n, probe)
                        .isEqualTo(expected);
            }
        }
    }

    @Test
    void a_small_polygon_or_one_without_area_gets_no_grid() {
        CellGrid.Locator never = (lon, lat) -> {
            throw new AssertionError("no grid, nothing to locate");
        };
        assertThat(CellGrid.of(0, 0, 1, 1, new double[4 * (CellGrid.MIN_EDGES - 1)], never))
                .isNull();
        assertThat(CellGrid.of(0, 0, 0, 1, new double[4 * CellGrid.MIN_EDGES], never))
                .isNull();
    }

    @Test
    void a_point_off_the_grid_is_left_to_the_exact_test() {
        Random random = new Random(3);
        Geometry polygon = star(random, 10, 50, 64, false);
        Envelope bounds = polygon.getEnvelopeInternal();
        PreparedGeometry oracle = PreparedGeometryFactory.prepare(polygon);
        CellGrid grid = gridOf(polygon, oracle);
        assertThat(grid).isNotNull();
        assertThat(grid.settledCells()).isPositive();
        assertThat(grid.state(bounds.getMinX() - 1, 50)).isEqualTo(CellGrid.UNKNOWN);
        assertThat(grid.state(bounds.getMaxX() + 1, 50)).isEqualTo(CellGrid.UNKNOWN);
        assertThat(grid.state(Double.NaN, 50)).isEqualTo(CellGrid.UNKNOWN);
    }
}
