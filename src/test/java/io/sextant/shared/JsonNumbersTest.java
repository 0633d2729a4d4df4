package io.sextant.shared;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class JsonNumbersTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Test
    void an_integer_beyond_the_range_of_a_double_is_an_infinity_not_an_exception() {
        JsonNode numbers = JSON.readTree(
                "[1" + "0".repeat(400) + ", -1" + "0".repeat(400) + ", 1e400, 13.25, " + "9223372036854775808, 42]");

        assertThat(JsonNumbers.toDouble(numbers.get(0))).isEqualTo(Double.POSITIVE_INFINITY);
        assertThat(JsonNumbers.toDouble(numbers.get(1))).isEqualTo(Double.NEGATIVE_INFINITY);
        assertThat(JsonNumbers.toDouble(numbers.get(2))).isEqualTo(Double.POSITIVE_INFINITY);
        assertThat(JsonNumbers.toDouble(numbers.get(3))).isEqualTo(13.25);
        assertThat(JsonNumbers.toDouble(numbers.get(4))).isEqualTo(9.223372036854775808e18);
        assertThat(JsonNumbers.toDouble(numbers.get(5))).isEqualTo(42.0);
    }
}
