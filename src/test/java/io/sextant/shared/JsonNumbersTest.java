package io.sextant.shared;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.core.type.TypeReference;
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

    @Test
    void the_first_number_beyond_a_double_is_found_in_trees_maps_and_lists() {
        String huge = "1" + "0".repeat(400);
        JsonNode tree = JSON.readTree("{\"a\":1,\"b\":{\"c\":[2, 3.5, " + huge + "]}}");
        assertThat(JsonNumbers.firstBeyondDouble(tree, "attributes")).isEqualTo("attributes.b.c[2]");
        assertThat(JsonNumbers.firstBeyondDouble(JSON.readTree("{\"a\":[1e308, -1e-400, \"1e400\"]}"), ""))
                .isNull();
        Map<String, Object> read = JSON.readValue("{\"n\":{\"m\":[1, -1e400]}}", new TypeReference<>() {});
        assertThat(JsonNumbers.firstBeyondDouble(read, "attributes")).isEqualTo("attributes.n.m[1]");
        assertThat(JsonNumbers.firstBeyondDouble(Map.of("x", new BigInteger(huge)), ""))
                .isEqualTo("x");
        assertThat(JsonNumbers.firstBeyondDouble(Map.of("x", List.of(1L, 2.5, "s", true)), ""))
                .isNull();
    }
}
