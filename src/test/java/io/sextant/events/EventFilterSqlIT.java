package io.sextant.events;

import static org.assertj.core.api.Assertions.assertThat;

import io.sextant.shared.TenantContext;
import io.sextant.testing.MigratedDatabases;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import javax.sql.DataSource;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.support.StaticListableBeanFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;

/**
 * The two forms of {@link EventFilter} select the same events: the SQL predicate, run by the event
 * log search against PostgreSQL, returns exactly the events {@link EventFilter#matches} accepts.
 * Types are drawn from segments holding LIKE's wildcards and escape character, so a prefix that is
 * not escaped shows up as a difference.
 */
class EventFilterSqlIT {

    private static final DataSource DATA_SOURCE = MigratedDatabases.createDataSource();
    private static final JdbcClient JDBC = JdbcClient.create(DATA_SOURCE);
    private static final EventRepository REPOSITORY = new EventRepository(
            JDBC, new JdbcTemplate(DATA_SOURCE), JsonMapper.builder().build());
    private static final EventLog EVENT_LOG =
            new EventLog(REPOSITORY, new StaticListableBeanFactory().getBeanProvider(OutboxRelay.class));
    // Without a caller the search serves internal work: no grant narrows it, and the asset registry
    // (which only a scoped search reads) is not needed.
    private static final EventQueries QUERIES =
            new EventQueries(REPOSITORY, EVENT_LOG, new EventVisibility(null), java.time.Clock.systemUTC());

    private static final List<String> SEGMENTS =
            List.of("a", "b", "ab", "a_b", "axb", "a%b", "a\\b", "_", "%", "\\", "*", "A", "é", "enter", "exit");
    private static final List<String> TAGS = List.of("north", "t_1", "tx1", "t%", "a\\b", "x");
    private static final List<UUID> ASSETS = List.of(UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID());
    private static final List<UUID> ZONES = List.of(UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID());
    private static final Instant START = Instant.parse("2026-03-01T00:00:00Z");

    @Property(tries = 150)
    void the_sql_predicate_selects_exactly_the_events_the_filter_matches_in_memory(
            @ForAll("events") List<Draft> drafts, @ForAll("filters") List<EventFilter> filters) {
        List<UUID> tenants = List.of(MigratedDatabases.tenant(JDBC), MigratedDatabases.tenant(JDBC));
        List<Event> events = new ArrayList<>();
        for (int i = 0; i < drafts.size(); i++) {
            Draft draft = drafts.get(i);
            events.add(insert(
                    tenants.get(draft.tenant()),
                    draft.type(),
                    START.plusSeconds(i),
                    draft.assetId(),
                    draft.zoneId(),
                    draft.assetTags(),
                    draft.zoneTags()));
        }

        for (EventFilter filter : filters) {
            for (UUID tenant : tenants) {
                List<UUID> expected = events.stream()
                        .filter(e -> e.tenantId().equals(tenant) && filter.matches(e))
                        .sorted(Comparator.comparing(Event::time))
                        .map(Event::id)
                        .toList();
                List<UUID> selected = REPOSITORY.search(tenant, filter, null, null, false, null, 1000).stream()
                        .map(Event::id)
                        .toList();
                assertThat(selected).as("%s for %s", filter, tenant).containsExactlyElementsOf(expected);
            }
        }
    }

    @Example
    void a_type_prefix_with_an_underscore_does_not_match_a_type_with_another_character_in_its_place() {
        UUID tenant = MigratedDatabases.tenant(JDBC);
        Event underscore = insert(tenant, "a_b.enter", START, null, null, List.of(), List.of());
        insert(tenant, "axb.enter", START.plusSeconds(1), null, null, List.of(), List.of());
        insert(tenant, "a%b.enter", START.plusSeconds(2), null, null, List.of(), List.of());
        EventFilter filter = new EventFilter(Set.of("a_b.*"), Set.of(), Set.of(), Set.of(), Set.of());

        List<Event> found = TenantContext.callAs(
                tenant,
                () -> QUERIES.search(filter, null, null, false, null, 10).items());

        assertThat(found).extracting(Event::id).containsExactly(underscore.id());
    }

