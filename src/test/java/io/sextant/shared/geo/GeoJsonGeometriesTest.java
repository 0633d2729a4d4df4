package io.sextant.shared.geo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import org.junit.jupiter.api.Test;
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.MultiPolygon;
import org.locationtech.jts.geom.Polygon;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;

class GeoJsonGeometriesTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String SQUARE = "[[0,0],[4,0],[4,4],[0,4],[0,0]]";
    private static final String HOLE = "[[1,1],[2,1],[2,2],[1,2],[1,1]]";

    private static JsonNode json(String text) {
        return JSON.readTree(text);
    }

    private static JsonNode polygon(String... rings) {
        return json("{\"type\":\"Polygon\",\"coordinates\":[" + String.join(",", rings) + "]}");
    }

    private static GeoJsonGeometries.Invalid refusal(JsonNode geometry, int maxVertices) {
        GeoJsonGeometries.Invalid invalid = catchThrowableOfType(
                GeoJsonGeometries.Invalid.class, () -> GeoJsonGeometries.polygonal(geometry, "geometry", maxVertices));
        assertThat(invalid).as("refused").isNotNull();
        return invalid;
    }

    private static GeoJsonGeometries.Invalid refusal(JsonNode geometry) {
        return refusal(geometry, 10_000);
    }

    @Test
    void a_polygon_with_a_hole_reads_in_longitude_latitude() {
        Geometry read = GeoJsonGeometries.polygonal(polygon(SQUARE, HOLE), "geometry", 10_000);

        assertThat(read).isInstanceOf(Polygon.class);
        assertThat(((Polygon) read).getNumInteriorRing()).isEqualTo(1);
        assertThat(read.getArea()).isEqualTo(15.0);
        assertThat(read.getSRID()).isEqualTo(4326);
    }

    @Test
    void a_multipolygon_reads_every_part() {
        Geometry read = GeoJsonGeometries.polygonal(
                json("{\"type\":\"MultiPolygon\",\"coordinates\":[[" + SQUARE
                        + "],[[[10,10],[11,10],[11,11],[10,11],[10,10]]]]}"),
                "geometry",
                10_000);

        assertThat(read).isInstanceOf(MultiPolygon.class);
        assertThat(read.getNumGeometries()).isEqualTo(2);
    }

    @Test
    void a_position_may_carry_an_altitude() {
        assertThat(GeoJsonGeometries.position(json("[8.5, 47.3, 410]"), "p")).isEqualTo(new Coordinate(8.5, 47.3));
    }

    @Test
    void a_missing_geometry_or_one_that_is_no_object_is_refused_at_its_member() {
        assertThat(refusal(null).field()).isEqualTo("geometry");
        GeoJsonGeometries.Invalid text = refusal(json("\"POLYGON((0 0, 1 0, 1 1, 0 0))\""));
        assertThat(text.field()).isEqualTo("geometry");
        assertThat(text.reason()).isEqualTo("must be a GeoJSON Polygon or MultiPolygon object");
    }

    @Test
    void another_geometry_type_is_refused_at_its_type() {
        GeoJsonGeometries.Invalid invalid = refusal(json("{\"type\":\"Point\",\"coordinates\":[0,0]}"));

        assertThat(invalid.field()).isEqualTo("geometry.type");
        assertThat(invalid.reason()).isEqualTo("must be Polygon or MultiPolygon (was 'Point')");
    }

    @Test
    void a_position_out_of_range_is_refused_naming_the_vertex() {
        GeoJsonGeometries.Invalid invalid = refusal(polygon("[[0,0],[4,0],[4,4],[0,91],[0,0]]"));

        assertThat(invalid.field()).isEqualTo("geometry.coordinates[0][3]");
        assertThat(invalid.reason()).isEqualTo("latitude 91.0 is outside [-90, 90]");
        assertThat(invalid.getMessage()).isEqualTo("geometry.coordinates[0][3]: latitude 91.0 is outside [-90, 90]");
    }

    @Test
    void a_longitude_that_is_not_a_finite_number_is_refused() {
        JsonNode geometry = polygon(SQUARE);
        ((ArrayNode) geometry.get("coordinates").get(0).get(1)).set(0, JsonNodeFactory.instance.numberNode(Double.NaN));

        GeoJsonGeometries.Invalid invalid = refusal(geometry);

        assertThat(invalid.field()).isEqualTo("geometry.coordinates[0][1]");
        assertThat(invalid.reason()).isEqualTo("longitude NaN is not a finite number");
    }

    @Test
    void a_position_of_strings_or_of_four_numbers_is_refused() {
        assertThat(refusal(polygon("[[0,0],[\"4\",0],[4,4],[0,4],[0,0]]")).reason())
                .isEqualTo("must be a position [lon, lat] of numbers (found '4')");
        GeoJsonGeometries.Invalid four = refusal(polygon("[[0,0],[4,0,0,0],[4,4],[0,4],[0,0]]"));
        assertThat(four.field()).isEqualTo("geometry.coordinates[0][1]");
        assertThat(four.reason()).isEqualTo("must be a position [lon, lat]");
    }

    @Test
    void a_ring_that_is_not_closed_is_refused_with_both_ends() {
        GeoJsonGeometries.Invalid invalid = refusal(polygon(SQUARE, "[[1,1],[2,1],[2,2],[1,2],[1,1.5]]"));

        assertThat(invalid.field()).isEqualTo("geometry.coordinates[1]");
        assertThat(invalid.reason())
                .isEqualTo("is not closed: its first position [1.0, 1.0] and its last position [1.0, 1.5] differ");
    }

    @Test
    void a_ring_of_fewer_than_four_positions_is_refused() {
        GeoJsonGeometries.Invalid invalid = refusal(polygon("[[0,0],[1,0],[0,0]]"));

        assertThat(invalid.field()).isEqualTo("geometry.coordinates[0]");
        assertThat(invalid.reason()).isEqualTo("a linear ring needs at least 4 positions, has 3");
    }

    @Test
    void a_polygon_without_rings_and_an_empty_multipolygon_are_refused() {
        assertThat(refusal(json("{\"type\":\"Polygon\",\"coordinates\":[]}")).field())
                .isEqualTo("geometry.coordinates");
        GeoJsonGeometries.Invalid empty = refusal(json("{\"type\":\"MultiPolygon\",\"coordinates\":[]}"));
        assertThat(empty.field()).isEqualTo("geometry.coordinates");
        assertThat(empty.reason()).isEqualTo("must hold at least one polygon");
    }

    @Test
    void the_vertex_limit_counts_every_ring_and_names_the_ring_that_passes_it() {
        GeoJsonGeometries.Invalid invalid = refusal(polygon(SQUARE, HOLE), 8);

        assertThat(invalid.field()).isEqualTo("geometry.coordinates[1]");
        assertThat(invalid.reason()).isEqualTo("the geometry has more than the limit of 8 positions");
    }

    @Test
    void a_self_intersecting_polygon_is_refused_where_it_crosses_itself() {
        JsonNode bowTie = polygon("[[0,0],[1,1],[1,0],[0,1],[0,0]]");

        GeoJsonGeometries.Invalid invalid = refusal(bowTie);

        assertThat(invalid.field()).isEqualTo("geometry.coordinates[0]");
        assertThat(invalid.reason()).isEqualTo("self-intersection at [0.5, 0.5]");
        assertThat(GeoJsonGeometries.polygonal(bowTie, "geometry", 10_000, false))
                .as("read without the topology check, as for geometry checked when stored")
                .isInstanceOf(Polygon.class);
    }

    @Test
    void a_hole_outside_its_shell_is_refused_at_the_hole_in_its_part_of_a_multipolygon() {
        JsonNode geometry = json("{\"type\":\"MultiPolygon\",\"coordinates\":[[" + SQUARE + "],["
                + "[[10,10],[14,10],[14,14],[10,14],[10,10]]" + ",[[30,30],[31,30],[31,31],[30,31],[30,30]]]]}");

        GeoJsonGeometries.Invalid invalid = refusal(geometry);

        assertThat(invalid.field()).isEqualTo("geometry.coordinates[1][1]");
        assertThat(invalid.reason()).startsWith("hole lies outside its shell");
    }

    @Test
    void a_polygon_or_multipolygon_written_as_geojson_reads_back_as_the_same_geometry_to_a_centimetre() {
        Geometry holed = GeoJsonGeometries.polygonal(polygon(SQUARE, HOLE), "geometry", 100);
        Geometry multi = GeoJsonGeometries.polygonal(
                json("{\"type\":\"MultiPolygon\",\"coordinates\":[[" + SQUARE + "],[[[10,10],[11.123456789,10],[11,11],"
                        + "[10,10]]]]}"),
                "geometry",
                100);
        for (Geometry geometry : new Geometry[] {holed, multi}) {
            JsonNode written = JSON.valueToTree(GeoJsonGeometries.toJson(geometry));
            Geometry read = GeoJsonGeometries.polygonal(written, "geometry", 100);
            assertThat(read.getGeometryType()).isEqualTo(geometry.getGeometryType());
            assertThat(read.equalsExact(geometry, 1e-7))
                    .as("%s read back as %s", geometry, read)
                    .isTrue();
        }
        assertThat(JSON.valueToTree(GeoJsonGeometries.toJson(multi)).toString()).contains("11.1234568");
        assertThat(catchThrowableOfType(
                        IllegalArgumentException.class,
                        () -> GeoJsonGeometries.toJson(GeoJsonGeometries.FACTORY.createPoint(new Coordinate(1, 2)))))
                .isNotNull();
    }
}
