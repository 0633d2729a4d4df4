package io.sextant.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import io.sextant.shared.access.SqlPredicate;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class EventFilterTest {

    @Test
    void an_empty_filter_is_the_predicate_true_with_no_parameters() {
        SqlPredicate all = EventFilter.ALL.toSql();

        assertThat(all.sql()).isEqualTo("true");
        assertThat(all.params()).isEmpty();
    }

    @Test
    void a_type_prefix_is_bound_with_its_like_wildcards_and_escape_character_escaped() {
        SqlPredicate predicate = types("a_b.*", "50%.*", "back\\slash.*").toSql();

        assertThat(predicate.sql())
                .contains("type like :filterTypePrefix0 escape '\\'")
                .doesNotContain("a_b", "50%", "back");
        assertThat(predicate.params())
                .containsOnly(
                        entry("filterTypePrefix0", "50\\%.%"),
                        entry("filterTypePrefix1", "a\\_b.%"),
                        entry("filterTypePrefix2", "back\\\\slash.%"));
    }

    @Test
    void values_reach_the_statement_only_as_bind_parameters() {
        UUID asset = UUID.randomUUID();
        EventFilter filter = new EventFilter(
                Set.of("sextant.zone.entered", "x' or '1'='1"),
                Set.of(asset),
                Set.of(),
                Set.of("it's"),
                Set.of("north"));

        SqlPredicate predicate = filter.toSql();

        assertThat(predicate.sql())
                .doesNotContain("sextant", "'1'", asset.toString(), "it's", "north")
                .contains(":filterTypes", ":filterAssetIds", ":filterAssetTags", ":filterZoneTags")
                .doesNotContain(":filterZoneIds");
        assertThat((String[]) predicate.params().get("filterTypes"))
                .containsExactlyInAnyOrder("sextant.zone.entered", "x' or '1'='1");
    }

    @Test
    void a_wildcard_matches_every_type_under_its_prefix_and_characters_in_it_only_as_themselves() {
        assertThat(EventFilter.typeMatches("a_b.*", "a_b.enter")).isTrue();
        assertThat(EventFilter.typeMatches("a_b.*", "axb.enter")).isFalse();
        assertThat(EventFilter.typeMatches("a.*", "ab.enter")).isFalse();
        assertThat(EventFilter.typeMatches("a.b", "a.b")).isTrue();
        assertThat(EventFilter.typeMatches("a.b", "a.bc")).isFalse();
    }

    private static EventFilter types(String... types) {
        return new EventFilter(Set.of(types), Set.of(), Set.of(), Set.of(), Set.of());
    }
}
