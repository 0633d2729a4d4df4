package io.sextant.tracking.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.sextant.tracking.PositionReport;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class OwnTracksDecoderTest {

    private static PositionReport report(Decoded decoded) {
        assertThat(decoded).isInstanceOf(Decoded.Report.class);
        return ((Decoded.Report) decoded).report();
    }

    private static String unusable(Decoded decoded) {
        assertThat(decoded).isInstanceOf(Decoded.Unusable.class);
        return ((Decoded.Unusable) decoded).reason();
    }

    private static Decoded decode(String json, String user, String device) {
        return OwnTracksDecoder.decode(json.getBytes(StandardCharsets.UTF_8), user, device);
    }

    @Test
    void a_location_becomes_a_position_of_the_device_named_by_the_limit_headers() {
        PositionReport report =
                report(OwnTracksDecoder.decode(ProtocolFixtures.bytes("owntracks-location.json"), "jane", "phone"));

        assertThat(report.externalId()).isEqualTo("jane/phone");
        assertThat(report.assetId()).isNull();
        assertThat(report.eventTime()).isEqualTo(Instant.ofEpochSecond(1_700_000_000));
        assertThat(report.lat()).isEqualTo(48.856826);
        assertThat(report.lon()).isEqualTo(2.292713);
        assertThat(report.accuracy()).isEqualTo(13.0);
        assertThat(report.altitude()).isEqualTo(42.0);
        assertThat(report.heading()).isEqualTo(270.0);
        assertThat(report.problem()).isNull();
    }

    @Test
    void velocity_in_kilometers_per_hour_is_stored_in_meters_per_second() {
        PositionReport report =
                report(OwnTracksDecoder.decode(ProtocolFixtures.bytes("owntracks-location.json"), "jane", "phone"));

        assertThat(report.speed()).isCloseTo(10.0, within(1e-9));
    }

    @Test
    void every_other_member_of_a_location_becomes_an_attribute() {
        PositionReport report =
                report(OwnTracksDecoder.decode(ProtocolFixtures.bytes("owntracks-location.json"), "jane", "phone"));

        assertThat(report.attributes())
                .containsEntry("batt", 87)
                .containsEntry("bs", 1)
                .containsEntry("conn", "w")
                .containsEntry("tid", "ph")
                .containsEntry("t", "u")
                .containsEntry("m", 1)
                .containsEntry("vac", 3)
                .containsEntry("SSID", "Home Wifi")
                .containsEntry("BSSID", "b0:f2:8:45:94:33")
                .containsEntry("created_at", 1700000005)
                .doesNotContainKeys("_type", "topic", "lat", "lon", "tst", "acc", "alt", "vel", "cog");
    }

    @Test
    void without_limit_headers_the_topic_names_the_device() {
        PositionReport report =
                report(OwnTracksDecoder.decode(ProtocolFixtures.bytes("owntracks-location.json"), null, null));

        assertThat(report.externalId()).isEqualTo("jane/phone");
    }

    @Test
    void the_limit_headers_win_over_the_topic() {
        PositionReport report =
                report(OwnTracksDecoder.decode(ProtocolFixtures.bytes("owntracks-location.json"), "john", "tablet"));

        assertThat(report.externalId()).isEqualTo("john/tablet");
    }

    @Test
    void a_user_without_a_device_header_falls_back_to_the_topic() {
        PositionReport report =
                report(OwnTracksDecoder.decode(ProtocolFixtures.bytes("owntracks-location.json"), "john", null));

        assertThat(report.externalId()).isEqualTo("jane/phone");
    }

    @Test
    void without_headers_or_topic_the_tracker_id_names_the_device() {
        PositionReport report =
                report(OwnTracksDecoder.decode(ProtocolFixtures.bytes("owntracks-location-minimal.json"), null, null));

        assertThat(report.externalId()).isEqualTo("JJ");
        assertThat(report.eventTime()).isEqualTo(Instant.ofEpochSecond(1_497_476_456));
        assertThat(report.lat()).isEqualTo(48.85833);
        assertThat(report.lon()).isEqualTo(2.29513);
        assertThat(report.speed()).isNull();
        assertThat(report.heading()).isNull();
        assertThat(report.accuracy()).isNull();
        assertThat(report.altitude()).isNull();
        assertThat(report.attributes()).containsOnlyKeys("tid");
    }

    @Test
    void a_location_that_names_no_device_at_all_is_unusable() {
        String reason = unusable(decode("{\"_type\":\"location\",\"lat\":1,\"lon\":2,\"tst\":1700000000}", null, null));

        assertThat(reason).contains("X-Limit-U").contains("topic").contains("tid");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "owntracks-lwt.json",
                "owntracks-transition.json",
                "owntracks-waypoint.json",
                "owntracks-card.json"
            })
    void messages_other_than_locations_are_ignored_even_when_they_carry_coordinates(String fixture) {
        Decoded decoded = OwnTracksDecoder.decode(ProtocolFixtures.bytes(fixture), "jane", "phone");

        assertThat(decoded).isInstanceOf(Decoded.Ignored.class);
        assertThat(((Decoded.Ignored) decoded).what())
                .isEqualTo(fixture.replace("owntracks-", "").replace(".json", ""));
    }

    @Test
    void an_encrypted_message_is_unusable_rather_than_silently_dropped() {
        assertThat(unusable(
                        OwnTracksDecoder.decode(ProtocolFixtures.bytes("owntracks-encrypted.json"), "jane", "phone")))
                .isEqualTo("encrypted messages are not supported: turn off encryption in the app");
    }

    @Test
    void the_empty_message_sent_when_a_friend_is_deleted_is_ignored() {
        assertThat(OwnTracksDecoder.decode(new byte[0], "jane", "phone")).isInstanceOf(Decoded.Ignored.class);
        assertThat(decode("  \n", "jane", "phone")).isInstanceOf(Decoded.Ignored.class);
    }

    @Test
    void numbers_sent_as_strings_are_read_as_numbers() {
        PositionReport report = report(decode(
                "{\"_type\":\"location\",\"lat\":\"48.5\",\"lon\":\"2.25\",\"tst\":\"1700000000\",\"vel\":\"18\"}",
                "jane",
                "phone"));

        assertThat(report.lat()).isEqualTo(48.5);
        assertThat(report.lon()).isEqualTo(2.25);
        assertThat(report.eventTime()).isEqualTo(Instant.ofEpochSecond(1_700_000_000));
        assertThat(report.speed()).isCloseTo(5.0, within(1e-9));
    }

    @Test
    void negative_velocity_course_and_accuracy_mean_unknown() {
        PositionReport report = report(decode(
                "{\"_type\":\"location\",\"lat\":1,\"lon\":2,\"tst\":1700000000,\"vel\":-1,\"cog\":-1,\"acc\":-1}",
                "jane",
                "phone"));

        assertThat(report.speed()).isNull();
        assertThat(report.heading()).isNull();
        assertThat(report.accuracy()).isNull();
    }

    @Test
    void a_course_of_360_degrees_is_north() {
        PositionReport report =
                report(decode("{\"_type\":\"location\",\"lat\":1,\"lon\":2,\"tst\":1700000000,\"cog\":360}", "u", "d"));

        assertThat(report.heading()).isEqualTo(0.0);
    }

    @Test
    void a_location_without_lat_lon_or_tst_is_unusable() {
        assertThat(unusable(decode("{\"_type\":\"location\",\"lon\":2,\"tst\":1700000000}", "u", "d")))
                .isEqualTo("a location needs lat, lon and tst");
        assertThat(unusable(decode("{\"_type\":\"location\",\"lat\":1,\"lon\":2}", "u", "d")))
                .isEqualTo("a location needs lat, lon and tst");
    }

    @Test
    void a_field_that_is_not_a_number_is_unusable() {
        assertThat(unusable(
                        decode("{\"_type\":\"location\",\"lat\":\"north\",\"lon\":2,\"tst\":1700000000}", "u", "d")))
                .isEqualTo("lat must be a number");
        assertThat(unusable(decode("{\"_type\":\"location\",\"lat\":\"NaN\",\"lon\":2,\"tst\":1700000000}", "u", "d")))
                .isEqualTo("lat must be a number");
    }

    @Test
    void a_timestamp_in_milliseconds_is_unusable() {
        assertThat(unusable(decode("{\"_type\":\"location\",\"lat\":1,\"lon\":2,\"tst\":1700000000000}", "u", "d")))
                .isEqualTo("tst must be seconds since the epoch");
    }

    @Test
    void a_body_that_is_not_a_json_object_with_a_type_is_unusable() {
        assertThat(unusable(decode("lat=1&lon=2", "u", "d"))).startsWith("the body is not a JSON message");
        assertThat(unusable(decode("[{\"_type\":\"location\"}]", "u", "d"))).isEqualTo("the body is not a JSON object");
        assertThat(unusable(decode("{\"lat\":1,\"lon\":2,\"tst\":1700000000}", "u", "d")))
                .isEqualTo("_type is required");
    }
}
