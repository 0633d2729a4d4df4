package io.sextant.tracking.live;

import static org.assertj.core.api.Assertions.assertThat;

import io.sextant.shared.geo.BoundingBox;
import io.sextant.shared.geo.GeoArbitraries;
import io.sextant.shared.geo.GeoPoint;
import io.sextant.shared.geo.Geodesy;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.IntStream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.IntRange;
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.GeometryFactory;
import org.locationtech.jts.geom.LinearRing;
import org.locationtech.jts.geom.Polygon;

/**
 * Every query of the index answers exactly what a scan of all entries answers, on data and queries that favour the
 * antimeridian, the poles, crowds deeper than the quadtree splits, boundaries, and filters that reject most entries.
 */
class LiveIndexEquivalenceTest {

    private static final GeometryFactory GEOMETRIES = new GeometryFactory();

    @Property(tries = 400)
    void a_box_query_finds_what_a_scan_finds(
            @ForAll("scenes") Scene scene,
            @ForAll("boxes") BoxSpec spec,
            @ForAll("moduli") int modulus,
            @ForAll("limits") int limit) {
        BoundingBox box = spec.resolve(scene);
        Predicate<Integer> filter = payload -> payload % modulus == 0;

        List<LivePosition<Integer>> found = scene.index().withinBox(box, filter, limit);

        Set<Integer> expected = new HashSet<>();
        for (int entry = 0; entry < scene.size(); entry++) {
            if (box.contains(scene.position(entry)) && filter.test(entry)) {
                expected.add(entry);
            }
        }
        assertMatchesUpToLimit(scene, found, expected, limit);
    }

    @Property(tries = 400)
    void a_radius_query_finds_what_a_scan_finds_nearest_first(
            @ForAll("scenes") Scene scene,
            @ForAll("centers") CenterSpec centerSpec,
            @ForAll("radii") RadiusSpec radiusSpec,
            @ForAll("moduli") int modulus,
            @ForAll("limits") int limit) {
        GeoPoint center = centerSpec.resolve(scene);
        double radius = radiusSpec.resolve(scene, center);
        Predicate<Integer> filter = payload -> payload % modulus == 0;

        List<NearbyPosition<Integer>> found = scene.index().withinRadius(center, radius, filter, limit);

        assertNearestMatch(scene, center, found, scan(scene, center, radius, filter), limit);
    }

    @Property(tries = 400)
    void the_k_nearest_are_those_a_scan_finds(
            @ForAll("scenes") Scene scene,
            @ForAll("centers") CenterSpec centerSpec,
            @ForAll("radii") RadiusSpec radiusSpec,
            @ForAll boolean unbounded,
            @ForAll("moduli") int modulus,
            @ForAll @IntRange(min = 0, max = 1_500) int k) {
        GeoPoint center = centerSpec.resolve(scene);
        double maxMeters = unbounded ? Double.POSITIVE_INFINITY : radiusSpec.resolve(scene, center);
        Predicate<Integer> filter = payload -> payload % modulus == 0;

        List<NearbyPosition<Integer>> found = scene.index().nearest(center, k, maxMeters, filter);

        assertNearestMatch(scene, center, found, scan(scene, center, maxMeters, filter), k);
    }

    @Property(tries = 300)
    void an_area_query_finds_what_a_scan_finds_boundaries_included(
            @ForAll("scenes") Scene plainScene,
            @ForAll("areas") Geometry area,
            @ForAll("moduli") int modulus,
            @ForAll("limits") int limit) {
        // Put entries on every vertex and on the middle of every edge, where inside/outside is decided.
        Scene scene = plainScene.with(verticesAndMidpoints(area));
        Predicate<Integer> filter = payload -> payload % modulus == 0;

        List<LivePosition<Integer>> found = scene.index().withinGeometry(area, filter, limit);

        Set<Integer> expected = new HashSet<>();
        for (int entry = 0; entry < scene.size(); entry++) {
            GeoPoint p = scene.position(entry);
            boolean covered = area.covers(GEOMETRIES.createPoint(new Coordinate(p.lon(), p.lat())))
                    || (Math.abs(p.lon()) == 180
                            && area.covers(GEOMETRIES.createPoint(new Coordinate(-p.lon(), p.lat()))));
            if (covered && filter.test(entry)) {
                expected.add(entry);
            }
        }
        assertMatchesUpToLimit(scene, found, expected, limit);
    }

