package io.sextant.platform.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.sextant.shared.JsonNumbers;
import io.sextant.shared.NulCharacters;
import java.nio.charset.StandardCharsets;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

class JsonBodyGuardTest {

    private static @Nullable String firstNul(String json) {
        JsonBodyGuard.Refusal refusal = JsonBodyGuard.firstRefused(json.getBytes(StandardCharsets.UTF_8));
        if (refusal == null) {
            return null;
        }
        assertThat(refusal.reason()).isEqualTo(NulCharacters.REASON);
        return refusal.member();
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

    @Test
    void a_number_beyond_the_range_of_a_double_is_named_by_its_member_and_one_within_passes() {
        String huge = "1" + "0".repeat(400);
        assertThat(JsonBodyGuard.firstRefused(bytes("{\"attributes\":{\"n\":[1," + huge + "]}}")))
                .isEqualTo(new JsonBodyGuard.Refusal("attributes.n[1]", JsonNumbers.REASON));
        assertThat(JsonBodyGuard.firstRefused(bytes("{\"x\":-1e400}")))
                .isEqualTo(new JsonBodyGuard.Refusal("x", JsonNumbers.REASON));
        assertThat(JsonBodyGuard.firstRefused(
                        bytes("{\"a\":1.7e308,\"b\":-1.7e308,\"c\":1e-400,\"d\":" + "9".repeat(300) + "}")))
                .isNull();
    }

    private static byte[] bytes(String json) {
        return json.getBytes(StandardCharsets.UTF_8);
    }
}
