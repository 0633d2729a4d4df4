package io.sextant.zone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.sextant.shared.geo.GeoArbitraries;
import io.sextant.shared.geo.GeoJsonGeometries;
import io.sextant.shared.geo.GeoPoint;
import io.sextant.shared.geo.Geodesy;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.Size;
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.prep.PreparedGeometryFactory;
import org.locationtech.jts.operation.distance.IndexedFacetDistance;

class ZoneShapePropertiesTest {

    @Property
    void a_circle_contains_exactly_the_points_within_its_radius_by_haversine(
            @ForAll("points") GeoPoint center, @ForAll("radii") double radius, @ForAll("points") GeoPoint point) {
        CircleShape circle = new CircleShape(center, radius);
        double distance = Geodesy.distanceMeters(center, point);

        assertThat(circle.contains(point.lon(), point.lat())).isEqualTo(distance <= radius);
        assertThat(circle.boundaryDistanceMeters(point.lon(), point.lat())).isEqualTo(Math.abs(distance - radius));
        if (distance <= radius) {
            assertThat(circle.bounds()).anyMatch(box -> box.contains(point));
        }
    }

    @Property
    void a_circle_contains_the_points_just_inside_its_radius_anywhere_on_the_globe(
            @ForAll("points") GeoPoint center,
            @ForAll("radii") double radius,
            @ForAll @DoubleRange(min = 0, max = 360) double bearing) {
        GeoPoint inside = Geodesy.destination(center, bearing, radius * 0.999);
        CircleShape circle = new CircleShape(center, radius);

        assertThat(circle.contains(inside.lon(), inside.lat())).isTrue();
        assertThat(circle.bounds()).anyMatch(box -> box.contains(inside));
    }

    @Property(tries = 300)
    void the_nearest_segment_search_agrees_with_jts_indexed_facet_distance(
            @ForAll @Size(min = 4, max = 200) java.util.List<@DoubleRange(min = -5000, max = 5000) Double> values,
            @ForAll @DoubleRange(min = -6000, max = 6000) double x,
            @ForAll @DoubleRange(min = -6000, max = 6000) double y) {
        int segments = values.size() / 4;
        double[] xy = new double[4 * segments];
        for (int i = 0; i < xy.length; i++) {
            xy[i] = values.get(i);
        }
        Geometry[] lines = new Geometry[segments];
        for (int i = 0; i < segments; i++) {
            lines[i] = GeoJsonGeometries.FACTORY.createLineString(new Coordinate[] {
                new Coordinate(xy[4 * i], xy[4 * i + 1]), new Coordinate(xy[4 * i + 2], xy[4 * i + 3])
            });
        }
        Geometry oracle = GeoJsonGeometries.FACTORY.createGeometryCollection(lines);

        double expected =
                new IndexedFacetDistance(oracle).distance(GeoJsonGeometries.FACTORY.createPoint(new Coordinate(x, y)));

        assertThat(new PlanarSegments(xy).planarDistance(x, y)).isCloseTo(expected, within(1e-9));
    }

    @Property(tries = 300)
    void polygon_containment_agrees_with_jts_prepared_geometry_on_vertices_edges_and_anywhere(
            @ForAll @DoubleRange(min = -170, max = 170) double centerLon,
            @ForAll @DoubleRange(min = -80, max = 80) double centerLat,
            @ForAll @Size(min = 3, max = 60) java.util.List<@DoubleRange(min = 0.5, max = 1.0) Double> radii,
            @ForAll boolean withHole,
            @ForAll @Size(max = 30) java.util.List<@DoubleRange(min = -1.2, max = 1.2) Double> offsets) {
        Geometry star = Shapes.star(centerLon, centerLat, radii, withHole);
        PolygonShape shape = new PolygonShape(star);
        var oracle = PreparedGeometryFactory.prepare(star);

        java.util.List<Coordinate> probes = new java.util.ArrayList<>(java.util.List.of(star.getCoordinates()));
        Coordinate[] shell =
                ((org.locationtech.jts.geom.Polygon) star).getExteriorRing().getCoordinates();
        for (int i = 1; i < shell.length; i++) {
            probes.add(new Coordinate((shell[i - 1].x + shell[i].x) / 2, (shell[i - 1].y + shell[i].y) / 2));
        }
        for (int i = 0; i + 1 < offsets.size(); i += 2) {
            probes.add(new Coordinate(centerLon + offsets.get(i), centerLat + offsets.get(i + 1)));
        }
        for (Coordinate probe : probes) {
            boolean expected = oracle.covers(GeoJsonGeometries.FACTORY.createPoint(probe));
            assertThat(shape.contains(probe.x, probe.y)).as("at %s", probe).isEqualTo(expected);
        }
    }

    @Provide
    Arbitrary<GeoPoint> points() {
        return GeoArbitraries.points();
    }

    @Provide
    Arbitrary<Double> radii() {
        return Arbitraries.doubles().between(1, 200_000);
    }
}
