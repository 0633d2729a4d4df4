package io.sextant.shared.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.springframework.web.ErrorResponseException;

class EntityTagsTest {

    @Test
    void the_etag_of_a_version_is_a_quoted_strong_tag() {
        assertThat(EntityTags.of(3)).isEqualTo("\"3\"");
    }

    @Test
    void a_missing_if_match_on_an_update_is_428() {
        assertThatThrownBy(() -> EntityTags.requiredVersion(null))
                .isInstanceOfSatisfying(
                        ErrorResponseException.class,
                        e -> assertThat(e.getStatusCode().value()).isEqualTo(428));
    }

    @Test
    void a_weak_or_foreign_if_match_is_412() {
        for (String header : new String[] {"W/\"3\"", "3", "\"abc\"", "\""}) {
            assertThatThrownBy(() -> EntityTags.requiredVersion(header))
                    .as(header)
                    .isInstanceOfSatisfying(
                            ErrorResponseException.class,
                            e -> assertThat(e.getStatusCode().value()).isEqualTo(412));
        }
    }

    @Test
    void a_strong_if_match_yields_its_version() {
        assertThat(EntityTags.requiredVersion(" \"42\" ")).isEqualTo(42L);
        assertThat(EntityTags.optionalVersion(null)).isNull();
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
