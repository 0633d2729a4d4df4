package io.sextant.shared;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

class NulCharactersTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Test
    void a_nul_anywhere_in_a_string_is_found() {
        assertThat(NulCharacters.in("a\u0000b")).isTrue();
        assertThat(NulCharacters.in("\u0000")).isTrue();
        assertThat(NulCharacters.in("a\\u0000b")).isFalse();
        assertThat(NulCharacters.in(null)).isFalse();
    }

    @Test
    void the_first_nul_in_maps_and_lists_is_named_by_its_path() {
        Map<String, Object> attributes = new LinkedHashMap<>();
        attributes.put("plate", "AB-123");
        attributes.put("readings", List.of(1, Map.of("unit", "k\u0000m")));
        assertThat(NulCharacters.firstIn(attributes, "attributes")).isEqualTo("attributes.readings[1].unit");
        assertThat(NulCharacters.firstIn(Map.of("a\u0000", 1), "attributes")).isEqualTo("attributes.a\u0000");
        assertThat(NulCharacters.firstIn(Map.of("plate", "AB"), "attributes")).isNull();
    }

    @Test
    void the_first_nul_in_a_json_tree_is_named_by_its_path() {
        var tree = JSON.readTree("{\"tags\":[\"a\",\"b\\u0000\"],\"x\":{\"y\":null}}");
        assertThat(NulCharacters.firstIn(tree, "")).isEqualTo("tags[1]");
        assertThat(NulCharacters.firstIn(JSON.readTree("{\"ok\":[1,true,null]}"), ""))
                .isNull();
    }
}
