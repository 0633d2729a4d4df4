package io.sextant.tracking.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.sextant.tracking.PositionReport;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class OsmAndDecoderTest {

    private static final Instant RECEIVED = Instant.parse("2026-01-02T03:04:05Z");

    private static PositionReport report(Decoded decoded) {
        assertThat(decoded).isInstanceOf(Decoded.Report.class);
        return ((Decoded.Report) decoded).report();
    }

    private static String unusable(Decoded decoded) {
        assertThat(decoded).isInstanceOf(Decoded.Unusable.class);
        return ((Decoded.Unusable) decoded).reason();
    }

    private static Decoded query(String query) {
        return OsmAndDecoder.decodeParameters(ProtocolFixtures.parameters(query), RECEIVED);
    }

    private static Decoded json(String json) {
        return OsmAndDecoder.decodeJson(json.getBytes(StandardCharsets.UTF_8), RECEIVED);
    }

    static List<String> capturedQueries() {
        return ProtocolFixtures.requests("osmand-query.txt");
    }

    @ParameterizedTest
    @MethodSource("capturedQueries")
    void every_captured_request_decodes_to_a_position_of_its_device(String request) {
        PositionReport report = report(query(request));

        assertThat(report.externalId()).isNotBlank();
        assertThat(report.lat()).isNotNull();
        assertThat(report.lon()).isNotNull();
        assertThat(report.eventTime()).isNotNull();
        assertThat(report.problem()).isNull();
    }

    @Test
    void a_traccar_client_request_becomes_a_position_of_the_device_named_by_its_id() {
        PositionReport report = report(query(ProtocolFixtures.text("osmand-traccar-client.txt")));

        assertThat(report.externalId()).isEqualTo("pixel-7");
        assertThat(report.assetId()).isNull();
        assertThat(report.eventTime()).isEqualTo(Instant.ofEpochSecond(1_700_000_000));
        assertThat(report.lat()).isEqualTo(48.856826);
        assertThat(report.lon()).isEqualTo(2.292713);
        assertThat(report.heading()).isEqualTo(90.0);
        assertThat(report.altitude()).isEqualTo(35.0);
        assertThat(report.accuracy()).isEqualTo(8.0);
        assertThat(report.attributes())
                .containsOnly(java.util.Map.entry("batt", 87.0), java.util.Map.entry("charge", true));
    }

    @Test
    void speed_in_knots_is_stored_in_meters_per_second() {
        PositionReport report = report(query(ProtocolFixtures.text("osmand-traccar-client.txt")));

        assertThat(report.speed()).isCloseTo(10 * 0.514444, within(1e-5));
    }

    @Test
    void a_form_body_names_the_device_by_deviceid_and_keeps_text_that_only_looks_numeric() {
        PositionReport report = report(query(ProtocolFixtures.text("osmand-form.txt")));

        assertThat(report.externalId()).isEqualTo("353861053849681");
        assertThat(report.eventTime()).isEqualTo(Instant.parse("2014-06-04T09:10:11Z"));
        assertThat(report.altitude()).isEqualTo(384.7);
        assertThat(report.speed()).isEqualTo(0.0);
        assertThat(report.attributes())
                .containsEntry("hdop", 1.2)
                .containsEntry("driverUniqueId", "007")
                .containsEntry("valid", 1L);
    }

    @Test
    void a_timestamp_may_be_epoch_seconds_epoch_milliseconds_or_iso_8601() {
        assertThat(report(query("id=a&lat=1&lon=2&timestamp=1377177267")).eventTime())
                .isEqualTo(Instant.ofEpochSecond(1_377_177_267));
        assertThat(report(query("id=a&lat=1&lon=2&timestamp=1442068686579")).eventTime())
                .isEqualTo(Instant.ofEpochMilli(1_442_068_686_579L));
        assertThat(report(query("id=a&lat=1&lon=2&timestamp=2016-01-27T18%3A55%3A47Z"))
                        .eventTime())
                .isEqualTo(Instant.parse("2016-01-27T18:55:47Z"));
        assertThat(report(query("id=a&lat=1&lon=2&timestamp=2016-01-27T20%3A55%3A47.250%2B02%3A00"))
                        .eventTime())
                .isEqualTo(Instant.parse("2016-01-27T18:55:47.250Z"));
    }

    @Test
    void a_position_without_a_timestamp_is_from_when_it_was_received() {
        assertThat(report(query("id=a&lat=1&lon=2")).eventTime()).isEqualTo(RECEIVED);
    }

    @Test
    void location_may_carry_latitude_and_longitude_together() {
        PositionReport report = report(query("id=a&timestamp=1377177267&location=60.5,30.25"));

        assertThat(report.lat()).isEqualTo(60.5);
        assertThat(report.lon()).isEqualTo(30.25);
    }

    @Test
    void heading_is_read_when_there_is_no_bearing() {
        assertThat(report(query("deviceid=a&lat=1&lon=2&heading=181.5")).heading())
                .isEqualTo(181.5);
        assertThat(report(query("id=a&lat=1&lon=2&bearing=10&heading=20")).heading())
                .isEqualTo(10.0);
    }

    @Test
    void other_parameters_become_attributes_as_numbers_booleans_or_text() {
        PositionReport report = report(
                query(
                        "id=a&lat=1&lon=2&ignition=true&rpm=933&fuel=24.5&short_name=lnY&cell=257,02,16,2224&cell=257,02,16,2223"));

        assertThat(report.attributes())
                .containsEntry("ignition", true)
                .containsEntry("rpm", 933L)
                .containsEntry("fuel", 24.5)
                .containsEntry("short_name", "lnY")
                .containsEntry("cell", List.of("257,02,16,2224", "257,02,16,2223"))
                .doesNotContainKeys("id", "lat", "lon");
    }

    @Test
    void an_empty_id_leaves_the_device_to_deviceid() {
        assertThat(report(query("id=&deviceid=353861053849681&lat=1&lon=2")).externalId())
                .isEqualTo("353861053849681");
    }

    @Test
    void a_request_without_an_id_is_unusable() {
        assertThat(unusable(query("lat=60.0&lon=30.0&timestamp=1377177267"))).startsWith("id is required");
        assertThat(unusable(query("id=&lat=60.0&lon=30.0"))).startsWith("id is required");
    }

    @Test
    void a_request_without_coordinates_is_unusable() {
        assertThat(unusable(query("id=123456&timestamp=1377177267&cell=257,02,16,2224")))
                .isEqualTo("lat and lon are required");
        assertThat(unusable(query("id=123456&lat=60.0"))).isEqualTo("lat and lon are required");
        assertThat(unusable(query("id=123456&location=60.0"))).isEqualTo("location '60.0' is not <lat>,<lon>");
    }

    @Test
    void numbers_that_are_not_decimal_numbers_are_unusable() {
        assertThat(unusable(query("id=a&lat=abc&lon=2"))).isEqualTo("lat 'abc' is not a number");
        assertThat(unusable(query("id=a&lat=NaN&lon=2"))).isEqualTo("lat 'NaN' is not a number");
        assertThat(unusable(query("id=a&lat=1&lon=0x1p3"))).isEqualTo("lon '0x1p3' is not a number");
        assertThat(unusable(query("id=a&lat=1&lon=2&speed=fast"))).isEqualTo("speed 'fast' is not a number");
    }

    @Test
    void a_timestamp_in_no_known_form_is_unusable() {
        assertThat(unusable(query("id=a&lat=1&lon=2&timestamp=yesterday")))
                .isEqualTo("timestamp 'yesterday' is neither epoch seconds, epoch milliseconds nor an ISO 8601 time");
    }

    @Test
    void a_traccar_client_json_body_becomes_a_position_in_its_own_units() {
        PositionReport report = report(OsmAndDecoder.decodeJson(ProtocolFixtures.bytes("osmand-json.json"), RECEIVED));

        assertThat(report.externalId()).isEqualTo("8737767034");
        assertThat(report.eventTime()).isEqualTo(Instant.parse("2023-11-14T22:13:20.444Z"));
        assertThat(report.lat()).isEqualTo(-6.1148096);
        assertThat(report.lon()).isEqualTo(106.6837015);
        assertThat(report.accuracy()).isEqualTo(3.8);
        assertThat(report.speed()).isEqualTo(18.67);
        assertThat(report.heading()).isEqualTo(63.0);
        assertThat(report.altitude()).isEqualTo(35.7);
        assertThat(report.attributes())
                .containsEntry("batt", 79L)
                .containsEntry("charge", false)
                .containsEntry("event", "motionchange")
                .containsEntry("is_moving", true)
                .containsEntry("odometer", 1520.5)
                .containsEntry("activity", "in_vehicle")
                .containsEntry("trip", "north-7");
    }

    @Test
    void in_json_minus_one_means_unknown_speed_heading_and_battery() {
        PositionReport report =
                report(OsmAndDecoder.decodeJson(ProtocolFixtures.bytes("osmand-json-unknowns.json"), RECEIVED));

        assertThat(report.externalId()).isEqualTo("658765");
        assertThat(report.speed()).isNull();
        assertThat(report.heading()).isNull();
        assertThat(report.accuracy()).isEqualTo(5.0);
        assertThat(report.attributes()).doesNotContainKey("batt").containsEntry("mock", true);
    }

    @Test
    void a_json_body_without_device_id_or_coordinates_is_unusable() {
        assertThat(unusable(json("{\"location\":{\"coords\":{\"latitude\":1,\"longitude\":2}}}")))
                .startsWith("device_id is required");
        assertThat(unusable(json("{\"device_id\":\"a\",\"location\":{\"coords\":{\"latitude\":1}}}")))
                .isEqualTo("location.coords needs latitude and longitude");
        assertThat(unusable(json("{\"device_id\":\"a\",\"location\":[]}"))).startsWith("location must be one");
        assertThat(unusable(json("not json"))).startsWith("the body is not JSON");
    }

    @Test
    void a_json_body_without_a_timestamp_is_from_when_it_was_received() {
        assertThat(report(json("{\"device_id\":\"a\",\"location\":{\"coords\":{\"latitude\":1,\"longitude\":2}}}"))
                        .eventTime())
                .isEqualTo(RECEIVED);
    }
}
