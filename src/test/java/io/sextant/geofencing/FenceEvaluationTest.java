package io.sextant.geofencing;

import static org.assertj.core.api.Assertions.assertThat;

import io.sextant.asset.AssetSummary;
import io.sextant.events.EventTypes;
import io.sextant.events.NewEvent;
import io.sextant.shared.geo.GeoPoint;
import io.sextant.tracking.LatestPositions;
import io.sextant.tracking.Position;
import io.sextant.tracking.PositionHistory;
import io.sextant.zone.CompiledZone;
import io.sextant.zone.FenceSettings;
import io.sextant.zone.PolygonShape;
import io.sextant.zone.ZoneIndex;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.GeometryFactory;

/**
 * The evaluation alone, with no database, lock or transaction: its inputs are an asset's committed
 * state, its new positions, a zone index and the tenant's rules, and everything else it may ask for
 * comes from fixed answers here. What it decides is in the outcome, written by nobody.
 */
class FenceEvaluationTest {

    private static final UUID TENANT = UUID.randomUUID();
    private static final UUID ASSET = UUID.randomUUID();
    private static final Instant T0 = Instant.parse("2026-11-20T06:00:00Z");
    private static final GeometryFactory JTS = new GeometryFactory();
    private static final CompiledZone SQUARE = new CompiledZone(
            UUID.randomUUID(),
            TENANT,
            1,
            "depot",
            List.of(),
            new PolygonShape(JTS.createPolygon(new Coordinate[] {
                new Coordinate(10.0, 50.0),
                new Coordinate(10.02, 50.0),
                new Coordinate(10.02, 50.02),
                new Coordinate(10.0, 50.02),
                new Coordinate(10.0, 50.0)
            })),
            null,
            FenceSettings.DEFAULTS);
    private static final ZoneIndex INDEX = ZoneIndex.of(List.of(SQUARE));
    private static final double[] INSIDE = {10.01, 50.01};
    private static final double[] OUTSIDE = {10.05, 50.01};

    /** Fixed answers; the stored track and history are what a test puts there. */
    private static final class Reads implements FenceReads {
        AssetFences committed = AssetFences.NEW;
        final List<PositionHistory.Fix> track = new ArrayList<>();
        final List<FenceStore.TransitionRow> history = new ArrayList<>();
        int storedFixLookups;

        @Override
        public AssetFences fencesOf(UUID assetId) {
            return committed;
        }

        @Override
        public Optional<AssetSummary> asset(UUID assetId) {
            return Optional.empty();
        }

        @Override
        public Optional<Position> latestOf(UUID assetId) {
            return Optional.empty();
        }

        @Override
        public List<LatestPositions.NearbyAsset> nearby(UUID tenantId, GeoPoint center, double radius, int limit) {
            return List.of();
        }

        @Override
        public Collection<PairKey> pairKeys() {
            return List.of();
        }

        @Override
        public ProximityRule.ProximityState pair(PairKey key) {
            return ProximityRule.ProximityState.APART;
        }

        @Override
        public PositionHistory.@Nullable Fix fixAt(UUID tenantId, UUID assetId, Instant time) {
            storedFixLookups++;
            return track.stream().filter(f -> f.time().equals(time)).findFirst().orElse(null);
        }

        @Override
        public List<PositionHistory.Fix> track(UUID tenantId, UUID assetId, Instant from, Instant to, int limit) {
            return track.stream()
                    .filter(f -> !f.time().isBefore(from) && !f.time().isAfter(to))
                    .limit(limit + 1L)
                    .toList();
        }

        @Override
        public List<FenceStore.TransitionRow> history(UUID tenantId, UUID assetId, UUID zoneId, Instant horizon) {
            return history.stream()
                    .filter(row -> row.zoneId().equals(zoneId)
                            && row.transition().time().isAfter(horizon))
                    .toList();
        }

        @Override
        public Set<UUID> zonesWithTransitionsAfter(UUID tenantId, UUID assetId, Instant after) {
            Set<UUID> zones = new java.util.HashSet<>();
            history.forEach(row -> zones.add(row.zoneId()));
            return zones;
        }
    }

