package io.sextant.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ConsolePropertiesTest {

    @Test
    void no_tile_url_means_the_offline_base_map() {
        assertThat(new ConsoleProperties(null, null).tileUrl()).isNull();
        assertThat(new ConsoleProperties("  ", null).tileUrl()).isNull();
    }

    @Test
    void a_tile_url_names_its_origin_for_the_content_security_policy() {
        assertThat(ConsoleProperties.tileOrigin("https://Tiles.example.org/osm/{z}/{x}/{y}.png"))
                .isEqualTo("https://tiles.example.org");
        assertThat(ConsoleProperties.tileOrigin("http://10.0.0.5:8081/{z}/{x}/{y}.png"))
                .isEqualTo("http://10.0.0.5:8081");
    }

    @Test
    void a_tile_url_without_placeholders_or_not_http_is_refused_at_start() {
        assertThatThrownBy(() -> new ConsoleProperties("https://tiles.example.org/{z}/{x}.png", null))
                .hasMessageContaining("{y}");
        assertThatThrownBy(() -> new ConsoleProperties("ftp://tiles.example.org/{z}/{x}/{y}.png", null))
                .hasMessageContaining("http or https");
        assertThatThrownBy(() -> new ConsoleProperties("https:///{z}/{x}/{y}.png", null))
                .hasMessageContaining("http or https");
    }
}
