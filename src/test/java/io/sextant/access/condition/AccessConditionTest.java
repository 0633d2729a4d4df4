package io.sextant.access.condition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sextant.shared.access.SqlPredicate;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The fragment's edges: accepted conditions and the SQL they become, refused ones and the part their
 * message names, and the in-memory decision on the cases the Javadoc of {@link AccessCondition}
 * promises.
 */
class AccessConditionTest {

    private static final SubjectAttributes SUBJECT = new SubjectAttributes("u-7", "user", Set.of("dispatch"));
    private static final Instant TEN_IN_PARIS = Instant.parse("2026-03-02T09:30:00Z");
    private static final UUID ID = UUID.fromString("0b9f6a2e-54f4-4c57-9a43-5d1e4b3c2a10");

    @ParameterizedTest
    @CsvSource(delimiterString = " ¦ ", quoteCharacter = '"', textBlock = """
            asset.type == 'truck' ¦ (a.type = :c_0) ¦ truck
            'truck' == asset.type ¦ (a.type = :c_0) ¦ truck
            asset.type != 'truck' ¦ (not (a.type = :c_0)) ¦ truck
            asset.id == 'x' ¦ (cast(a.id as text) = :c_0) ¦ x
            asset.externalId < 'm' ¦ (a.external_id collate "C" < :c_0) ¦ m
            'm' < asset.classification ¦ (a.classification collate "C" > :c_0) ¦ m
            asset.type == subject.id ¦ (a.type = :c_0) ¦ u-7
            subject.id == 'u-7' || asset.type == 'x' ¦ (true or (a.type = :c_0)) ¦ x
            asset.type in ['a', 'b'] ¦ (a.type in (:c_0, :c_1)) ¦ a,b
            asset.type in [] ¦ false ¦ -
            asset.type in subject.groups ¦ (a.type in (:c_0)) ¦ dispatch
            'north' in asset.tags ¦ (:c_0 = any(a.tags)) ¦ north
            asset.type.startsWith('a_b%') ¦ (starts_with(a.type, :c_0)) ¦ a_b%
            asset.type.endsWith('x') ¦ (right(a.type, char_length(:c_0)) = :c_0) ¦ x
            asset.type.contains('x') ¦ (strpos(a.type, :c_0) > 0) ¦ x
            has(asset.attributes.depot) ¦ ((a.attributes -> cast(:c_0 as text)) is not null) ¦ depot
            asset.attributes.depot == 'north' ¦ (case when (a.attributes -> cast(:c_0 as text)) is null then null when jsonb_typeof((a.attributes -> cast(:c_0 as text))) = 'string' then ((a.attributes -> cast(:c_0 as text)) #>> '{}') = :c_1 else false end) ¦ depot,north
            asset.attributes['load kg'] > 2 ¦ (case jsonb_typeof((a.attributes -> cast(:c_0 as text))) when 'number' then cast((a.attributes -> cast(:c_0 as text)) as float8) > :c_1 end) ¦ load kg,2.0
            asset.attributes.seats == null ¦ (case when (a.attributes -> cast(:c_0 as text)) is null then null when jsonb_typeof((a.attributes -> cast(:c_0 as text))) = 'null' then true else false end) ¦ seats
            'dispatch' in subject.groups && asset.type == 'van' ¦ (true and (a.type = :c_0)) ¦ van
            'admin' in subject.groups || asset.type == 'van' ¦ (false or (a.type = :c_0)) ¦ van
            request.time.getHours('Europe/Paris') >= 8 ¦ true ¦ -
            request.time < timestamp('2026-01-01T00:00:00Z') ¦ false ¦ -
            asset.tags.exists(t, t.startsWith('n')) ¦ (case when exists (select 1 from unnest(a.tags) as c_tag0(tag) where (starts_with(c_tag0.tag, :c_0))) then true when exists (select 1 from unnest(a.tags) as c_tag0(tag) where ((starts_with(c_tag0.tag, :c_0))) is null) then null else false end) ¦ n
            """)
    void an_accepted_condition_becomes_this_sql(String expression, String sql, String params) {
        SqlPredicate predicate = AccessCondition.compile(expression).toSql(SUBJECT, TEN_IN_PARIS, "a", "c_");

        assertThat(predicate.sql()).isEqualTo(sql);
        assertThat(predicate.params().keySet()).allMatch(name -> name.startsWith("c_"));
        List<String> values = params.equals("-") ? List.of() : List.of(params.split(","));
        assertThat(predicate.params().values().stream().map(String::valueOf).toList())
                .containsExactlyInAnyOrderElementsOf(values);
    }

    @Test
    void without_an_alias_columns_are_not_qualified() {
        assertThat(AccessCondition.compile("asset.type == 'van'")
                        .toSql(SUBJECT, TEN_IN_PARIS, "", "p")
                        .sql())
                .isEqualTo("(type = :p0)");
    }