    @Example
    void a_type_prefix_with_a_percent_sign_or_backslash_matches_only_itself() {
        UUID tenant = MigratedDatabases.tenant(JDBC);
        Event percent = insert(tenant, "a%.enter", START, null, null, List.of(), List.of());
        Event backslash = insert(tenant, "a\\.enter", START.plusSeconds(1), null, null, List.of(), List.of());
        insert(tenant, "ab.enter", START.plusSeconds(2), null, null, List.of(), List.of());
        insert(tenant, "a.enter", START.plusSeconds(3), null, null, List.of(), List.of());

        assertThat(REPOSITORY.search(tenant, types("a%.*"), null, null, false, null, 10))
                .extracting(Event::id)
                .containsExactly(percent.id());
        assertThat(REPOSITORY.search(tenant, types("a\\.*"), null, null, false, null, 10))
                .extracting(Event::id)
                .containsExactly(backslash.id());
    }

    private static EventFilter types(String... types) {
        return new EventFilter(Set.of(types), Set.of(), Set.of(), Set.of(), Set.of());
    }

    /** An event to insert: which of the try's two tenants, and what the filter can look at. */
    record Draft(
            int tenant,
            String type,
            @Nullable UUID assetId,
            @Nullable UUID zoneId,
            List<String> assetTags,
            List<String> zoneTags) {}

    @Provide
    Arbitrary<List<Draft>> events() {
        Arbitrary<Draft> draft = Combinators.combine(
                        Arbitraries.integers().between(0, 1),
                        type(),
                        Arbitraries.of(ASSETS).injectNull(0.25),
                        Arbitraries.of(ZONES).injectNull(0.25),
                        tags(3).map(List::copyOf),
                        tags(3).map(List::copyOf))
                .as(Draft::new);
        return draft.list().ofMaxSize(25);
    }

    @Provide
    Arbitrary<List<EventFilter>> filters() {
        Arbitrary<String> wildcard = segments().list().ofMinSize(1).ofMaxSize(3).map(s -> String.join(".", s) + ".*");
        Arbitrary<Set<String>> types = Arbitraries.oneOf(type(), wildcard).set().ofMaxSize(3);
        Arbitrary<EventFilter> filter = Combinators.combine(
                        types,
                        Arbitraries.of(ASSETS).set().ofMaxSize(2),
                        Arbitraries.of(ZONES).set().ofMaxSize(2),
                        tags(2),
                        tags(2))
                .as(EventFilter::new);
        return filter.list().ofMinSize(1).ofMaxSize(4);
    }

    private static Arbitrary<String> segments() {
        return Arbitraries.of(SEGMENTS);
    }

    private static Arbitrary<String> type() {
        return segments().list().ofMinSize(1).ofMaxSize(4).map(s -> String.join(".", s));
    }

    private static Arbitrary<Set<String>> tags(int most) {
        return Arbitraries.of(TAGS).set().ofMaxSize(most);
    }

    private static Event insert(
            UUID tenant,
            String type,
            Instant time,
            @Nullable UUID assetId,
            @Nullable UUID zoneId,
            List<String> assetTags,
            List<String> zoneTags) {
        UUID id = UUID.randomUUID();
        JDBC.sql("""
                        insert into event (id, tenant_id, type, source, time, asset_id, zone_id, asset_tags, zone_tags, data)
                        values (:id, :tenantId, :type, '/test', :time, :assetId, :zoneId,
                                cast(:assetTags as text[]), cast(:zoneTags as text[]), '{}')""")
                .param("id", id)
                .param("tenantId", tenant)
                .param("type", type)
                .param("time", Timestamp.from(time))
                .param("assetId", assetId)
                .param("zoneId", zoneId)
                .param("assetTags", assetTags.toArray(String[]::new))
                .param("zoneTags", zoneTags.toArray(String[]::new))
                .update();
        return new Event(
                id,
                tenant,
                type,
                "/test",
                null,
                time,
                time,
                assetId,
                zoneId,
                assetTags,
                zoneTags,
                JsonNodeFactory.instance.objectNode(),
                LogPosition.START);
    }
}