    private record Scanned(int entry, double distance) {}

    private static List<Scanned> scan(Scene scene, GeoPoint center, double maxMeters, Predicate<Integer> filter) {
        return IntStream.range(0, scene.size())
                .mapToObj(entry -> new Scanned(
                        entry,
                        Geodesy.distanceMeters(
                                center.lon(),
                                center.lat(),
                                scene.position(entry).lon(),
                                scene.position(entry).lat())))
                .filter(s -> s.distance() <= maxMeters && filter.test(s.entry()))
                .sorted(Comparator.comparingDouble(Scanned::distance))
                .toList();
    }

    private static void assertMatchesUpToLimit(
            Scene scene, List<LivePosition<Integer>> found, Set<Integer> expected, int limit) {
        List<Integer> entries = new ArrayList<>();
        for (LivePosition<Integer> position : found) {
            int entry = Scene.entryOf(position.id());
            assertThat(entry).isNotNegative();
            assertThat(position.payload()).isEqualTo(entry);
            assertThat(new GeoPoint(position.lon(), position.lat())).isEqualTo(scene.position(entry));
            entries.add(entry);
        }
        assertThat(entries).doesNotHaveDuplicates();
        if (expected.size() <= limit) {
            assertThat(entries).containsExactlyInAnyOrderElementsOf(expected);
        } else {
            assertThat(entries).hasSize(limit);
            assertThat(expected).containsAll(entries);
        }
    }

    private static void assertNearestMatch(
            Scene scene, GeoPoint center, List<NearbyPosition<Integer>> found, List<Scanned> scanned, int k) {
        List<Integer> entries = new ArrayList<>();
        for (NearbyPosition<Integer> position : found) {
            int entry = Scene.entryOf(position.id());
            assertThat(entry).isNotNegative();
            assertThat(position.payload()).isEqualTo(entry);
            GeoPoint at = scene.position(entry);
            assertThat(new GeoPoint(position.lon(), position.lat())).isEqualTo(at);
            assertThat(position.distanceMeters())
                    .isEqualTo(Geodesy.distanceMeters(center.lon(), center.lat(), at.lon(), at.lat()));
            entries.add(entry);
        }
        assertThat(entries).doesNotHaveDuplicates();
        List<Double> expectedDistances =
                scanned.stream().limit(k).map(Scanned::distance).toList();
        assertThat(found.stream().map(NearbyPosition::distanceMeters).toList())
                .containsExactlyElementsOf(expectedDistances);
        // Ties at the k-th distance may be broken either way; everything strictly nearer must be there.
        double kth = expectedDistances.isEmpty() ? 0 : expectedDistances.getLast();
        List<Integer> strictlyNearer = scanned.stream()
                .filter(s -> s.distance() < kth || scanned.size() <= k)
                .map(Scanned::entry)
                .toList();
        assertThat(entries).containsAll(strictlyNearer);
    }

    private static List<GeoPoint> verticesAndMidpoints(Geometry area) {
        List<GeoPoint> points = new ArrayList<>();
        Coordinate[] coordinates = area.getCoordinates();
        for (int i = 0; i < coordinates.length; i++) {
            points.add(new GeoPoint(coordinates[i].x, coordinates[i].y));
            if (i + 1 < coordinates.length) {
                points.add(new GeoPoint(
                        (coordinates[i].x + coordinates[i + 1].x) / 2, (coordinates[i].y + coordinates[i + 1].y) / 2));
            }
        }
        return points;
    }

    // --- Generators ---

    @Provide
    Arbitrary<Scene> scenes() {
        return Scene.scenes();
    }

    /** Filters keep payloads divisible by the modulus: all of them, many, or only a few percent. */
    @Provide
    Arbitrary<Integer> moduli() {
        return Arbitraries.frequencyOf(
                Tuple.of(4, Arbitraries.just(1)),
                Tuple.of(3, Arbitraries.integers().between(2, 5)),
                Tuple.of(3, Arbitraries.integers().between(6, 60)));
    }

    @Provide
    Arbitrary<Integer> limits() {
        return Arbitraries.oneOf(
                Arbitraries.just(Integer.MAX_VALUE), Arbitraries.integers().between(0, 40));
    }

