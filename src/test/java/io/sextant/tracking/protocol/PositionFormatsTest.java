package io.sextant.tracking.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sextant.tracking.PositionReport;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PositionFormatsTest {

    private static List<PositionReport> array(String json, int max) throws Exception {
        return PositionFormats.jsonArray(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)), max);
    }

    @Test
    void an_unreadable_item_is_reported_and_the_items_after_it_are_still_read() throws Exception {
        List<PositionReport> reports = array("""
                [{"lon": "east", "lat": {"deep": [1, 2]}, "externalId": "x"},
                 5,
                 {"externalId": "a", "time": "2026-01-01T01:00:00+01:00", "lon": 1, "lat": 2.5, "speed": null,
                  "attributes": {"k": [1, 2]}, "ignored": {"nested": true}},
                 {"assetId": "not-a-uuid"},
                 {"attributes": [1]}]""", 10);
        assertThat(reports).hasSize(5);
        assertThat(reports.get(0).problem()).isEqualTo("lon must be a number");
        assertThat(reports.get(1).problem()).isEqualTo("not a JSON object");
        PositionReport ok = reports.get(2);
        assertThat(ok.problem()).isNull();
        assertThat(ok.externalId()).isEqualTo("a");
        assertThat(ok.eventTime()).isEqualTo(Instant.parse("2026-01-01T00:00:00Z"));
        assertThat(ok.lon()).isEqualTo(1.0);
        assertThat(ok.lat()).isEqualTo(2.5);
        assertThat(ok.speed()).isNull();
        assertThat(ok.attributes()).isEqualTo(Map.of("k", List.of(1, 2)));
        assertThat(reports.get(3).problem()).contains("not a UUID");
        assertThat(reports.get(4).problem()).isEqualTo("attributes must be a JSON object");
    }

    @Test
    void more_items_than_the_limit_and_a_body_that_is_no_array_are_refused_for_what_they_are() {
        assertThatThrownBy(() -> array("[{}, {}, {}]", 2))
                .isInstanceOf(PositionFormats.TooManyPositions.class)
                .hasMessageContaining("at most 2 positions");
        assertThatThrownBy(() -> array("{\"lon\": 1}", 2)).isInstanceOf(PositionFormats.Malformed.class);
        assertThatThrownBy(() -> array("[{\"lon\": 1}", 2)).isInstanceOf(PositionFormats.Malformed.class);
    }

    private static List<PositionReport> message(String payload) throws Exception {
        return PositionFormats.message(payload.getBytes(StandardCharsets.UTF_8), 10);
    }

    @Test
    void a_message_is_read_as_whichever_format_it_is() throws Exception {
        String one = "{\"externalId\": \"a\", \"time\": \"2026-01-01T00:00:00Z\", \"lon\": 1, \"lat\": 2}";
        String two = one.replace("\"a\"", "\"b\"");
        assertThat(message(one)).extracting(PositionReport::externalId).containsExactly("a");
        assertThat(message("  \n[" + one + ", " + two + "]"))
                .extracting(PositionReport::externalId)
                .containsExactly("a", "b");
        assertThat(message(one + "\n\n" + two + "\n"))
                .extracting(PositionReport::externalId)
                .containsExactly("a", "b");
        String feature = "{\"type\": \"Feature\", \"geometry\": {\"type\": \"Point\", \"coordinates\": [3, 4]},"
                + " \"properties\": {\"externalId\": \"c\", \"time\": \"2026-01-01T00:00:00Z\", \"fuel\": 7}}";
        List<PositionReport> single = message(feature);
        assertThat(single).singleElement().satisfies(r -> {
            assertThat(r.externalId()).isEqualTo("c");
            assertThat(r.lon()).isEqualTo(3.0);
            assertThat(r.lat()).isEqualTo(4.0);
            assertThat(r.attributes()).isEqualTo(Map.of("fuel", 7));
        });
        assertThat(message("{\"type\": \"FeatureCollection\", \"features\": [" + feature + ", " + feature + "]}"))
                .hasSize(2);
        // A position that is no object, in an NDJSON message, is reported like any unreadable item.
        assertThat(message(one + "\nnot json\n"))
                .extracting(PositionReport::problem)
                .containsExactly(null, "line 2 is not a JSON object");
        for (String bad : new String[] {"", "   ", "hello", "42", "\"text\""}) {
            assertThatThrownBy(() -> message(bad)).as(bad).isInstanceOf(PositionFormats.Malformed.class);
        }
        assertThatThrownBy(() ->
                        PositionFormats.message(("[" + one + "," + one + "]").getBytes(StandardCharsets.UTF_8), 1))
                .isInstanceOf(PositionFormats.TooManyPositions.class);
    }
}
