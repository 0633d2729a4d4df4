package io.sextant.access;

import static org.assertj.core.api.Assertions.assertThat;

import io.sextant.asset.Classification;
import io.sextant.shared.access.AccessPolicy;
import io.sextant.shared.access.AssetFacts;
import io.sextant.shared.access.EffectiveGrant;
import io.sextant.shared.access.Scope;
import io.sextant.shared.access.Visibility;
import io.sextant.shared.geo.GeoJsonGeometries;
import io.sextant.zone.ZoneSchedule;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.Geometry;

/**
 * The decision, scope kind by scope kind and in combination: what one grant reaches, the union of
 * grants, and the boundaries (schedule edges across midnight and daylight-saving time, region
 * edges, validity instants, clearance order, window edges).
 */
class AccessDecisionTableTest {

    private static final Instant NOW = Instant.parse("2026-06-10T12:00:00Z");
    private static final UUID TRUCK = UUID.fromString("00000000-0000-7000-8000-000000000001");
    private static final UUID VAN = UUID.fromString("00000000-0000-7000-8000-000000000002");

    /** The square lon 0..1, lat 0..1. */
    private static final Geometry SQUARE = GeoJsonGeometries.FACTORY.createPolygon(new Coordinate[] {
        new Coordinate(0, 0), new Coordinate(1, 0), new Coordinate(1, 1), new Coordinate(0, 1), new Coordinate(0, 0)
    });

    private static AssetFacts asset(UUID id, String classification, String... tags) {
        return new AssetFacts(id, "ext-" + id, "truck", List.of(tags), classification, Map.of());
    }

    private static Scope scope(
            @Nullable Geometry region,
            @Nullable ZoneSchedule hours,
            @Nullable Duration window,
            boolean duringShifts,
            Set<String> classifications,
            Set<String> assetTags,
            Set<UUID> assets,
            Set<String> zoneTags) {
        return new Scope(
                region == null ? null : new ZonesRegion(List.of(), region, "a polygon"),
                hours,
                window,
                duringShifts,
                classifications,
                assetTags,
                assets,
                zoneTags,
                null);
    }

    private static Scope region(Geometry area) {
        return scope(area, null, null, false, Set.of(), Set.of(), Set.of(), Set.of());
    }

    private static EffectiveGrant grant(String id, Scope scope) {
        return new EffectiveGrant(id, "viewer", Set.of("positions:read", "assets:read"), scope, null, null);
    }

    private static Visibility visibility(EffectiveGrant... grants) {
        return new AccessPolicy("user:test", List.of(grants)).visibility("positions:read", NOW);
    }

    @Nested
    class Permissions_and_validity {

        @Test
        void an_unscoped_grant_reaches_everything_and_a_missing_permission_nothing() {
            EffectiveGrant all = EffectiveGrant.unscoped("role:viewer", "viewer", Set.of("positions:read"));
            AccessPolicy policy = new AccessPolicy("user:test", List.of(all));
            assertThat(policy.visibility("positions:read", NOW)).isEqualTo(Visibility.ALL);
            assertThat(policy.visibility("positions:write", NOW)).isEqualTo(Visibility.NONE);
            assertThat(policy.permits("positions:read", NOW)).isTrue();
            assertThat(policy.permits("positions:write", NOW)).isFalse();
        }

        @Test
        void a_grant_counts_from_valid_from_inclusive_until_valid_until_exclusive() {
            Instant from = NOW.minusSeconds(60);
            Instant until = NOW.plusSeconds(60);
            EffectiveGrant limited =
                    new EffectiveGrant("g", "viewer", Set.of("positions:read"), Scope.UNRESTRICTED, from, until);
            assertThat(limited.inForce(from.minusNanos(1000))).isFalse();
            assertThat(limited.inForce(from)).isTrue();
            assertThat(limited.inForce(until.minusNanos(1000))).isTrue();
            assertThat(limited.inForce(until)).isFalse();
            assertThat(limited.whyNotInForce(until)).contains("expired");
            AccessPolicy policy = new AccessPolicy("user:test", List.of(limited));
            assertThat(policy.permits("positions:read", until)).isFalse();
            assertThat(policy.visibility("positions:read", until)).isEqualTo(Visibility.NONE);
        }