    private static Position at(int seconds, double[] where) {
        Instant time = T0.plusSeconds(seconds);
        return new Position(TENANT, ASSET, time, time, where[0], where[1], null, null, null, null, Map.of());
    }

    private static PositionHistory.Fix stored(int seconds, double[] where) {
        return new PositionHistory.Fix(T0.plusSeconds(seconds), where[0], where[1], null, null);
    }

    private static List<String> types(FenceOutcome outcome) {
        return outcome.events.stream().map(NewEvent::type).toList();
    }

    private static FenceEvaluation evaluation(Reads reads) {
        return new FenceEvaluation(
                reads, new GeofencingProperties(Duration.ofHours(24), 20_000, Duration.ofSeconds(30)));
    }

    @Test
    void a_walk_through_a_zone_enters_and_exits_from_its_positions_alone() throws Exception {
        Reads reads = new Reads();
        FenceOutcome outcome = new FenceOutcome();

        evaluation(reads)
                .evaluateAsset(
                        INDEX,
                        List.of(at(0, OUTSIDE), at(30, INSIDE), at(60, INSIDE), at(90, OUTSIDE)),
                        AssetRules.NONE,
                        outcome);

        assertThat(types(outcome)).containsExactly(EventTypes.ZONE_ENTERED, EventTypes.ZONE_EXITED);
        assertThat(outcome.links)
                .extracting(link -> link == null ? null : link.transition())
                .containsExactly(
                        new Transition.Entered(T0.plusSeconds(30)),
                        new Transition.Exited(T0.plusSeconds(90), T0.plusSeconds(30)));
        assertThat(outcome.next.get(ASSET).lastTime()).isEqualTo(T0.plusSeconds(90));
        assertThat(outcome.next.get(ASSET).states())
                .as("settled outside again: nothing kept")
                .isEmpty();
        assertThat(reads.storedFixLookups)
                .as("every fix it reports came with the group")
                .isZero();
        assertThat(outcome.pendingCorrections).isEmpty();
    }

    @Test
    void a_late_position_that_changes_the_past_is_corrected_from_the_stored_track() throws Exception {
        Reads reads = new Reads();
        // Committed: inside since 10 s, last fix at 100 s; the entry was announced when confirmed.
        reads.committed = new AssetFences(
                T0.plusSeconds(100),
                Map.of(SQUARE.id(), new FenceState(true, T0.plusSeconds(10), 0, null, false, T0.plusSeconds(100))));
        reads.history.add(new FenceStore.TransitionRow(
                UUID.randomUUID(), SQUARE.id(), new Transition.Entered(T0.plusSeconds(10)), T0.plusSeconds(10)));
        // The stored track already holds the late position (stored before it is evaluated).
        reads.track.addAll(List.of(stored(10, INSIDE), stored(20, OUTSIDE), stored(50, INSIDE), stored(100, INSIDE)));
        FenceOutcome outcome = new FenceOutcome();

        evaluation(reads).evaluateAsset(INDEX, List.of(at(20, OUTSIDE)), AssetRules.NONE, outcome);

        assertThat(outcome.pendingCorrections).hasSize(1);
        assertThat(outcome.pendingCorrections.getFirst().retracted()).isEmpty();
        assertThat(outcome.links)
                .extracting(link -> link == null ? null : link.transition())
                .containsExactly(
                        new Transition.Exited(T0.plusSeconds(20), T0.plusSeconds(10)),
                        new Transition.Entered(T0.plusSeconds(50)));
        assertThat(types(outcome)).containsExactly(EventTypes.ZONE_EXITED, EventTypes.ZONE_ENTERED);
        FenceState now = outcome.next.get(ASSET).states().get(SQUARE.id());
        assertThat(now.inside()).isTrue();
        assertThat(now.since()).isEqualTo(T0.plusSeconds(50));
        assertThat(outcome.next.get(ASSET).lastTime())
                .as("late data does not move time back")
                .isEqualTo(T0.plusSeconds(100));
    }
}
