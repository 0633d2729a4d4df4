package io.sextant.access.condition;

import static org.assertj.core.api.Assertions.assertThat;

import io.sextant.shared.access.SqlPredicate;
import io.sextant.testing.MigratedDatabases;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.json.JsonMapper;

/**
 * The two forms of {@link AccessCondition} decide the same: for random assets stored in the {@code
 * asset} table and random conditions from the whole fragment, the SQL predicate selects exactly the
 * rows {@link AccessCondition#test} accepts, and nothing else. Attribute values of every JSON kind,
 * missing keys, and strings full of LIKE wildcards, quotes, backslashes and non-ASCII characters
 * make a difference in escaping, collation, typing or error handling show.
 */
class AccessConditionSqlIT {

    private static final JdbcClient JDBC = MigratedDatabases.create();
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final ConditionArbitraries ARBITRARIES = ConditionArbitraries.all();

    static {
        // The string columns in a natural-language collation where the server has one, so that an
        // ordering written without collate "C" selects differently from the code point order.
        JDBC.sql("""
                        do $$ begin
                          if exists (select 1 from pg_collation where collname = 'und-x-icu') then
                            alter table asset
                              alter column external_id type text collate "und-x-icu",
                              alter column type type text collate "und-x-icu",
                              alter column classification type text collate "und-x-icu";
                          end if;
                        end $$""").update();
    }

    @Property(tries = 500)
    void the_sql_predicate_selects_exactly_the_assets_the_condition_accepts_in_memory(
            @ForAll("assets") List<AssetAttributes> assets,
            @ForAll("conditions") List<String> expressions,
            @ForAll("subjects") SubjectAttributes subject,
            @ForAll("times") Instant requestTime) {
        UUID tenant = MigratedDatabases.tenant(JDBC);
        assets.forEach(asset -> insert(tenant, asset));

        for (String expression : expressions) {
            AccessCondition condition = AccessCondition.compile(expression);
            Set<UUID> accepted = assets.stream()
                    .filter(asset -> condition.test(subject, asset, requestTime))
                    .map(AssetAttributes::id)
                    .collect(Collectors.toSet());

            assertThat(select(tenant, condition.toSql(subject, requestTime, "a", "c_")))
                    .as("%s for %s at %s over %s", expression, subject, requestTime, assets)
                    .isEqualTo(accepted);
            Statistics.collect(
                    accepted.isEmpty() ? "no asset" : accepted.size() == assets.size() ? "every asset" : "some");
        }
        // Predicates that select nothing, or everything, would prove little. (A share of about a
        // sixth, at random: the bound leaves room for the spread between runs, one run measured 14.7 %.)
        Statistics.coverage(coverage -> coverage.check("some").percentage(p -> p >= 10));
    }

    @Example
    void a_missing_attribute_is_neither_equal_nor_unequal_but_an_or_with_a_true_side_still_holds() {
        UUID tenant = MigratedDatabases.tenant(JDBC);
        AssetAttributes with = asset("with", Map.of("depot", "north"));
        AssetAttributes without = asset("without", Map.of());
        insert(tenant, with);
        insert(tenant, without);
        SubjectAttributes subject = new SubjectAttributes("u1", "user", Set.of());
        Instant now = Instant.parse("2026-03-01T10:00:00Z");

        assertThat(select(
                        tenant,
                        AccessCondition.compile("asset.attributes.depot == 'north'")
                                .toSql(subject, now, "a", "c_")))
                .containsExactly(with.id());
        assertThat(select(
                        tenant,
                        AccessCondition.compile("asset.attributes.depot != 'north'")
                                .toSql(subject, now, "a", "c_")))
                .isEmpty();
        assertThat(select(
                        tenant,
                        AccessCondition.compile("asset.attributes.depot != 'north' || asset.type == 'truck'")
                                .toSql(subject, now, "a", "c_")))
                .containsExactlyInAnyOrder(with.id(), without.id());
    }

    @Example
    void a_prefix_with_wildcards_matches_only_itself() {
        UUID tenant = MigratedDatabases.tenant(JDBC);
        AssetAttributes underscore = asset("a_b-1", Map.of());
        insert(tenant, underscore);
        insert(tenant, asset("axb-1", Map.of()));
        insert(tenant, asset("a%b-1", Map.of()));
        SqlPredicate predicate = AccessCondition.compile("asset.externalId.startsWith('a_b')")
                .toSql(new SubjectAttributes("u1", "user", Set.of()), Instant.now(), "a", "c_");

        assertThat(select(tenant, predicate)).containsExactly(underscore.id());
    }

    private static AssetAttributes asset(String externalId, Map<String, Object> attributes) {
        return new AssetAttributes(UUID.randomUUID(), externalId, "truck", List.of(), "internal", attributes);
    }

    private static Set<UUID> select(UUID tenant, SqlPredicate predicate) {
        return Set.copyOf(JDBC.sql("select a.id from asset a where a.tenant_id = :tenant and " + predicate.sql())
                .param("tenant", tenant)
                .params(predicate.params())
                .query(UUID.class)
                .list());
    }

    private static void insert(UUID tenant, AssetAttributes asset) {
        JDBC.sql("""
                        insert into asset (id, tenant_id, external_id, name, type, tags, attributes, classification)
                        values (:id, :tenant, :externalId, 'Test asset', :type, cast(:tags as text[]),
                                cast(:attributes as jsonb), :classification)""")
                .param("id", asset.id())
                .param("tenant", tenant)
                .param("externalId", asset.externalId())
                .param("type", asset.type())
                .param("tags", asset.tags().toArray(String[]::new))
                .param("attributes", JSON.writeValueAsString(asset.attributes()))
                .param("classification", asset.classification())
                .update();
    }

    @Provide
    Arbitrary<List<AssetAttributes>> assets() {
        return ARBITRARIES.assetLists();
    }

    @Provide
    Arbitrary<List<String>> conditions() {
        return ARBITRARIES.conditions().list().ofMinSize(1).ofMaxSize(6);
    }

    @Provide
    Arbitrary<SubjectAttributes> subjects() {
        return ARBITRARIES.subjects();
    }

    @Provide
    Arbitrary<Instant> times() {
        return ARBITRARIES.times();
    }
}
