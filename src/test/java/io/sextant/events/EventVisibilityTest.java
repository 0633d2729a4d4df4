package io.sextant.events;

import static org.assertj.core.api.Assertions.assertThat;

import io.sextant.shared.access.AssetFacts;
import io.sextant.shared.access.Scope;
import io.sextant.shared.access.SpatialRegion;
import io.sextant.shared.access.Visibility;
import io.sextant.shared.geo.BoundingBox;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/** The one rule of which events a grant reaches, part by part. */
class EventVisibilityTest {

    private static final Instant NOW = Instant.parse("2026-12-03T12:00:00Z");
    private static final UUID FLEET_A = UUID.randomUUID();
    private static final UUID FLEET_B = UUID.randomUUID();
    private static final Map<UUID, AssetFacts> ASSETS = Map.of(
            FLEET_A, new AssetFacts(FLEET_A, "a", "truck", List.of("fleet-a"), "internal", Map.of()),
            FLEET_B, new AssetFacts(FLEET_B, "b", "truck", List.of("fleet-b"), "internal", Map.of()));

    private static final SpatialRegion NORTH = new SpatialRegion() {
        private final BoundingBox box = new BoundingBox(10, 50, 11, 51);

        @Override
        public boolean covers(double lon, double lat) {
            return box.contains(lon, lat);
        }

        @Override
        public List<BoundingBox> boxes() {
            return List.of(box);
        }

        @Override
        public String describe() {
            return "north";
        }
    };

    private static Scope scope(
            @Nullable SpatialRegion region, @Nullable Duration window, Set<String> assetTags, Set<String> zoneTags) {
        return new Scope(region, null, window, false, Set.of(), assetTags, Set.of(), zoneTags, null);
    }

    private static Event event(
            @Nullable UUID asset, @Nullable Double lon, double lat, @Nullable List<String> zoneTags) {
        return event(asset, lon, lat, zoneTags, NOW.minusSeconds(60));
    }

    private static Event event(
            @Nullable UUID asset, @Nullable Double lon, double lat, @Nullable List<String> zoneTags, Instant time) {
        Map<String, Object> data = new LinkedHashMap<>();
        if (lon != null) {
            data.put("position", Map.of("lon", lon, "lat", lat));
        }
        return new Event(
                UUID.randomUUID(),
                UUID.randomUUID(),
                EventTypes.ZONE_ENTERED,
                "/test",
                null,
                time,
                time,
                asset,
                zoneTags == null ? null : UUID.randomUUID(),
                List.of(),
                zoneTags == null ? List.of() : zoneTags,
                JsonMapper.builder().build().valueToTree(data),
                LogPosition.START);
    }

    private static boolean reaches(Visibility visibility, Event event) {
        return EventVisibility.reaches(visibility, event, NOW, id -> Optional.ofNullable(ASSETS.get(id)));
    }

    private static Visibility scoped(Scope... scopes) {
        return new Visibility.Scoped(List.of(scopes));
    }

    @Test
    void all_reaches_everything_and_none_nothing() {
        Event anything = event(null, null, 0, null);
        assertThat(reaches(Visibility.ALL, anything)).isTrue();
        assertThat(reaches(Visibility.NONE, anything)).isFalse();
    }

    @Test
    void a_region_reaches_events_located_inside_and_none_without_a_location() {
        Visibility north = scoped(scope(NORTH, null, Set.of(), Set.of()));
        assertThat(reaches(north, event(FLEET_A, 10.5, 50.5, null))).isTrue();
        assertThat(reaches(north, event(FLEET_A, 11.0, 51.0, null)))
                .as("boundary")
                .isTrue();
        assertThat(reaches(north, event(FLEET_A, 12.0, 50.5, null))).isFalse();
        assertThat(reaches(north, event(FLEET_A, null, 0, List.of("depot")))).isFalse();
        assertThat(reaches(north, event(null, null, 0, null))).isFalse();
        assertThat(reaches(north, event(null, 10.5, 50.5, null))).isTrue();
    }

    @Test
    void asset_parts_need_an_asset_that_is_reached_on_its_own_facts() {
        Visibility fleetA = scoped(scope(null, null, Set.of("fleet-a"), Set.of()));
        assertThat(reaches(fleetA, event(FLEET_A, null, 0, null))).isTrue();
        assertThat(reaches(fleetA, event(FLEET_B, null, 0, null))).isFalse();
        assertThat(reaches(fleetA, event(UUID.randomUUID(), null, 0, null)))
                .as("unknown asset")
                .isFalse();
        assertThat(reaches(fleetA, event(null, null, 0, null))).isFalse();
    }

    @Test
    void zone_tags_narrow_only_events_about_a_zone() {
        Visibility publicZones = scoped(scope(null, null, Set.of(), Set.of("public")));
        assertThat(reaches(publicZones, event(FLEET_A, null, 0, List.of("public", "x"))))
                .isTrue();
        assertThat(reaches(publicZones, event(FLEET_A, null, 0, List.of("secret"))))
                .isFalse();
        assertThat(reaches(publicZones, event(FLEET_A, null, 0, null))).isTrue();
    }

    @Test
    void a_data_window_reaches_back_from_now_and_grants_unite() {
        Visibility day = scoped(scope(null, Duration.ofDays(1), Set.of(), Set.of()));
        assertThat(reaches(day, event(FLEET_A, null, 0, null, NOW.minus(Duration.ofHours(23)))))
                .isTrue();
        assertThat(reaches(day, event(FLEET_A, null, 0, null, NOW.minus(Duration.ofHours(25)))))
                .isFalse();
        Visibility either = scoped(
                scope(null, Duration.ofDays(1), Set.of(), Set.of()), scope(null, null, Set.of("fleet-b"), Set.of()));
        assertThat(reaches(either, event(FLEET_B, null, 0, null, NOW.minus(Duration.ofDays(3)))))
                .isTrue();
        assertThat(reaches(either, event(FLEET_A, null, 0, null, NOW.minus(Duration.ofDays(3)))))
                .isFalse();
    }
}
