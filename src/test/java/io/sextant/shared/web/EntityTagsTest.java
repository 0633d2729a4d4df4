package io.sextant.shared.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sextant.shared.ExpectedVersions;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.springframework.web.ErrorResponseException;

class EntityTagsTest {

    @Test
    void the_etag_of_a_version_is_a_quoted_strong_tag() {
        assertThat(EntityTags.of(3)).isEqualTo("\"3\"");
    }

    @Test
    void a_missing_if_match_on_an_update_is_428() {
        assertThatThrownBy(() -> EntityTags.required(null))
                .isInstanceOfSatisfying(
                        ErrorResponseException.class,
                        e -> assertThat(e.getStatusCode().value()).isEqualTo(428));
    }

    @Test
    void a_weak_or_foreign_if_match_is_412() {
        for (String header : new String[] {
            "W/\"3\"",
            "3",
            "\"abc\"",
            "\"",
            "W/\"3\", W/\"4\"",
            "\"3\" \"4\"",
            "\"3\", 4",
            "\"3\"x",
            "**",
            "*, \"3\"",
            "\"03\"",
            "\"+3\"",
            "\"-3\"",
            "\"99999999999999999999\"",
            "\"3\\\"\"",
            ",",
        }) {
            assertThatThrownBy(() -> EntityTags.required(header))
                    .as(header)
                    .isInstanceOfSatisfying(
                            ErrorResponseException.class,
                            e -> assertThat(e.getStatusCode().value()).isEqualTo(412));
        }
    }

    @Test
    void a_strong_if_match_yields_its_version() {
        assertThat(EntityTags.required(" \"42\" ")).isEqualTo(ExpectedVersions.of(42));
        assertThat(EntityTags.required(" \"42\" ").admits(42)).isTrue();
        assertThat(EntityTags.required(" \"42\" ").admits(41)).isFalse();
        assertThat(EntityTags.optional(null)).isNull();
        assertThat(EntityTags.optional(" ")).isNull();
    }

    @Test
    void an_if_match_list_admits_each_strong_tag_it_names_and_ignores_weak_and_foreign_ones() {
        assertThat(EntityTags.required("\"1\", \"2\"")).isEqualTo(ExpectedVersions.oneOf(Set.of(1L, 2L)));
        assertThat(EntityTags.required("\"1\",\"2\" ,\t\"7\"")).isEqualTo(ExpectedVersions.oneOf(Set.of(1L, 2L, 7L)));
        assertThat(EntityTags.required(", \"5\",, ")).isEqualTo(ExpectedVersions.of(5));
        assertThat(EntityTags.required("W/\"1\", \"2\"")).isEqualTo(ExpectedVersions.of(2));
        assertThat(EntityTags.required("\"abc\", \"2\", \"02\"")).isEqualTo(ExpectedVersions.of(2));
        ExpectedVersions listed = EntityTags.required("\"1\", \"3\"");
        assertThat(listed.admits(1)).isTrue();
        assertThat(listed.admits(2)).isFalse();
        assertThat(listed.admits(3)).isTrue();
        assertThat(listed).hasToString("one of 1, 3");
        assertThat(EntityTags.required("\"7\"")).hasToString("7");
    }

    @Test
    void a_star_if_match_admits_any_version_of_a_resource_that_exists() {
        ExpectedVersions any = EntityTags.required(" * ");
        assertThat(any).isEqualTo(ExpectedVersions.any());
        assertThat(any.admits(0)).isTrue();
        assertThat(any.admits(Long.MAX_VALUE)).isTrue();
        assertThat(any).hasToString("*");
        assertThat(EntityTags.optional("*")).isEqualTo(ExpectedVersions.any());
    }

    @Test
    void if_none_match_matches_the_current_tag_a_list_containing_it_or_a_star() {
        assertThat(EntityTags.matches("\"2\"", 2)).isTrue();
        assertThat(EntityTags.matches("\"1\", \"2\"", 2)).isTrue();
        assertThat(EntityTags.matches("*", 2)).isTrue();
        assertThat(EntityTags.matches("W/\"2\"", 2)).isTrue();
        assertThat(EntityTags.matches("\"1\"", 2)).isFalse();
        assertThat(EntityTags.matches(null, 2)).isFalse();
    }
}
