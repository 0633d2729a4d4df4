package io.sextant.zone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.sextant.platform.http.DomainProblems;
import io.sextant.shared.problem.DomainException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/** Each kind of bad zone is refused with a 400 that names where the fault is and what it is. */
class ZoneRulesTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final ZoneLimits LIMITS = new ZoneLimits(10_000, 1_000_000, 100_000, 10_000);
    private static final String SQUARE = "{\"type\":\"Polygon\",\"coordinates\":[[[0,0],[1,0],[1,1],[0,1],[0,0]]]}";
    private static final String LINE = "{\"type\":\"LineString\",\"coordinates\":[[0,0],[1,0]]}";

    static Stream<Arguments> invalidZones() {
        return Stream.of(
                invalid(
                        "an unclosed ring",
                        "{\"name\":\"z\",\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[[[0,0],[1,0],[1,1],[0,1]]]}}",
                        "geometry.coordinates[0]",
                        "is not closed: its first position [0.0, 0.0] and its last position [0.0, 1.0] differ"),
                invalid(
                        "a ring of three positions",
                        "{\"name\":\"z\",\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[[[0,0],[1,0],[0,0]]]}}",
                        "geometry.coordinates[0]",
                        "a linear ring needs at least 4 positions, has 3"),
                invalid(
                        "a self-intersecting ring (a bow tie)",
                        "{\"name\":\"z\",\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[[[0,0],[1,1],[1,0],[0,1],[0,0]]]}}",
                        "geometry.coordinates[0]",
                        "self-intersection at [0.5, 0.5]"),
                invalid(
                        "a longitude out of range",
                        "{\"name\":\"z\",\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[[[0,0],[1,0],[181,1],[0,1],[0,0]]]}}",
                        "geometry.coordinates[0][2]",
                        "longitude 181.0 is outside [-180, 180]"),
                invalid(
                        "a latitude out of range",
                        "{\"name\":\"z\",\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[[[0,0],[1,0],[1,1],[0,-91],[0,0]]]}}",
                        "geometry.coordinates[0][3]",
                        "latitude -91.0 is outside [-90, 90]"),
                invalid(
                        "an infinite coordinate",
                        "{\"name\":\"z\",\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[[[0,0],[1e400,0],[1,1],[0,1],[0,0]]]}}",
                        "geometry.coordinates[0][1]",
                        "longitude Infinity is not a finite number"),
                invalid(
                        "a position that is not two numbers",
                        "{\"name\":\"z\",\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[[[0,0],[1,\"0\"],[1,1],[0,1],[0,0]]]}}",
                        "geometry.coordinates[0][1]",
                        "must be a position [lon, lat] of numbers"),
                invalid(
                        "a hole outside its shell",
                        "{\"name\":\"z\",\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[[[0,0],[1,0],[1,1],[0,1],[0,0]],"
                                + "[[2,2],[3,2],[3,3],[2,3],[2,2]]]}}",
                        "geometry.coordinates[1]",
                        "hole lies outside its shell at [2.0, 2.0]"),
                invalid(
                        "a hole outside its shell in the second polygon of a MultiPolygon",
                        "{\"name\":\"z\",\"geometry\":{\"type\":\"MultiPolygon\",\"coordinates\":["
                                + "[[[0,0],[1,0],[1,1],[0,1],[0,0]]],"
                                + "[[[10,10],[11,10],[11,11],[10,11],[10,10]],[[20,20],[21,20],[21,21],[20,21],[20,20]]]]}}",
                        "geometry.coordinates[1][1]",
                        "hole lies outside its shell at [20.0, 20.0]"),
                invalid(
                        "a geometry that is not a polygon",
                        "{\"name\":\"z\",\"geometry\":{\"type\":\"Point\",\"coordinates\":[0,0]}}",
                        "geometry.type",
                        "must be Polygon or MultiPolygon (was 'Point')"),
                invalid(
                        "a polygon larger than the area limit",
                        "{\"name\":\"z\",\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[[[0,0],[20,0],[20,20],[0,20],[0,0]]]}}",
                        "geometry",
                        "more than the limit of 1000000 km²"),
                invalid(
                        "a circle of radius zero",
                        "{\"name\":\"z\",\"circle\":{\"center\":[10,50],\"radiusMeters\":0}}",
                        "circle.radiusMeters",
                        "must be more than 0 (was 0.0)"),
                invalid(
                        "a circle wider than the radius limit",
                        "{\"name\":\"z\",\"circle\":{\"center\":[10,50],\"radiusMeters\":100001}}",
                        "circle.radiusMeters",
                        "must be at most 100000 (was 100001.0)"),
                invalid(
                        "a circle with its center off the globe",
                        "{\"name\":\"z\",\"circle\":{\"center\":[10,95],\"radiusMeters\":10}}",
                        "circle.center",
                        "latitude 95.0 is outside [-90, 90]"),
                invalid(
                        "a circle without a radius",
                        "{\"name\":\"z\",\"circle\":{\"center\":[10,50]}}",
                        "circle.radiusMeters",
                        "is required"),
                invalid(
                        "a corridor of width zero",
                        "{\"name\":\"z\",\"corridor\":{\"line\":" + LINE + ",\"widthMeters\":0}}",
                        "corridor.widthMeters",
                        "must be more than 0"),
                invalid(
                        "a corridor wider than the limit",
                        "{\"name\":\"z\",\"corridor\":{\"line\":" + LINE + ",\"widthMeters\":10001}}",
                        "corridor.widthMeters",
                        "must be at most 10000"),
                invalid(
                        "a corridor line of one position",
                        "{\"name\":\"z\",\"corridor\":{\"line\":{\"type\":\"LineString\",\"coordinates\":[[0,0]]},\"widthMeters\":10}}",
                        "corridor.line.coordinates",
                        "a line needs at least 2 positions, has 1"),
                invalid(
                        "a corridor line of one repeated position",
                        "{\"name\":\"z\",\"corridor\":{\"line\":{\"type\":\"LineString\",\"coordinates\":[[3,4],[3,4],[3,4]]},"
                                + "\"widthMeters\":10}}",
                        "corridor.line.coordinates",
                        "all positions are the same point"),
                invalid(
                        "a corridor line with a bad position",
                        "{\"name\":\"z\",\"corridor\":{\"line\":{\"type\":\"LineString\",\"coordinates\":[[3,4],[190,4]]},"
                                + "\"widthMeters\":10}}",
                        "corridor.line.coordinates[1]",
                        "longitude 190.0 is outside [-180, 180]"),
                invalid(
                        "two shapes",
                        "{\"name\":\"z\",\"geometry\":" + SQUARE + ",\"circle\":{\"center\":[0,0],\"radiusMeters\":5}}",
                        "shape",
                        "give exactly one of geometry, circle or corridor (geometry and circle were given)"),
                invalid("no shape", "{\"name\":\"z\"}", "shape", "(none was given)"),
                invalid(
                        "an unknown day",
                        "{\"name\":\"z\",\"geometry\":" + SQUARE + ",\"schedule\":{\"timeZone\":\"Europe/Berlin\","
                                + "\"windows\":[{\"days\":[\"MON\",\"MOM\"],\"from\":\"08:00\",\"to\":\"18:00\"}]}}",
                        "schedule.windows[0].days[1]",
                        "'MOM' is not a day"),
                invalid(
                        "an unknown time zone",
                        "{\"name\":\"z\",\"geometry\":" + SQUARE
                                + ",\"schedule\":{\"timeZone\":\"Mars/Olympus_Mons\"}}",
                        "schedule.timeZone",
                        "'Mars/Olympus_Mons' is not an IANA time zone"),
                invalid(
                        "a window time that is no time of day",
                        "{\"name\":\"z\",\"geometry\":" + SQUARE + ",\"schedule\":{\"timeZone\":\"UTC\","
                                + "\"windows\":[{\"days\":[\"SUN\"],\"from\":\"08:00\",\"to\":\"18:00\"},"
                                + "{\"days\":[\"SAT\"],\"from\":\"25:00\",\"to\":\"18:00\"}]}}",
                        "schedule.windows[1].from",
                        "'25:00' is not a time of day HH:MM"),
                invalid(
                        "a window without days",
                        "{\"name\":\"z\",\"geometry\":" + SQUARE + ",\"schedule\":{\"timeZone\":\"UTC\","
                                + "\"windows\":[{\"days\":[],\"from\":\"08:00\",\"to\":\"18:00\"}]}}",
                        "schedule.windows[0].days",
                        "must be a non-empty array of days"),
                invalid(
                        "a validity that ends before it starts",
                        "{\"name\":\"z\",\"geometry\":" + SQUARE + ",\"schedule\":{\"timeZone\":\"UTC\","
                                + "\"validFrom\":\"2026-06-01T00:00:00Z\",\"validUntil\":\"2026-05-01T00:00:00Z\"}}",
                        "schedule.validUntil",
                        "must be after validFrom"),
                invalid(
                        "a margin over 1000 m",
                        "{\"name\":\"z\",\"geometry\":" + SQUARE + ",\"fence\":{\"marginMeters\":1001}}",
                        "fence.marginMeters",
                        "must be between 0 and 1000"),
                invalid(
                        "zero fixes",
                        "{\"name\":\"z\",\"geometry\":" + SQUARE + ",\"fence\":{\"minFixes\":0}}",
                        "fence.minFixes",
                        "must be between 1 and 100"),
                invalid(
                        "a minimum duration over an hour",
                        "{\"name\":\"z\",\"geometry\":" + SQUARE + ",\"fence\":{\"minDuration\":\"PT2H\"}}",
                        "fence.minDuration",
                        "must be between PT0S and PT1H"),
                invalid(
                        "a dwell under a second",
                        "{\"name\":\"z\",\"geometry\":" + SQUARE + ",\"fence\":{\"dwell\":\"PT0.5S\"}}",
                        "fence.dwell",
                        "must be between PT1S and P30D"),
                invalid(
                        "a dwell that is no duration",
                        "{\"name\":\"z\",\"geometry\":" + SQUARE + ",\"fence\":{\"dwell\":\"5 minutes\"}}",
                        "fence.dwell",
                        "'5 minutes' must be an ISO 8601 duration"),
                invalid(
                        "a speed limit over 2000 km/h",
                        "{\"name\":\"z\",\"geometry\":" + SQUARE + ",\"fence\":{\"speedLimitKmh\":2001}}",
                        "fence.speedLimitKmh",
                        "must be between 1 and 2000"),
                invalid(
                        "a misspelt fence setting",
                        "{\"name\":\"z\",\"geometry\":" + SQUARE + ",\"fence\":{\"marginMeter\":5}}",
                        "fence.marginMeter",
                        "is not a member here"),
                invalid("an empty name", "{\"name\":\"\",\"geometry\":" + SQUARE + "}", "name", "must be 1-200"),
                invalid(
                        "an upper-case tag",
                        "{\"name\":\"z\",\"tags\":[\"ok\",\"Depot\"],\"geometry\":" + SQUARE + "}",
                        "tags[1]",
                        "'Depot' is not a tag"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidZones")
    void an_invalid_zone_is_refused_naming_the_place_and_the_reason(
            String what, String body, String field, String reason) {
        List<Map<String, Object>> errors = errors(draft(body), LIMITS);

        assertThat(errors).as(what).anySatisfy(error -> {
            assertThat(error).containsEntry("field", field);
            assertThat((String) error.get("reason")).contains(reason);
        });
    }

    @Test
    void a_not_a_number_coordinate_is_refused_naming_the_vertex() {
        ObjectNode body = (ObjectNode) JSON.readTree("{\"name\":\"z\",\"geometry\":" + SQUARE + "}");
        var position = (tools.jackson.databind.node.ArrayNode)
                body.get("geometry").get("coordinates").get(0).get(2);
        position.set(1, JsonNodeFactory.instance.numberNode(Double.NaN));

        assertThat(errors(draft(body), LIMITS))
                .containsExactly(
                        Map.of("field", "geometry.coordinates[0][2]", "reason", "latitude NaN is not a finite number"));
    }

    @Test
    void a_geometry_with_more_vertices_than_the_limit_is_refused() {
        ZoneLimits tight = new ZoneLimits(8, 1_000_000, 100_000, 10_000);
        String twoSquares = "{\"name\":\"z\",\"geometry\":{\"type\":\"Polygon\",\"coordinates\":["
                + "[[0,0],[3,0],[3,3],[0,3],[0,0]],[[1,1],[2,1],[2,2],[1,2],[1,1]]]}}";

        assertThat(errors(draft(twoSquares), tight)).anySatisfy(error -> {
            assertThat(error).containsEntry("field", "geometry.coordinates[1]");
            assertThat((String) error.get("reason")).contains("more than the limit of 8 positions");
        });
    }

    @Test
    void every_fault_of_a_draft_is_reported_at_once() {
        String body = "{\"name\":\"\",\"tags\":[\"A\"],\"circle\":{\"center\":[0,0],\"radiusMeters\":-1},"
                + "\"fence\":{\"minFixes\":0,\"speedLimitKmh\":0}}";

        assertThat(errors(draft(body), LIMITS))
                .extracting(error -> error.get("field"))
                .containsExactlyInAnyOrder(
                        "name", "tags[0]", "circle.radiusMeters", "fence.minFixes", "fence.speedLimitKmh");
    }

    @Test
    void a_valid_zone_keeps_its_json_as_given_and_compiles_its_parts() {
        String body = "{\"name\":\"Depot\",\"tags\":[\"depot\"],\"attributes\":{\"site\":7},"
                + "\"corridor\":{\"line\":" + LINE + ",\"widthMeters\":50},"
                + "\"schedule\":{\"timeZone\":\"Europe/Berlin\",\"windows\":[{\"days\":[\"MON\"],\"from\":\"22:00\",\"to\":\"24:00\"}]},"
                + "\"fence\":{\"marginMeters\":25,\"minFixes\":2,\"dwell\":\"PT10M\"}}";

        ZoneContent content = ZoneRules.check(draft(body), LIMITS);

        assertThat(content.shape()).isInstanceOf(CorridorShape.class);
        assertThat(content.shapeJson().get("widthMeters").asInt()).isEqualTo(50);
        assertThat(content.schedule().windows().getFirst().crossesMidnight()).isTrue();
        assertThat(content.settings().marginMeters()).isEqualTo(25);
        assertThat(content.settings().minFixes()).isEqualTo(2);
        assertThat(content.settings().dwell()).hasMinutes(10);
        assertThat(content.bbox().west()).isLessThan(0);
    }

    private static ZoneDraft draft(String body) {
        return draft(JSON.readTree(body));
    }

    private static ZoneDraft draft(JsonNode body) {
        List<String> tags = new ArrayList<>();
        body.path("tags").forEach(tag -> tags.add(tag.asString()));
        return new ZoneDraft(
                body.hasNonNull("name") ? body.get("name").asString() : null,
                tags,
                body.has("attributes") ? JSON.convertValue(body.get("attributes"), Map.class) : Map.of(),
                body.get("geometry"),
                body.get("circle"),
                body.get("corridor"),
                body.get("schedule"),
                body.get("fence"));
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> errors(ZoneDraft draft, ZoneLimits limits) {
        DomainException refused = catchThrowableOfType(DomainException.class, () -> ZoneRules.check(draft, limits));
        assertThat(refused).as("refused").isNotNull();
        assertThat(DomainProblems.status(refused).value()).isEqualTo(400);
        return (List<Map<String, Object>>)
                DomainProblems.problem(refused).getProperties().get("errors");
    }

    private static Arguments invalid(String what, String body, String field, String reason) {
        return Arguments.of(what, body, field, reason);
    }
}