        @Test
        void a_limited_grant_is_not_unconditional_so_it_cannot_be_handed_on() {
            EffectiveGrant limited = new EffectiveGrant(
                    "g", "viewer", Set.of("positions:read"), Scope.UNRESTRICTED, null, NOW.plusSeconds(1));
            EffectiveGrant own = EffectiveGrant.unscoped("role:x", "x", Set.of("assets:read"));
            AccessPolicy policy = new AccessPolicy("user:test", List.of(limited, own));
            assertThat(policy.unconditionalPermissions()).containsExactly("assets:read");
        }
    }

    @Nested
    class Schedules {

        /** Fridays 22:00 to Saturdays 06:00, Berlin time. */
        private final ZoneSchedule nights = new ZoneSchedule(
                List.of(new ZoneSchedule.Window(EnumSet.of(DayOfWeek.FRIDAY), LocalTime.of(22, 0), LocalTime.of(6, 0))),
                ZoneId.of("Europe/Berlin"),
                null,
                null);

        /** Sundays 08:00 to 16:00, Berlin time. */
        private final ZoneSchedule sundays = new ZoneSchedule(
                List.of(new ZoneSchedule.Window(EnumSet.of(DayOfWeek.SUNDAY), LocalTime.of(8, 0), LocalTime.of(16, 0))),
                ZoneId.of("Europe/Berlin"),
                null,
                null);

        private EffectiveGrant on(ZoneSchedule schedule) {
            return grant("g", scope(null, schedule, null, false, Set.of(), Set.of(), Set.of(), Set.of()));
        }

        @Test
        void a_shift_across_midnight_holds_until_its_end_the_next_morning() {
            EffectiveGrant grant = on(nights);
            // Friday 2026-06-12 22:00 Berlin (CEST, +2) is 20:00 UTC; Saturday 06:00 is 04:00 UTC.
            assertThat(grant.inForce(Instant.parse("2026-06-12T19:59:59Z"))).isFalse();
            assertThat(grant.inForce(Instant.parse("2026-06-12T20:00:00Z"))).isTrue();
            assertThat(grant.inForce(Instant.parse("2026-06-13T03:59:59Z"))).isTrue();
            assertThat(grant.inForce(Instant.parse("2026-06-13T04:00:00Z"))).isFalse();
        }

        @Test
        void a_shift_follows_the_local_clock_across_daylight_saving_time() {
            EffectiveGrant grant = on(sundays);
            // 2026-03-29: Berlin moves from +1 to +2 at 01:00 UTC, so 08:00 local is 06:00 UTC.
            assertThat(grant.inForce(Instant.parse("2026-03-29T05:59:59Z"))).isFalse();
            assertThat(grant.inForce(Instant.parse("2026-03-29T06:00:00Z"))).isTrue();
            assertThat(grant.inForce(Instant.parse("2026-03-29T13:59:59Z"))).isTrue();
            assertThat(grant.inForce(Instant.parse("2026-03-29T14:00:00Z"))).isFalse();
            // A week earlier, still on +1: 08:00 local is 07:00 UTC.
            assertThat(grant.inForce(Instant.parse("2026-03-22T06:30:00Z"))).isFalse();
            assertThat(grant.inForce(Instant.parse("2026-03-22T07:00:00Z"))).isTrue();
        }

        @Test
        void outside_its_shift_a_grant_gives_neither_the_function_nor_the_data() {
            AccessPolicy policy = new AccessPolicy("user:test", List.of(on(sundays)));
            Instant monday = Instant.parse("2026-06-15T10:00:00Z");
            assertThat(policy.permits("positions:read", monday)).isFalse();
            assertThat(policy.visibility("positions:read", monday)).isEqualTo(Visibility.NONE);
            Instant sunday = Instant.parse("2026-06-14T10:00:00Z");
            assertThat(policy.permits("positions:read", sunday)).isTrue();
            // Acting hours alone do not narrow the data.
            assertThat(policy.visibility("positions:read", sunday)).isEqualTo(Visibility.ALL);
        }