    /** A query center anywhere, or on or next to an entry (where the data is). */
    record CenterSpec(GeoPoint anywhere, int entry, double nudgeMeters, double bearing, boolean onData) {
        GeoPoint resolve(Scene scene) {
            if (!onData || scene.size() == 0) {
                return anywhere;
            }
            GeoPoint base = scene.position(Math.floorMod(entry, scene.size()));
            return nudgeMeters == 0 ? base : Geodesy.destination(base, bearing, nudgeMeters);
        }
    }

    @Provide
    Arbitrary<CenterSpec> centers() {
        return Combinators.combine(
                        GeoArbitraries.points(),
                        Arbitraries.integers(),
                        Arbitraries.of(0.0, 1.0, 500.0, 50_000.0),
                        Arbitraries.doubles().between(0, 360).ofScale(6),
                        Arbitraries.of(true, false))
                .as(CenterSpec::new);
    }

    /** A radius of any size, or exactly the distance to an entry, which must then be included. */
    record RadiusSpec(double meters, int entry, boolean toEntry) {
        double resolve(Scene scene, GeoPoint center) {
            if (!toEntry || scene.size() == 0) {
                return meters;
            }
            GeoPoint at = scene.position(Math.floorMod(entry, scene.size()));
            return Geodesy.distanceMeters(center.lon(), center.lat(), at.lon(), at.lat());
        }
    }

    @Provide
    Arbitrary<RadiusSpec> radii() {
        return Combinators.combine(GeoArbitraries.radiiMeters(), Arbitraries.integers(), Arbitraries.of(true, false))
                .as(RadiusSpec::new);
    }

    /**
     * A box from free edges (crossing the antimeridian whenever west > east), around a circle (so near a pole it
     * spans all longitudes) centred anywhere or on an entry, or with its edges exactly on entries.
     */
    record BoxSpec(int kind, GeoPoint a, GeoPoint b, double radius, int entryA, int entryB) {
        BoundingBox resolve(Scene scene) {
            boolean onData = scene.size() > 0;
            GeoPoint first = onData && kind >= 2 ? scene.position(Math.floorMod(entryA, scene.size())) : a;
            GeoPoint second = onData && kind == 3 ? scene.position(Math.floorMod(entryB, scene.size())) : b;
            if (kind == 1 || kind == 2) {
                return BoundingBox.around(first, radius);
            }
            return new BoundingBox(
                    first.lon(),
                    Math.min(first.lat(), second.lat()),
                    second.lon(),
                    Math.max(first.lat(), second.lat()));
        }
    }

    @Provide
    Arbitrary<BoxSpec> boxes() {
        return Combinators.combine(
                        Arbitraries.integers().between(0, 3),
                        GeoArbitraries.points(),
                        GeoArbitraries.points(),
                        GeoArbitraries.radiiMeters(),
                        Arbitraries.integers(),
                        Arbitraries.integers())
                .as(BoxSpec::new);
    }

