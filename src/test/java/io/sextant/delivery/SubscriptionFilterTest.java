package io.sextant.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import io.sextant.events.Event;
import io.sextant.events.EventTypes;
import io.sextant.events.LogPosition;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.JsonNodeFactory;

class SubscriptionFilterTest {

    private static final UUID ZONE = UUID.randomUUID();
    private static final UUID OTHER_ZONE = UUID.randomUUID();
    private static final UUID ASSET = UUID.randomUUID();
    private static final UUID OTHER_ASSET = UUID.randomUUID();

    private final Event entered =
            event(EventTypes.ZONE_ENTERED, ZONE, ASSET, List.of("depot"), List.of("truck", "north"));

    @Test
    void an_empty_filter_matches_every_event() {
        assertThat(SubscriptionFilter.ALL.matches(entered)).isTrue();
        assertThat(SubscriptionFilter.ALL.matches(
                        event(EventTypes.SUBSCRIPTION_DISABLED, null, null, List.of(), List.of())))
                .isTrue();
    }

    @Test
    void within_a_field_any_value_matches() {
        assertThat(filter(
                                List.of(EventTypes.ZONE_EXITED, EventTypes.ZONE_ENTERED),
                                List.of(),
                                List.of(),
                                List.of(),
                                List.of())
                        .matches(entered))
                .isTrue();
        assertThat(filter(List.of(), List.of(OTHER_ZONE, ZONE), List.of(), List.of(), List.of())
                        .matches(entered))
                .isTrue();
        assertThat(filter(List.of(), List.of(), List.of("yard", "depot"), List.of(), List.of())
                        .matches(entered))
                .isTrue();
        assertThat(filter(List.of(), List.of(), List.of(), List.of(OTHER_ASSET, ASSET), List.of())
                        .matches(entered))
                .isTrue();
        assertThat(filter(List.of(), List.of(), List.of(), List.of(), List.of("south", "north"))
                        .matches(entered))
                .isTrue();
    }

    @Test
    void a_field_none_of_whose_values_the_event_carries_does_not_match() {
        assertThat(filter(List.of(EventTypes.ZONE_EXITED), List.of(), List.of(), List.of(), List.of())
                        .matches(entered))
                .isFalse();
        assertThat(filter(List.of(), List.of(OTHER_ZONE), List.of(), List.of(), List.of())
                        .matches(entered))
                .isFalse();
        assertThat(filter(List.of(), List.of(), List.of("yard"), List.of(), List.of())
                        .matches(entered))
                .isFalse();
        assertThat(filter(List.of(), List.of(), List.of(), List.of(OTHER_ASSET), List.of())
                        .matches(entered))
                .isFalse();
        assertThat(filter(List.of(), List.of(), List.of(), List.of(), List.of("south"))
                        .matches(entered))
                .isFalse();
    }

    @Test
    void across_fields_every_condition_must_hold() {
        SubscriptionFilter both =
                filter(List.of(EventTypes.ZONE_ENTERED), List.of(ZONE), List.of(), List.of(), List.of("south"));

        assertThat(both.matches(entered)).isFalse();
        assertThat(filter(List.of(EventTypes.ZONE_ENTERED), List.of(ZONE), List.of(), List.of(ASSET), List.of("north"))
                        .matches(entered))
                .isTrue();
    }

    @Test
    void an_event_about_no_zone_or_asset_does_not_match_a_zone_or_asset_condition() {
        Event disabled = event(EventTypes.SUBSCRIPTION_DISABLED, null, null, List.of(), List.of());

        assertThat(filter(List.of(), List.of(ZONE), List.of(), List.of(), List.of())
                        .matches(disabled))
                .isFalse();
        assertThat(filter(List.of(), List.of(), List.of(), List.of(ASSET), List.of())
                        .matches(disabled))
                .isFalse();
        assertThat(filter(List.of(), List.of(), List.of("depot"), List.of(), List.of())
                        .matches(disabled))
                .isFalse();
    }

    @Test
    void a_prefix_wildcard_matches_every_type_under_it_and_nothing_else() {
        SubscriptionFilter zones = filter(List.of("sextant.zone.*"), List.of(), List.of(), List.of(), List.of());

        assertThat(zones.matches(entered)).isTrue();
        assertThat(zones.matches(event(EventTypes.ZONE_DWELL, ZONE, ASSET, List.of(), List.of())))
                .isTrue();
        assertThat(zones.matches(event(EventTypes.ASSET_STALE, null, ASSET, List.of(), List.of())))
                .isFalse();
        assertThat(filter(List.of("sextant.*"), List.of(), List.of(), List.of(), List.of())
                        .matches(entered))
                .isTrue();
    }

    @Test
    void known_types_and_wildcards_that_match_one_are_valid() {
        SubscriptionFilter valid = filter(
                List.of(EventTypes.ZONE_ENTERED, "sextant.*", "sextant.zone.*", EventTypes.SUBSCRIPTION_DISABLED),
                List.of(ZONE),
                List.of("depot"),
                List.of(ASSET),
                List.of("truck"));

        assertThat(valid.problems()).isEmpty();
        assertThat(EventTypes.ALL).contains(EventTypes.ZONE_ENTERED, EventTypes.SUBSCRIPTION_DISABLED);
    }

    @Test
    void unknown_types_wildcards_matching_nothing_bad_tags_repeats_and_oversized_fields_are_each_named() {
        List<String> manyTags = java.util.stream.IntStream.rangeClosed(0, SubscriptionFilter.MAX_VALUES)
                .mapToObj(i -> "t" + i)
                .toList();
        SubscriptionFilter invalid = filter(
                List.of("sextant.zone.enterd", "sextant.nothing.*", "zone.*"),
                List.of(ZONE, ZONE),
                List.of("Depot"),
                List.of(),
                manyTags);

        assertThat(invalid.problems())
                .extracting(e -> e.field() + ": " + e.reason())
                .containsExactlyInAnyOrder(
                        "filter.zoneIds: has repeated values",
                        "filter.assetTags: at most 100 values (was 101)",
                        "filter.types: 'sextant.zone.enterd' is not an event type; use one of "
                                + String.join(
                                        ", ", EventTypes.ALL.stream().sorted().toList())
                                + " or a prefix wildcard such as sextant.zone.*",
                        "filter.types: 'sextant.nothing.*' matches no event type",
                        "filter.types: 'zone.*' is not an event type; use one of "
                                + String.join(
                                        ", ", EventTypes.ALL.stream().sorted().toList())
                                + " or a prefix wildcard such as sextant.zone.*",
                        "filter.zoneTags: 'Depot' is not a tag: 1-64 lower-case letters, digits and ._:=-,"
                                + " starting with a letter or digit");
    }

    private static SubscriptionFilter filter(
            List<String> types,
            List<UUID> zoneIds,
            List<String> zoneTags,
            List<UUID> assetIds,
            List<String> assetTags) {
        return new SubscriptionFilter(types, zoneIds, zoneTags, assetIds, assetTags);
    }

    private static Event event(
            String type, @Nullable UUID zoneId, @Nullable UUID assetId, List<String> zoneTags, List<String> assetTags) {
        return new Event(
                UUID.randomUUID(),
                UUID.randomUUID(),
                type,
                "/test",
                null,
                Instant.parse("2026-01-01T00:00:00Z"),
                Instant.parse("2026-01-01T00:00:01Z"),
                assetId,
                zoneId,
                assetTags,
                zoneTags,
                JsonNodeFactory.instance.objectNode(),
                new LogPosition(1, 1));
    }
}
