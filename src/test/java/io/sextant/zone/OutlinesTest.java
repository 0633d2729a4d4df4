package io.sextant.zone;

import static org.assertj.core.api.Assertions.assertThat;

import io.sextant.shared.geo.GeoJsonGeometries;
import io.sextant.shared.geo.GeoPoint;
import io.sextant.shared.geo.Geodesy;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.locationtech.jts.algorithm.Orientation;
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.LineString;
import org.locationtech.jts.geom.Polygon;
import org.locationtech.jts.geom.prep.PreparedGeometry;
import org.locationtech.jts.geom.prep.PreparedGeometryFactory;

/**
 * The polygons drawn for circles and corridors (what GIS clients see of them) agree with the
 * shapes the fence tests: a point well inside the shape (by its own great-circle test) is inside the
 * drawing, a point well outside is outside, everywhere on the globe, across the antimeridian and
 * around the poles. "Well" is 3 % of the radius or half-width: the drawing's chords, and a
 * corridor's plane, are no closer than that.
 */
class OutlinesTest {

    private static final int SHAPES = 300;
    private static final int PROBES = 48;

    @Test
    void a_circle_drawing_holds_what_the_circle_holds_and_nothing_far_outside_it() {
        Random random = new Random(20261207);
        for (int n = 0; n < SHAPES; n++) {
            GeoPoint center = center(random, n);
            double radius = Math.exp(Math.log(10) + random.nextDouble() * (Math.log(100_000) - Math.log(10)));
            CircleShape circle = new CircleShape(center, radius);
            Geometry outline = circle.outline();
            checkWellFormed(outline, circle.toString());
            PreparedGeometry drawn = PreparedGeometryFactory.prepare(outline);
            for (int i = 0; i < PROBES; i++) {
                double bearing = random.nextDouble() * 360;
                GeoPoint in = Geodesy.destination(center, bearing, radius * 0.97 * random.nextDouble());
                GeoPoint out = Geodesy.destination(center, bearing, radius * (1.03 + random.nextDouble()));
                assertThat(drawn.covers(point(in)))
                        .as("%s holds %s", circle, in)
                        .isTrue();
                assertThat(drawn.covers(point(out)))
                        .as("%s does not hold %s", circle, out)
                        .isFalse();
            }
        }
    }

    @Test
    void a_corridor_drawing_holds_what_the_corridor_holds_and_nothing_far_outside_it() {
        Random random = new Random(7);
        for (int n = 0; n < SHAPES; n++) {
            // Lines up to ~40 km long away from the poles, where a corridor's plane is good.
            GeoPoint start = new GeoPoint(
                    n % 5 == 0 ? 179.9 + random.nextDouble() * 0.2 - 0.1 : random.nextDouble() * 360 - 180,
                    random.nextDouble() * 140 - 70);
            int vertices = 2 + random.nextInt(5);
            Coordinate[] points = new Coordinate[vertices];
            GeoPoint at = start;
            points[0] = new Coordinate(at.lon(), at.lat());
            for (int i = 1; i < vertices; i++) {
                at = Geodesy.destination(at, random.nextDouble() * 360, 200 + random.nextDouble() * 10_000);
                points[i] = new Coordinate(at.lon(), at.lat());
            }
            LineString line = GeoJsonGeometries.FACTORY.createLineString(points);
            double width = 10 + random.nextDouble() * 5_000;
            CorridorShape corridor = new CorridorShape(line, width);
            Geometry outline = corridor.outline();
            checkWellFormed(outline, "corridor " + line + " " + width);
            PreparedGeometry drawn = PreparedGeometryFactory.prepare(outline);
            int inside = 0;
            int outside = 0;
            for (int i = 0; i < PROBES * 4; i++) {
                Coordinate near = points[random.nextInt(vertices)];
                GeoPoint probe = Geodesy.destination(
                        new GeoPoint(near.x, near.y), random.nextDouble() * 360, random.nextDouble() * width * 1.5);
                double distance = corridor.distanceToLineMeters(probe.lon(), probe.lat());
                if (distance < width / 2 * 0.97) {
                    inside++;
                    assertThat(drawn.covers(point(probe)))
                            .as("corridor holds %s", probe)
                            .isTrue();
                } else if (distance > width / 2 * 1.03) {
                    outside++;
                    assertThat(drawn.covers(point(probe)))
                            .as("corridor does not hold %s", probe)
                            .isFalse();
                }
            }
            assertThat(inside).as("probes inside").isPositive();
            assertThat(outside).as("probes outside").isPositive();
        }
    }

