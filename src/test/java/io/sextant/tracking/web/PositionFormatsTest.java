package io.sextant.tracking.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sextant.tracking.PositionReport;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.web.ErrorResponseException;

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
    void more_items_than_the_limit_is_413_and_a_body_that_is_no_array_is_400() {
        assertThatThrownBy(() -> array("[{}, {}, {}]", 2))
                .isInstanceOfSatisfying(
                        ErrorResponseException.class,
                        e -> assertThat(e.getStatusCode().value()).isEqualTo(413));
        assertThatThrownBy(() -> array("{\"lon\": 1}", 2))
                .isInstanceOfSatisfying(
                        ErrorResponseException.class,
                        e -> assertThat(e.getStatusCode().value()).isEqualTo(400));
        assertThatThrownBy(() -> array("[{\"lon\": 1}", 2))
                .isInstanceOfSatisfying(
                        ErrorResponseException.class,
                        e -> assertThat(e.getStatusCode().value()).isEqualTo(400));
    }
}