        @Test
        void data_during_shifts_reaches_only_data_recorded_within_them() {
            Scope shifts = scope(null, sundays, null, true, Set.of(), Set.of(), Set.of(), Set.of());
            Instant sunday = Instant.parse("2026-06-14T10:00:00Z");
            assertThat(shifts.reachesDataTime(Instant.parse("2026-06-07T09:00:00Z"), sunday))
                    .isTrue();
            assertThat(shifts.reachesDataTime(Instant.parse("2026-06-08T09:00:00Z"), sunday))
                    .isFalse();
            assertThat(shifts.whyNotDataTime(Instant.parse("2026-06-08T09:00:00Z"), sunday))
                    .contains("outside the subject's shifts");
        }
    }

    @Nested
    class Data_scopes {

        @Test
        void a_region_includes_its_boundary_and_nothing_outside() {
            Visibility v = visibility(grant("g", region(SQUARE)));
            AssetFacts truck = asset(TRUCK, "internal");
            assertThat(v.reachesData(truck, 0.5, 0.5, NOW, NOW)).isTrue();
            assertThat(v.reachesData(truck, 1.0, 0.5, NOW, NOW)).isTrue();
            assertThat(v.reachesData(truck, 0.0, 0.0, NOW, NOW)).isTrue();
            assertThat(v.reachesData(truck, 1.000001, 0.5, NOW, NOW)).isFalse();
            assertThat(v.reachesData(truck, -0.5, -0.5, NOW, NOW)).isFalse();
        }

        @Test
        void a_region_of_zones_since_deleted_covers_nothing_rather_than_everything() {
            Visibility v = visibility(grant(
                    "g",
                    new Scope(
                            new ZonesRegion(List.of(), null, "zones [gone]"),
                            null,
                            null,
                            false,
                            Set.of(),
                            Set.of(),
                            Set.of(),
                            Set.of(),
                            null)));
            assertThat(v).isInstanceOf(Visibility.Scoped.class);
            assertThat(v.reachesData(asset(TRUCK, "internal"), 0.5, 0.5, NOW, NOW))
                    .isFalse();
        }

        @Test
        void an_asset_is_reached_when_its_latest_position_is_inside_or_the_grant_names_it() {
            Scope square = region(SQUARE);
            AssetFacts truck = asset(TRUCK, "internal");
            assertThat(square.whyNotAssetObject(truck, new double[] {0.5, 0.5})).isEmpty();
            assertThat(square.whyNotAssetObject(truck, new double[] {5, 5}))
                    .singleElement()
                    .asString()
                    .contains("outside the region");
            assertThat(square.whyNotAssetObject(truck, null))
                    .singleElement()
                    .asString()
                    .contains("no latest position");
            Scope named = scope(SQUARE, null, null, false, Set.of(), Set.of(), Set.of(TRUCK), Set.of());
            assertThat(named.whyNotAssetObject(truck, new double[] {5, 5})).isEmpty();
            assertThat(named.whyNotAssetObject(asset(VAN, "internal"), new double[] {0.5, 0.5}))
                    .singleElement()
                    .asString()
                    .contains("not one the grant names");
            // Its positions outside the region stay out of reach, named or not.
            assertThat(named.reachesPoint(5, 5)).isFalse();
        }

        @Test
        void clearance_reaches_its_level_and_those_below_in_order() {
            Set<String> reached = ScopeResolver.classificationsUpTo(Classification.CONFIDENTIAL);
            assertThat(reached).containsExactlyInAnyOrder("public", "internal", "confidential");
            assertThat(ScopeResolver.classificationsUpTo(Classification.PUBLIC)).containsExactly("public");
            Scope confidential = scope(null, null, null, false, reached, Set.of(), Set.of(), Set.of());
            assertThat(confidential.reachesAsset(asset(TRUCK, "public"))).isTrue();
            assertThat(confidential.reachesAsset(asset(TRUCK, "internal"))).isTrue();
            assertThat(confidential.reachesAsset(asset(TRUCK, "confidential"))).isTrue();
            assertThat(confidential.reachesAsset(asset(TRUCK, "restricted"))).isFalse();
        }

