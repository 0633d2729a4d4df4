package io.sextant.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sextant.mqtt.MqttProperties.Format;
import io.sextant.mqtt.MqttProperties.Source;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.util.unit.DataSize;

class MqttPropertiesTest {

    private static MqttProperties with(String url, int qos, List<Source> sources) {
        return new MqttProperties(
                url, null, null, "sextant-ingest", qos, DataSize.ofMegabytes(1), 500, Duration.ofSeconds(30), sources);
    }

    @Test
    void off_without_a_url_and_refused_with_a_url_but_no_source() {
        assertThat(with("", 1, List.of()).enabled()).isFalse();
        assertThatThrownBy(() -> with("tcp://broker:1883", 1, List.of()))
                .hasMessageContaining("SEXTANT_MQTT_SOURCES_0_TOPIC");
    }

    @Test
    void a_source_needs_a_valid_topic_filter_an_api_key_and_an_asset_level_within_the_filter() {
        Source good = new Source("fleet/+/position", "sxk_x", Format.POSITIONS, 2);
        assertThat(with("tcp://broker:1883", 1, List.of(good)).enabled()).isTrue();
        assertThatThrownBy(() -> with("tcp://b", 1, List.of(new Source(null, "k", Format.POSITIONS, null))))
                .hasMessageContaining("sources[0].topic is required");
        assertThatThrownBy(() -> with("tcp://b", 1, List.of(good, new Source("a/b", " ", Format.POSITIONS, null))))
                .hasMessageContaining("sources[1].api-key is required");
        assertThatThrownBy(() -> with("tcp://b", 1, List.of(new Source("a/#/b", "k", Format.POSITIONS, null))))
                .hasMessageContaining("'#' must be a whole level and the last one");
        assertThatThrownBy(() -> with("tcp://b", 1, List.of(new Source("a/+", "k", Format.POSITIONS, 3))))
                .hasMessageContaining("asset-level must name a level of the topic filter (1 to 2), was 3");
    }

    @Test
    void quality_of_service_0_is_refused_as_it_would_lose_messages() {
        assertThatThrownBy(() -> with("", 0, List.of())).hasMessageContaining("must be 1 or 2");
        assertThatThrownBy(() -> with("", 3, List.of())).hasMessageContaining("must be 1 or 2");
    }
}