    @Test
    void a_circle_across_the_antimeridian_is_drawn_in_two_halves_that_meet_there() {
        Geometry outline = new CircleShape(new GeoPoint(179.95, -17), 20_000).outline();
        assertThat(outline.getGeometryType()).isEqualTo("MultiPolygon");
        assertThat(outline.getNumGeometries()).isEqualTo(2);
        assertThat(outline.getEnvelopeInternal().getMinX()).isEqualTo(-180);
        assertThat(outline.getEnvelopeInternal().getMaxX()).isEqualTo(180);
    }

    @Test
    void a_circle_around_a_pole_is_drawn_as_a_cap_reaching_the_pole_at_every_longitude() {
        Geometry outline = new CircleShape(new GeoPoint(30, -89.8), 50_000).outline();
        assertThat(outline.getEnvelopeInternal().getMinY()).isEqualTo(-90);
        assertThat(outline.getEnvelopeInternal().getMinX()).isEqualTo(-180);
        assertThat(outline.getEnvelopeInternal().getMaxX()).isEqualTo(180);
        assertThat(outline.covers(point(new GeoPoint(-150, -89.9)))).isTrue();
    }

    /** Centers anywhere, with a share next to the antimeridian and next to each pole. */
    private static GeoPoint center(Random random, int n) {
        return switch (n % 6) {
            case 0 -> new GeoPoint(180 - random.nextDouble() * 0.5, random.nextDouble() * 160 - 80);
            case 1 -> new GeoPoint(-180 + random.nextDouble() * 0.5, random.nextDouble() * 160 - 80);
            case 2 -> new GeoPoint(random.nextDouble() * 360 - 180, 90 - random.nextDouble() * 0.8);
            case 3 -> new GeoPoint(random.nextDouble() * 360 - 180, -90 + random.nextDouble() * 0.8);
            default -> new GeoPoint(random.nextDouble() * 360 - 180, random.nextDouble() * 170 - 85);
        };
    }

    /** Valid, within [-180, 180] × [-90, 90], exterior rings counterclockwise (RFC 7946, 3.1.6). */
    private static void checkWellFormed(Geometry outline, String what) {
        assertThat(outline.isValid())
                .as("%s drawn as a valid polygon: %s", what, outline)
                .isTrue();
        assertThat(outline.getEnvelopeInternal().getMinX()).as(what).isGreaterThanOrEqualTo(-180);
        assertThat(outline.getEnvelopeInternal().getMaxX()).as(what).isLessThanOrEqualTo(180);
        assertThat(outline.getEnvelopeInternal().getMinY()).as(what).isGreaterThanOrEqualTo(-90);
        assertThat(outline.getEnvelopeInternal().getMaxY()).as(what).isLessThanOrEqualTo(90);
        for (int i = 0; i < outline.getNumGeometries(); i++) {
            Polygon polygon = (Polygon) outline.getGeometryN(i);
            assertThat(Orientation.isCCW(polygon.getExteriorRing().getCoordinateSequence()))
                    .as("%s: exterior ring counterclockwise", what)
                    .isTrue();
        }
    }

    private static org.locationtech.jts.geom.Point point(GeoPoint p) {
        return GeoJsonGeometries.FACTORY.createPoint(new Coordinate(p.lon(), p.lat()));
    }
}
