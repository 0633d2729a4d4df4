package io.sextant.shared.access;

import static org.assertj.core.api.Assertions.assertThat;

import io.sextant.shared.access.Reach.ScopeAssets;
import io.sextant.shared.geo.BoundingBox;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/**
 * A reach compiled for many rows decides each exactly as the single check does, whichever way its
 * asset parts are decided, and its SQL prefilters (admitted assets, earliest time) never drop a row
 * it reaches.
 */
class ReachTest {

    private static final Instant NOW = Instant.parse("2026-12-04T12:00:00Z");
    private static final List<String> TAGS = List.of("fleet-a", "fleet-b", "fleet-c");
    private static final List<String> CLASSES = List.of("public", "internal", "restricted");

    @Test
    void a_reach_decides_every_position_as_the_single_check_and_its_prefilters_keep_every_reached_row() {
        Random random = new Random(20261204);
        List<AssetFacts> assets = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            UUID id = UUID.randomUUID();
            assets.add(new AssetFacts(
                    id,
                    "a" + i,
                    "truck",
                    List.of(TAGS.get(random.nextInt(TAGS.size()))),
                    CLASSES.get(random.nextInt(CLASSES.size())),
                    Map.of()));
        }
        Map<UUID, AssetFacts> byId = new java.util.HashMap<>();
        assets.forEach(a -> byId.put(a.id(), a));
        int reached = 0;
        for (int round = 0; round < 200; round++) {
            List<Scope> scopes = new ArrayList<>();
            for (int s = 0, n = 1 + random.nextInt(3); s < n; s++) {
                scopes.add(randomScope(random, assets));
            }
            Visibility visibility = new Visibility.Scoped(scopes);
            Reach listed = Reach.of(
                    visibility,
                    NOW,
                    scope -> ScopeAssets.listed(assets.stream()
                            .filter(scope::reachesAsset)
                            .map(AssetFacts::id)
                            .toList()));
            Reach tested =
                    Reach.of(visibility, NOW, scope -> ScopeAssets.tested(id -> scope.reachesAsset(byId.get(id))));
            // As the live index decides: scopes without a condition on the facts it keeps beside
            // each position, the others on listed ids.
            Reach onFacts = Reach.of(
                    visibility,
                    NOW,
                    scope -> scope.condition() == null
                            ? ScopeAssets.onFacts(id -> scope.reachesAsset(byId.get(id)))
                            : ScopeAssets.listed(assets.stream()
                                    .filter(scope::reachesAsset)
                                    .map(AssetFacts::id)
                                    .toList()));
            List<UUID> admitted = listed.admittedAssets(null);
            Instant earliest = listed.earliest();
            for (int p = 0; p < 50; p++) {
                AssetFacts asset = assets.get(random.nextInt(assets.size()));
                double lon = random.nextDouble() * 4;
                double lat = random.nextDouble() * 4;
                Instant time = NOW.minusSeconds(random.nextInt(7 * 24 * 3600));
                boolean expected = visibility.reachesData(asset, lon, lat, time, NOW);
                assertThat(listed.reachesPosition(asset.id(), lon, lat, time))
                        .as("listed reach, round %d", round)
                        .isEqualTo(expected);
                assertThat(tested.reachesPosition(asset.id(), lon, lat, time))
                        .as("tested reach, round %d", round)
                        .isEqualTo(expected);
                assertThat(onFacts.reachesPosition(asset.id(), lon, lat, time))
                        .as("reach on facts, looked up, round %d", round)
                        .isEqualTo(expected);
                assertThat(onFacts.reachesPosition(asset.id(), asset.tags(), asset.classification(), lon, lat, time))
                        .as("reach on facts at hand, round %d", round)
                        .isEqualTo(expected);
                assertThat(listed.reaches(asset.id(), new double[] {lon, lat}, time, null))
                        .isEqualTo(expected);
                if (expected) {
                    reached++;
                    assertThat(listed.reachesAsset(asset.id())).isTrue();
                    assertThat(admitted == null || admitted.contains(asset.id()))
                            .isTrue();
                    assertThat(earliest == null || !time.isBefore(earliest)).isTrue();
                    assertThat(listed.none()).isFalse();
                }
            }
        }
        assertThat(reached)
                .as("the random grants reach some positions and not others")
                .isBetween(100, 9_000);
    }

    @Test
    void an_area_a_reach_may_not_reach_holds_no_reached_position() {
        Random random = new Random(4);
        UUID asset = UUID.randomUUID();
        int pruned = 0;
        for (int round = 0; round < 300; round++) {
            List<Scope> scopes = new ArrayList<>();
            for (int s = 0, n = 1 + random.nextInt(2); s < n; s++) {
                scopes.add(new Scope(
                        box(random.nextInt(8), random.nextInt(8), 1 + random.nextInt(2), 1 + random.nextInt(2)),
                        null,
                        null,
                        false,
                        Set.of(),
                        Set.of(),
                        Set.of(),
                        Set.of(),
                        null));
            }
            Reach reach = Reach.of(new Visibility.Scoped(scopes), NOW, s -> ScopeAssets.listed(List.of(asset)));
            double west = random.nextDouble() * 9;
            double south = random.nextDouble() * 9;
            BoundingBox area =
                    new BoundingBox(west, south, west + random.nextDouble() * 2, south + random.nextDouble() * 2);
            if (reach.mayReachArea(area)) {
                continue;
            }
            pruned++;
            for (int p = 0; p < 200; p++) {
                double lon = area.west() + random.nextDouble() * (area.east() - area.west());
                double lat = area.south() + random.nextDouble() * (area.north() - area.south());
                assertThat(reach.reachesPosition(asset, lon, lat, NOW))
                        .as("round %d", round)
                        .isFalse();
            }
        }
        assertThat(pruned).as("areas found unreachable").isBetween(30, 290);
    }

    @Test
    void boxes_across_the_antimeridian_meet_the_boxes_they_share_a_point_with() {
        BoundingBox pacific = new BoundingBox(170, -10, -170, 10);
        assertThat(pacific.intersects(new BoundingBox(175, 0, 176, 1))).isTrue();
        assertThat(pacific.intersects(new BoundingBox(-175, 0, -174, 1))).isTrue();
        assertThat(pacific.intersects(new BoundingBox(-10, 0, 10, 1))).isFalse();
        assertThat(pacific.intersects(new BoundingBox(175, 20, 176, 21))).isFalse();
        assertThat(new BoundingBox(0, 0, 1, 1).intersects(new BoundingBox(1, 1, 2, 2)))
                .isTrue();
    }

    @Test
    void a_datum_without_an_asset_or_a_location_is_not_reached_by_a_scope_that_narrows_by_them() {
        UUID asset = UUID.randomUUID();
        Scope byTag = new Scope(null, null, null, false, Set.of(), Set.of("fleet-a"), Set.of(), Set.of(), null);
        Scope byRegion = new Scope(box(0, 0, 1, 1), null, null, false, Set.of(), Set.of(), Set.of(), Set.of(), null);
        Reach tags = Reach.of(new Visibility.Scoped(List.of(byTag)), NOW, s -> ScopeAssets.listed(List.of(asset)));
        Reach region = Reach.of(new Visibility.Scoped(List.of(byRegion)), NOW, s -> ScopeAssets.listed(List.of()));

        assertThat(tags.reaches(asset, null, NOW, null)).isTrue();
        assertThat(tags.reaches(null, null, NOW, null)).isFalse();
        assertThat(region.reaches(null, new double[] {0.5, 0.5}, NOW, null)).isTrue();
        assertThat(region.reaches(null, null, NOW, null)).isFalse();
    }

    @Test
    void zone_tags_narrow_data_about_a_zone_and_leave_data_about_none() {
        Scope depots = new Scope(null, null, null, false, Set.of(), Set.of(), Set.of(), Set.of("depots"), null);
        Reach reach = Reach.of(new Visibility.Scoped(List.of(depots)), NOW, s -> ScopeAssets.listed(List.of()));

        assertThat(reach.reaches(null, null, NOW, List.of("depots", "north"))).isTrue();
        assertThat(reach.reaches(null, null, NOW, List.of("sites"))).isFalse();
        assertThat(reach.reaches(null, null, NOW, null)).isTrue();
    }

    @Test
    void a_reach_with_no_scope_or_only_scopes_that_list_no_asset_reaches_nothing_and_all_reaches_everything() {
        Scope byTag = new Scope(null, null, null, false, Set.of(), Set.of("fleet-a"), Set.of(), Set.of(), null);
        Reach empty = Reach.of(new Visibility.Scoped(List.of(byTag)), NOW, s -> ScopeAssets.listed(List.of()));

        assertThat(empty.none()).isTrue();
        assertThat(empty.reachesPosition(UUID.randomUUID(), 0, 0, NOW)).isFalse();
        assertThat(Reach.of(Visibility.NONE, NOW, s -> ScopeAssets.listed(List.of()))
                        .none())
                .isTrue();
        Reach all = Reach.of(Visibility.ALL, NOW, s -> ScopeAssets.listed(List.of()));
        assertThat(all.all()).isTrue();
        assertThat(all.reaches(null, null, Instant.EPOCH, List.of())).isTrue();
        assertThat(all.admittedAssets(null)).isNull();
    }

    private static Scope randomScope(Random random, List<AssetFacts> assets) {
        @Nullable SpatialRegion region = random.nextBoolean() ? null : box(random.nextInt(3), random.nextInt(3), 2, 2);
        @Nullable Duration window = random.nextBoolean() ? null : Duration.ofHours(1 + random.nextInt(72));
        Set<String> tags = random.nextInt(3) == 0 ? Set.of(TAGS.get(random.nextInt(TAGS.size()))) : Set.of();
        Set<String> classes = random.nextInt(3) == 0 ? Set.of(CLASSES.get(random.nextInt(CLASSES.size()))) : Set.of();
        Set<UUID> named = random.nextInt(4) == 0
                ? Set.of(assets.get(random.nextInt(assets.size())).id())
                : Set.of();
        return new Scope(region, null, window, false, classes, tags, named, Set.of(), null);
    }

    private static SpatialRegion box(double west, double south, double width, double height) {
        BoundingBox box = new BoundingBox(west, south, west + width, south + height);
        return new SpatialRegion() {
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
                return "box " + box;
            }
        };
    }
}
