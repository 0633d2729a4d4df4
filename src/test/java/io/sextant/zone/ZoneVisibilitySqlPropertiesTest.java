package io.sextant.zone;

import static org.assertj.core.api.Assertions.assertThat;

import io.sextant.shared.access.Scope;
import io.sextant.shared.access.SqlPredicate;
import io.sextant.shared.access.Visibility;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The zone filter a list puts into its SQL agrees with the single check: for any grants' zone
 * tags and any zone's tags, {@code tags && :reachedZoneTags} (or the constant) holds exactly when
 * {@link Visibility#reachesZone} does.
 */
class ZoneVisibilitySqlPropertiesTest {

    private static final List<String> TAGS = List.of("a", "b", "c", "d", "e");

    @Provide
    Arbitrary<Set<String>> tagSets() {
        return Arbitraries.of(TAGS).set().ofMaxSize(3);
    }

    @Provide
    Arbitrary<Visibility> visibilities() {
        Arbitrary<Visibility> scoped = tagSets()
                .map(tags -> new Scope(null, null, null, false, Set.of(), Set.of(), Set.of(), tags, null))
                .list()
                .ofMinSize(1)
                .ofMaxSize(3)
                .map(Visibility.Scoped::new);
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(8, scoped),
                net.jqwik.api.Tuple.of(1, Arbitraries.just(Visibility.ALL)),
                net.jqwik.api.Tuple.of(1, Arbitraries.just(Visibility.NONE)));
    }

    @Property
    void the_sql_filter_holds_exactly_for_the_zones_the_single_check_reaches(
            @ForAll("visibilities") Visibility visibility, @ForAll("tagSets") Set<String> zoneTags) {
        SqlPredicate sql = Zones.zoneSql(visibility);
        List<String> tags = List.copyOf(zoneTags);
        assertThat(evaluate(sql, tags)).isEqualTo(visibility.reachesZone(tags));
    }

    /** What PostgreSQL would answer for a zone carrying {@code tags}. */
    private static boolean evaluate(SqlPredicate predicate, List<String> tags) {
        return switch (predicate.sql()) {
            case "true" -> true;
            case "false" -> false;
            case "tags && cast(:reachedZoneTags as text[])" ->
                !Collections.disjoint(
                        tags, Arrays.asList((String[]) predicate.params().get("reachedZoneTags")));
            default -> throw new AssertionError("unexpected SQL " + predicate.sql());
        };
    }
}
