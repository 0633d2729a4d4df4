package io.sextant.asset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sextant.platform.http.DomainProblems;
import io.sextant.shared.problem.DomainException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class AssetRulesTest {

    private static AssetDraft draft(String externalId, String type, List<String> tags, Map<String, Object> attributes) {
        return new AssetDraft(externalId, "Name", type, tags, attributes, Classification.INTERNAL);
    }

    @Test
    void a_well_formed_draft_passes() {
        assertThatCode(() -> AssetRules.check(
                        draft("dev:imei/356938035643809", "vehicle", List.of("north", "zone=a1"), Map.of("k", 1))))
                .doesNotThrowAnyException();
    }

    @Test
    void every_violation_is_reported_with_its_field() {
        List<String> tooManyTags = IntStream.range(0, 33).mapToObj(i -> "t" + i).toList();
        assertThatThrownBy(() -> AssetRules.check(draft("", "Truck", tooManyTags, Map.of())))
                .isInstanceOfSatisfying(DomainException.class, e -> {
                    assertThat(DomainProblems.status(e).value()).isEqualTo(400);
                    @SuppressWarnings("unchecked")
                    var errors = (List<Map<String, String>>)
                            DomainProblems.problem(e).getProperties().get("errors");
                    List<String> fields = new ArrayList<>();
                    errors.forEach(error -> fields.add(error.get("field")));
                    assertThat(fields).containsExactlyInAnyOrder("externalId", "type", "tags");
                });
    }

    @Test
    void attributes_are_measured_as_serialized_json() {
        Map<String, Object> justUnder = Map.of("a", "x".repeat(AssetRules.MAX_ATTRIBUTE_BYTES - 8));
        Map<String, Object> over = Map.of("a", "x".repeat(AssetRules.MAX_ATTRIBUTE_BYTES));
        assertThatCode(() -> AssetRules.check(draft("a", "vehicle", List.of(), justUnder)))
                .doesNotThrowAnyException();
        assertThatThrownBy(() -> AssetRules.check(draft("a", "vehicle", List.of(), over)))
                .isInstanceOf(DomainException.class);
    }

    @Test
    void classifications_are_read_by_their_lower_case_ids() {
        assertThat(Classification.fromId("restricted")).isEqualTo(Classification.RESTRICTED);
        assertThatThrownBy(() -> Classification.fromId("secret")).hasMessageContaining("secret");
    }
}
