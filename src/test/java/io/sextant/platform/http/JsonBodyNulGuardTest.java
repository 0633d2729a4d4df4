package io.sextant.platform.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class JsonBodyNulGuardTest {

    private static String firstNul(String json) {
        return JsonBodyNulGuard.firstNul(json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void a_nul_in_a_string_is_named_by_the_member_path() {
        assertThat(firstNul("{\"name\":\"a\\u0000\"}")).isEqualTo("name");
        assertThat(firstNul("{\"proximity\":[{\"name\":\"x\"},{\"first\":{\"types\":[\"v\",\"\\u0000\"]}}]}"))
                .isEqualTo("proximity[1].first.types[1]");
        assertThat(firstNul("\"\\u0000\"")).isEqualTo("body");
    }

    @Test
    void a_nul_in_a_member_name_is_named_by_that_member() {
        assertThat(firstNul("{\"attributes\":{\"ok\":1,\"k\\u0000\":2}}")).isEqualTo("attributes.k\u0000");
    }

    @Test
    void an_escaped_backslash_before_u0000_is_no_nul() {
        assertThat(firstNul("{\"name\":\"a\\\\u0000\"}")).isNull();
        assertThat(firstNul("{\"name\":\"plain\",\"n\":[1,2,null]}")).isNull();
    }

    @Test
    void a_body_that_is_not_json_is_left_to_the_converter() {
        assertThat(firstNul("{\"name\": ")).isNull();
        assertThat(firstNul("")).isNull();
    }
}