    @ParameterizedTest
    @CsvSource(delimiterString = " ¦ ", quoteCharacter = '"', textBlock = """
            asset.type == 'a' && size(asset.tags) > 1 ¦ `size(asset.tags)` at column 22: function size is not supported in access conditions ¦ 22
            asset.type.matches('^a') ¦ `asset.type.matches("^a")` at column 1: function matches is not supported in access conditions ¦ 1
            asset.attributes.n + 1 > 2 ¦ `asset.attributes.n + 1` at column 1: arithmetic (+) is not supported ¦ 1
            asset.type == 'a' ? true : false ¦ the conditional operator ?: is not supported ¦ 1
            asset.owner == 'me' ¦ `asset.owner` at column 1: unknown variable asset.owner ¦ 1
            foo == 'me' ¦ unknown variable foo ¦ 1
            asset.tags == ['a'] ¦ a list can only follow in ¦ 1
            asset.type == asset.classification ¦ compares two asset values ¦ 1
            asset.type in asset.tags ¦ compares two asset values ¦ 1
            asset.attributes.a.b == 1 ¦ only top-level attributes ¦ 1
            asset.attributes.n < true ¦ ordering booleans or null is not supported ¦ 1
            asset.type == 1 ¦ `asset.type == 1` at column 1: found no matching overload ¦ 1
            asset.tags.all(t, t == 'a') ¦ function all is not supported ¦ 1
            asset.tags.exists(t, asset.tags.exists(u, u == t)) ¦ exists() inside exists() ¦ 22
            subject.groups.exists(g, g == 'a') ¦ exists() is supported only over asset.tags ¦ 1
            'a'.startsWith(asset.type) ¦ the argument of startsWith must be a literal or a subject or request value ¦ 16
            asset.attributes.n == 9007199254740993 ¦ integers in access conditions must lie within ±2^53 ¦ 23
            asset.attributes.n == 1u ¦ unsigned integers and bytes are not supported ¦ 23
            request.time.getHours('Mars/Olympus') > 1 ¦ unknown time zone Mars/Olympus ¦ 23
            request.time > timestamp('yesterday') ¦ not an RFC 3339 timestamp ¦ 26
            asset.attributes.active && true ¦ `asset.attributes.active` at column 1: a value is not a condition ¦ 1
            has(subject.id) ¦ has() is supported only as has(asset.attributes.key) ¦ 1
            asset.type == ¦ syntax error ¦ 14
            {'a': 1}['a'] == 1 ¦ indexing is supported only as asset.attributes['key'] ¦ 1
            {'a': 1} == {'a': 1} ¦ maps, messages and macros ¦ 1
            int(asset.attributes.n) == 1 ¦ function int is not supported ¦ 1
            """)
    void a_condition_outside_the_fragment_is_refused_naming_the_part(String expression, String message, int column) {
        assertThatThrownBy(() -> AccessCondition.compile(expression))
                .isInstanceOfSatisfying(InvalidCondition.class, e -> {
                    assertThat(e.getMessage()).contains(message);
                    assertThat(e.column()).isEqualTo(column);
                });
    }

    @Test
    void a_condition_longer_than_a_thousand_characters_is_refused() {
        String expression = "asset.type == '" + "a".repeat(1_000) + "'";

        assertThatThrownBy(() -> AccessCondition.compile(expression))
                .isInstanceOf(InvalidCondition.class)
                .hasMessageContaining("at most 1,000");
    }

    @Test
    void a_condition_nested_deeper_than_thirty_two_levels_is_refused() {
        String expression = "!(".repeat(40) + "true" + ")".repeat(40);

        assertThatThrownBy(() -> AccessCondition.compile(expression))
                .isInstanceOf(InvalidCondition.class)
                .hasMessageContaining("deeper than 32");
    }

    @ParameterizedTest
    @CsvSource(delimiterString = " ¦ ", quoteCharacter = '"', textBlock = """
            asset.attributes.depot == 'north' ¦ true
            asset.attributes.missing == 'north' ¦ false
            asset.attributes.missing != 'north' ¦ false
            !(asset.attributes.missing == 'north') ¦ false
            asset.attributes.missing == 'north' || true ¦ true
            asset.attributes.missing == 'north' && false ¦ false
            asset.attributes.seats == 4 ¦ true
            asset.attributes.seats == 4.0 ¦ true
            asset.attributes.seats < 4.5 ¦ true
            asset.attributes.seats == '4' ¦ false
            asset.attributes.seats != '4' ¦ true
            asset.attributes.depot < 4 ¦ false
            !(asset.attributes.depot < 4) ¦ false
            asset.attributes.seats.startsWith('4') ¦ false
            asset.attributes.spare == null ¦ true
            asset.attributes.spare != 'x' ¦ true
            asset.attributes.spare < 'x' ¦ false
            asset.attributes.active == true ¦ true
            asset.attributes.stops == 'a' ¦ false
            asset.attributes.stops != 'a' ¦ true
            asset.attributes.stops < 'a' ¦ false
            has(asset.attributes.spare) ¦ true
            has(asset.attributes.missing) ¦ false
            asset.attributes['load kg'] >= 9007199254740992 ¦ true
            '\uFFFF' < '😀' ¦ true
            request.time.getHours('Europe/Paris') == 10 && request.time.getDayOfWeek() == 1 ¦ true
            request.time.getMonth() == 2 && request.time.getDate() == 2 && request.time.getDayOfMonth() == 1 ¦ true
            asset.tags.exists(t, t == 'north') ¦ true
            asset.tags.exists(t, t == 'south') ¦ false
            asset.tags.exists(t, t == 'south' || asset.attributes.missing == 1) ¦ false
            asset.tags.exists(t, t == 'north' || asset.attributes.missing == 1) ¦ true
            asset.id.startsWith('0b9f6a2e-') ¦ true
            subject.kind == 'user' && 'dispatch' in subject.groups ¦ true
            """)
    void in_memory_a_condition_decides_like_cel_with_an_error_counting_as_false(String expression, boolean holds) {
        Map<String, Object> attributes = new java.util.LinkedHashMap<>();
        attributes.put("depot", "north");
        attributes.put("seats", 4);
        attributes.put("spare", null);
        attributes.put("active", true);
        attributes.put("stops", List.of("a"));
        attributes.put("load kg", 9007199254740993L);
        AssetAttributes asset = new AssetAttributes(ID, "T-1", "truck", List.of("north", "x"), "internal", attributes);

        assertThat(AccessCondition.compile(expression).test(SUBJECT, asset, TEN_IN_PARIS))
                .isEqualTo(holds);
    }
}