        @Test
        void asset_tags_need_one_in_common() {
            Scope north = scope(null, null, null, false, Set.of(), Set.of("north", "east"), Set.of(), Set.of());
            assertThat(north.reachesAsset(asset(TRUCK, "internal", "north"))).isTrue();
            assertThat(north.reachesAsset(asset(TRUCK, "internal", "east", "x")))
                    .isTrue();
            assertThat(north.reachesAsset(asset(TRUCK, "internal", "south"))).isFalse();
            assertThat(north.reachesAsset(asset(TRUCK, "internal"))).isFalse();
        }

        @Test
        void a_sliding_window_reaches_back_exactly_its_length() {
            Scope day = scope(null, null, Duration.ofHours(24), false, Set.of(), Set.of(), Set.of(), Set.of());
            assertThat(day.reachesDataTime(NOW.minus(Duration.ofHours(24)), NOW))
                    .isTrue();
            assertThat(day.reachesDataTime(NOW.minus(Duration.ofHours(24)).minusNanos(1000), NOW))
                    .isFalse();
            assertThat(day.reachesDataTime(NOW, NOW)).isTrue();
        }

        @Test
        void zone_tags_select_zones() {
            Visibility v = visibility(
                    grant("g", scope(null, null, null, false, Set.of(), Set.of(), Set.of(), Set.of("public"))));
            assertThat(v.reachesZone(List.of("public", "depot"))).isTrue();
            assertThat(v.reachesZone(List.of("private"))).isFalse();
        }
    }

    @Nested
    class Combinations {

        @Test
        void every_part_of_one_grant_must_hold() {
            Scope both = scope(SQUARE, null, Duration.ofHours(1), false, Set.of(), Set.of("north"), Set.of(), Set.of());
            Visibility v = visibility(grant("g", both));
            AssetFacts north = asset(TRUCK, "internal", "north");
            AssetFacts south = asset(VAN, "internal", "south");
            assertThat(v.reachesData(north, 0.5, 0.5, NOW, NOW)).isTrue();
            assertThat(v.reachesData(south, 0.5, 0.5, NOW, NOW)).isFalse();
            assertThat(v.reachesData(north, 5, 5, NOW, NOW)).isFalse();
            assertThat(v.reachesData(north, 0.5, 0.5, NOW.minus(Duration.ofHours(2)), NOW))
                    .isFalse();
        }

        @Test
        void grants_add_up_to_their_union_without_mixing_their_parts() {
            Geometry farSquare = SQUARE.copy();
            farSquare.apply((org.locationtech.jts.geom.CoordinateFilter) c -> c.x += 10);
            farSquare.geometryChanged();
            Visibility v = visibility(
                    grant("near", scope(SQUARE, null, null, false, Set.of(), Set.of("north"), Set.of(), Set.of())),
                    grant("far", scope(farSquare, null, null, false, Set.of(), Set.of("south"), Set.of(), Set.of())));
            AssetFacts north = asset(TRUCK, "internal", "north");
            AssetFacts south = asset(VAN, "internal", "south");
            assertThat(v.reachesData(north, 0.5, 0.5, NOW, NOW)).isTrue();
            assertThat(v.reachesData(south, 10.5, 0.5, NOW, NOW)).isTrue();
            // A north asset in the far square: each grant fails a different part, so neither allows.
            assertThat(v.reachesData(north, 10.5, 0.5, NOW, NOW)).isFalse();
            assertThat(v.reachesData(south, 0.5, 0.5, NOW, NOW)).isFalse();
        }

        @Test
        void one_unscoped_grant_among_scoped_ones_reaches_everything() {
            Visibility v = visibility(
                    grant("scoped", region(SQUARE)),
                    EffectiveGrant.unscoped("role:viewer", "viewer", Set.of("positions:read")));
            assertThat(v).isEqualTo(Visibility.ALL);
        }
    }
}