    /**
     * Polygons with holes: axis-aligned rings (so midpoints lie exactly on edges), star-shaped rings, pairs of disjoint stars,
     * and a rectangle split at the antimeridian.
     */
    @Provide
    Arbitrary<Geometry> areas() {
        Arbitrary<Geometry> rectangles = Combinators.combine(
                        GeoArbitraries.points(),
                        GeoArbitraries.points(),
                        Arbitraries.doubles().between(0.1, 0.4).ofScale(6))
                .as((a, b, inset) -> rectangleWithHole(a, b, inset));
        Arbitrary<Geometry> stars = Combinators.combine(
                        Arbitraries.doubles().between(-170, 170).ofScale(6),
                        Arbitraries.doubles().between(-80, 80).ofScale(6),
                        Arbitraries.doubles().between(1e-4, 10).ofScale(6),
                        Arbitraries.longs())
                .as((lon, lat, size, seed) -> starWithHole(lon, lat, size, new Random(seed)));
        Arbitrary<Geometry> pairs = Combinators.combine(
                        Arbitraries.doubles().between(-170, 170).ofScale(6),
                        Arbitraries.doubles().between(-80, 80).ofScale(6),
                        Arbitraries.doubles().between(1e-4, 10).ofScale(6),
                        Arbitraries.longs())
                .as((lon, lat, size, seed) -> {
                    // Centers 2.5 sizes apart keep the two stars (each within one size of its center) disjoint.
                    Random random = new Random(seed);
                    double otherLon = lon > 0 ? lon - 2.5 * size : lon + 2.5 * size;
                    return GEOMETRIES.createMultiPolygon(new Polygon[] {
                        starWithHole(lon, lat, size, random), starWithHole(otherLon, lat, size, random)
                    });
                });
        // Either one rectangle split at the antimeridian, or two parts meeting it at different latitudes.
        Arbitrary<Geometry> acrossAntimeridian = Combinators.combine(
                        Arbitraries.doubles().between(170, 179.999).ofScale(6),
                        Arbitraries.doubles().between(-179.999, -170).ofScale(6),
                        GeoArbitraries.latitudes().list().ofSize(4),
                        Arbitraries.of(true, false))
                .as((west, east, lats, split) -> GEOMETRIES.createMultiPolygon(new Polygon[] {
                    latitudeBand(west, 180, lats.get(0), lats.get(1)),
                    split
                            ? latitudeBand(-180, east, lats.get(0), lats.get(1))
                            : latitudeBand(-180, east, lats.get(2), lats.get(3))
                }));
        return Arbitraries.oneOf(rectangles, stars, pairs, acrossAntimeridian);
    }

    /** A rectangle between two latitudes in either order, at least a few centimetres tall. */
    private static Polygon latitudeBand(double west, double east, double lat1, double lat2) {
        double south = Math.min(lat1, lat2);
        double north = Math.max(lat1, lat2);
        if (north - south < 1e-6) {
            north = Math.min(90, south + 1);
            south = north - 1;
        }
        return rectangle(west, south, east, north);
    }

    private static Polygon rectangle(double west, double south, double east, double north) {
        return GEOMETRIES.createPolygon(new Coordinate[] {
            new Coordinate(west, south),
            new Coordinate(east, south),
            new Coordinate(east, north),
            new Coordinate(west, north),
            new Coordinate(west, south)
        });
    }

    private static Geometry rectangleWithHole(GeoPoint a, GeoPoint b, double inset) {
        double west = Math.min(a.lon(), b.lon());
        double east = Math.max(a.lon(), b.lon());
        double south = Math.min(a.lat(), b.lat());
        double north = Math.max(a.lat(), b.lat());
        if (east - west < 1e-6 || north - south < 1e-6) {
            east = Math.min(180, west + 1);
            west = east - 1;
            north = Math.min(90, south + 1);
            south = north - 1;
        }
        double width = east - west;
        double height = north - south;
        Polygon shell = rectangle(west, south, east, north);
        Polygon hole =
                rectangle(west + inset * width, south + inset * height, east - inset * width, north - inset * height);
        return GEOMETRIES.createPolygon(shell.getExteriorRing(), new LinearRing[] {hole.getExteriorRing()});
    }

    /** Vertices at jittered, evenly spaced angles, so the hole (at most half the shell's least radius) stays inside. */
    private static Polygon starWithHole(double lon, double lat, double size, Random random) {
        int vertices = 5 + random.nextInt(8);
        Coordinate[] shell = new Coordinate[vertices + 1];
        Coordinate[] hole = new Coordinate[vertices + 1];
        for (int i = 0; i < vertices; i++) {
            double angle = 2 * Math.PI * (i + (random.nextDouble() - 0.5) / 2) / vertices;
            double shellRadius = size * (0.5 + random.nextDouble() / 2);
            double holeRadius = size * (0.05 + 0.2 * random.nextDouble());
            shell[i] = new Coordinate(lon + shellRadius * Math.cos(angle), lat + shellRadius * Math.sin(angle));
            hole[i] = new Coordinate(lon + holeRadius * Math.cos(angle), lat + holeRadius * Math.sin(angle));
        }
        shell[vertices] = shell[0];
        hole[vertices] = hole[0];
        // A hole ring runs the other way round; JTS does not insist, but valid input should look like real input.
        LinearRing holeRing = GEOMETRIES.createLinearRing(hole);
        return GEOMETRIES.createPolygon(GEOMETRIES.createLinearRing(shell), new LinearRing[] {holeRing.reverse()});
    }
}
