package io.sextant.geofencing;

import io.sextant.asset.AssetSummary;
import io.sextant.jobs.NewJob;
import io.sextant.tracking.LatestPositions;
import io.sextant.tracking.Position;
import io.sextant.tracking.PositionHistory;
import io.sextant.zone.CompiledZone;
import io.sextant.zone.FenceSettings;
import io.sextant.zone.ZoneIndex;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

/**
 * The evaluation of geofencing, free of locks, transactions and writes: an asset's current fence
 * state, its new positions, its tenant's zones and rules in — the new state, events, state changes,
 * corrections and jobs out, collected in a {@link FenceOutcome}. What it needs to know beyond its
 * inputs (other assets' positions for proximity, the stored track for late data) it asks
 * {@link FenceReads}. The {@link FenceEngine} wires it into ingest and the timers: locks, the
 * in-memory states, transactions and the {@link FenceOutcomeWriter}.
 */
final class FenceEvaluation {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final FenceReads reads;
    private final GeofencingProperties properties;

    FenceEvaluation(FenceReads reads, GeofencingProperties properties) {
        this.reads = reads;
        this.properties = properties;
    }

    /** One asset's positions of the group, oldest first, against its tenant's zones. */
    void evaluateAsset(ZoneIndex index, List<Position> positions, AssetRules rules, FenceOutcome work)
            throws SQLException {
        Position first = positions.getFirst();
        UUID assetId = first.assetId();
        AssetFences current = reads.fencesOf(assetId);
        Instant lastTime = current.lastTime();
        Instant newest = positions.getLast().eventTime();
        Instant nextLast = lastTime == null || newest.isAfter(lastTime) ? newest : lastTime;
        if (index.size() == 0 && current.isQuiet() && !rules.concernsPositions()) {
            work.next.put(assetId, current.with(nextLast, Map.of()));
            return;
        }
        AssetOnce asset = new AssetOnce(assetId);
        Map<UUID, FenceState> states = new HashMap<>(current.states());
        // Late: not after the last position evaluated. Most groups have none, and need no split.
        List<Position> late = List.of();
        List<Position> fresh = positions;
        if (lastTime != null && anyNotAfter(positions, lastTime)) {
            late = new ArrayList<>();
            fresh = new ArrayList<>();
            for (Position position : positions) {
                (position.eventTime().isAfter(lastTime) ? fresh : late).add(position);
            }
        }
        if (!late.isEmpty() && lastTime != null) {
            work.lateReplayed += late.size();
            reevaluate(asset, assetId, first.tenantId(), late, lastTime, index, states, work);
        }
        SpeedingRule.SpeedState speeding = current.speeding();
        boolean stale = current.stale();
        for (Position position : fresh) {
            Double zoneLimit = evaluate(position, positions, asset, index, states, work);
            if (stale) {
                work.emit(RuleEvents.resumed(position, asset.get()), null);
                work.unstale(position.tenantId(), assetId);
                stale = false;
            }
            speeding = speeding(position, positions, asset, rules, zoneLimit, speeding, work);
            AssetSummary forProximity = rules.proximity().isEmpty() ? null : asset.get();
            if (forProximity != null) {
                proximity(position, forProximity, rules, work);
            }
        }
        work.next.put(assetId, new AssetFences(nextLast, states, speeding, stale));
    }

    private static boolean anyNotAfter(List<Position> positions, Instant time) {
        for (Position position : positions) {
            if (!position.eventTime().isAfter(time)) {
                return true;
            }
        }
        return false;
    }

    /** Speeding against the lower of the asset type's and the zones' limits. */
    private SpeedingRule.SpeedState speeding(
            Position position,
            List<Position> group,
            AssetOnce asset,
            AssetRules rules,
            @Nullable Double zoneLimit,
            SpeedingRule.SpeedState state,
            FenceOutcome work)
            throws SQLException {
        Double speed = position.speed();
        if (speed == null || !(speed >= 0) || Double.isInfinite(speed)) {
            return state;
        }
        AssetSummary summary = rules.speedLimitsKmh().isEmpty() ? null : asset.get();
        Double typeLimit = summary == null ? null : rules.speedLimitsKmh().get(summary.type());
        Double limit;
        if (typeLimit == null) {
            limit = zoneLimit;
        } else if (zoneLimit == null) {
            limit = typeLimit;
        } else {
            limit = Math.min(typeLimit, zoneLimit);
        }
        double kmh = speed * 3.6;
        SpeedingRule.SpeedStep step;
        if (limit == null) {
            if (!state.speeding()) {
                return SpeedingRule.SpeedState.NOT_SPEEDING;
            }
            // No limit applies any more (the asset left the zone that set it): the episode ends.
            step = SpeedingRule.next(state, position.eventTime(), 0, 0, 0, Duration.ZERO);
        } else {
            step = SpeedingRule.next(
                    state, position.eventTime(), kmh, limit, rules.speedToleranceKmh(), rules.speedMinDuration());
        }
        for (SpeedingRule.SpeedingTransition transition : step.transitions()) {
            // An episode is dated, and shown, at its first reading over the limit plus the tolerance.
            PositionHistory.Fix first = transition instanceof SpeedingRule.SpeedingStarted started
                    ? fixAt(position, group, started.time())
                    : null;
            work.emit(RuleEvents.speeding(position, first, asset.get(), transition, kmh), null);
            if (transition instanceof SpeedingRule.SpeedingStarted started) {
                work.speedingStarted(
                        position.tenantId(),
                        position.assetId(),
                        started,
                        step.state().maxKmh());
            } else {
                work.speedingEnded(position.tenantId(), position.assetId());
            }
        }
        return step.state();
    }

    /** Proximity of this asset to the others its tenant's rules pair it with. */
    private void proximity(Position position, AssetSummary asset, AssetRules rules, FenceOutcome work) {
        var center = new io.sextant.shared.geo.GeoPoint(position.lon(), position.lat());
        for (AssetRules.Proximity rule : rules.proximity()) {
            if (!rule.concerns(asset)) {
                continue;
            }
            Set<UUID> seen = new HashSet<>();
            double reach = rule.distanceMeters() + rule.marginMeters();
            for (LatestPositions.NearbyAsset nearby : reads.nearby(position.tenantId(), center, reach, 1000)) {
                UUID otherId = nearby.position().assetId();
                AssetSummary other = otherId.equals(position.assetId())
                        ? null
                        : reads.asset(otherId).orElse(null);
                if (other == null || !rule.pairs(asset, other)) {
                    continue;
                }
                seen.add(otherId);
                stepPair(position, asset, other, nearby.position(), rule, nearby.distanceMeters(), work);
            }
            for (PairKey key : reads.pairKeys()) {
                if (!key.tenantId().equals(position.tenantId())
                        || !key.rule().equals(rule.name())
                        || !(key.pair().first().equals(position.assetId())
                                || key.pair().second().equals(position.assetId()))) {
                    continue;
                }
                UUID otherId = key.pair().first().equals(position.assetId())
                        ? key.pair().second()
                        : key.pair().first();
                if (seen.contains(otherId)) {
                    continue;
                }
                AssetSummary other = reads.asset(otherId).orElse(null);
                Position otherPosition = reads.latestOf(otherId).orElse(null);
                double distance = otherPosition == null
                        ? Double.MAX_VALUE / 2
                        : io.sextant.shared.geo.Geodesy.distanceMeters(
                                position.lon(), position.lat(), otherPosition.lon(), otherPosition.lat());
                if (other != null) {
                    stepPair(position, asset, other, otherPosition, rule, distance, work);
                }
            }
        }
    }

    private void stepPair(
            Position position,
            AssetSummary asset,
            AssetSummary other,
            @Nullable Position otherPosition,
            AssetRules.Proximity rule,
            double distance,
            FenceOutcome work) {
        var key = new PairKey(
                position.tenantId(), rule.name(), ProximityRule.AssetPair.of(position.assetId(), other.assetId()));
        ProximityRule.ProximityState state = work.pairNext.getOrDefault(key, reads.pair(key));
        ProximityRule.ProximityStep step =
                ProximityRule.next(state, position.eventTime(), distance, rule.distanceMeters(), rule.marginMeters());
        if (step.transitions().isEmpty()) {
            return;
        }
        work.pairNext.put(key, step.state());
        // Every event of the pair names the same asset, whichever of the two moved.
        boolean namesThis = rule.names(asset, other);
        for (ProximityRule.ProximityTransition transition : step.transitions()) {
            work.emit(
                    namesThis
                            ? RuleEvents.proximity(
                                    position.tenantId(), asset, position, other, otherPosition, rule, transition)
                            : RuleEvents.proximity(
                                    position.tenantId(), other, otherPosition, asset, position, rule, transition),
                    null);
        }
    }

    /** Evaluates one position in every zone; returns the lowest speed limit of the zones it is in. */
    private @Nullable Double evaluate(
            Position position,
            List<Position> group,
            AssetOnce asset,
            ZoneIndex index,
            Map<UUID, FenceState> states,
            FenceOutcome work)
            throws SQLException {
        Fix fix = new Fix(position.eventTime(), position.accuracy());
        // Decided before the candidates are stepped: stepping one adds its state to states.
        boolean hadStates = !states.isEmpty();
        Set<UUID> seen = hadStates ? new HashSet<>() : Set.of();
        List<CompiledZone> candidates = work.candidates;
        candidates.clear();
        index.candidates(position.lon(), position.lat(), work.addCandidate);
        double limit = Double.NaN;
        for (CompiledZone zone : candidates) {
            if (hadStates) {
                seen.add(zone.id());
            }
            Presence presence = presence(zone, position.lon(), position.lat());
            Double zoneLimit = zone.settings().speedLimitKmh();
            if (zoneLimit != null && presence == Presence.INSIDE && zone.activeAt(position.eventTime())) {
                limit = Double.isNaN(limit) ? zoneLimit : Math.min(limit, zoneLimit);
            }
            step(zone, position, group, fix, presence, asset, states, work);
        }
        Double zoneLimit = Double.isNaN(limit) ? null : limit;
        // Without earlier states every state there is now came from a candidate just stepped.
        if (!hadStates) {
            return zoneLimit;
        }
        for (UUID zoneId : List.copyOf(states.keySet())) {
            if (seen.contains(zoneId)) {
                continue;
            }
            CompiledZone zone = index.get(zoneId).orElse(null);
            if (zone == null) {
                // The zone was deleted: its states end without an event.
                states.remove(zoneId);
                work.delete(position.tenantId(), position.assetId(), zoneId);
            } else {
                step(zone, position, group, fix, Presence.OUTSIDE, asset, states, work);
            }
        }
        return zoneLimit;
    }

    private void step(
            CompiledZone zone,
            Position position,
            List<Position> group,
            Fix fix,
            Presence presence,
            AssetOnce asset,
            Map<UUID, FenceState> states,
            FenceOutcome work)
            throws SQLException {
        FenceState before = states.getOrDefault(zone.id(), FenceState.OUTSIDE);
        Step step = FenceStateMachine.next(before, fix, presence, rules(zone.settings()));
        FenceState after = step.state();
        if (AssetFences.isSettledOutside(after)) {
            if (states.remove(zone.id()) != null && !AssetFences.isSettledOutside(before)) {
                work.delete(zone.tenantId(), position.assetId(), zone.id());
            }
        } else {
            states.put(zone.id(), after);
            if (AssetFences.persistedDiffers(before, after)) {
                work.upsert(zone.tenantId(), position.assetId(), zone.id(), after);
            }
        }
        for (Transition transition : step.transitions()) {
            if (!zone.activeAt(transition.time())) {
                continue;
            }
            Instant at = FenceEvents.positionTime(transition);
            work.emit(
                    FenceEvents.transition(
                            zone,
                            position.assetId(),
                            asset.get(),
                            transition,
                            at == null ? null : fixData(fixAt(position, group, at)),
                            false),
                    new FenceOutcome.Link(
                            zone.tenantId(), position.assetId(), zone.id(), transition, position.eventTime()));
            if (transition instanceof Transition.Entered entered
                    && zone.settings().dwell() != null
                    && after.inside()
                    && !after.dwellFired()) {
                work.jobs.add(dwellJob(zone, position.assetId(), entered.time()));
            }
        }
    }

    /**
     * Late positions of one asset: replays its stored track in every zone it touches from the last
     * settled transition before the earliest late position, and corrects what differs.
     */
    private void reevaluate(
            AssetOnce asset,
            UUID assetId,
            UUID tenantId,
            List<Position> late,
            Instant lastTime,
            ZoneIndex index,
            Map<UUID, FenceState> states,
            FenceOutcome work)
            throws SQLException {
        Instant earliest = late.getFirst().eventTime();
        Instant horizon = earliest.minus(properties.lateLookback());
        Set<UUID> zoneIds = new HashSet<>(states.keySet());
        for (Position position : late) {
            index.candidates(position.lon(), position.lat(), zone -> zoneIds.add(zone.id()));
        }
        zoneIds.addAll(reads.zonesWithTransitionsAfter(tenantId, assetId, horizon));
        for (UUID zoneId : zoneIds) {
            CompiledZone zone = index.get(zoneId).orElse(null);
            if (zone == null) {
                continue;
            }
            List<FenceStore.TransitionRow> history = reads.history(tenantId, assetId, zoneId, horizon);
            Reevaluation.Start start = Reevaluation.start(
                    history.stream()
                            .map(row -> new Reevaluation.Emitted(row.transition(), row.confirmedAt()))
                            .toList(),
                    earliest,
                    horizon);
            List<PositionHistory.Fix> track =
                    reads.track(tenantId, assetId, start.from(), lastTime, properties.maxReplayPositions());
            if (track.size() > properties.maxReplayPositions()) {
                work.lateSkipped += late.size();
                continue;
            }
            List<PresenceFix> fixes = new ArrayList<>(track.size());
            for (PositionHistory.Fix fix : track) {
                fixes.add(new PresenceFix(new Fix(fix.time(), fix.accuracy()), presence(zone, fix.lon(), fix.lat())));
            }
            Reevaluation.Outcome outcome = Reevaluation.reconcile(start, fixes, rules(zone.settings()), zone::activeAt);
            FenceState after = outcome.finalState();
            FenceState before = states.getOrDefault(zoneId, FenceState.OUTSIDE);
            if (AssetFences.isSettledOutside(after)) {
                if (states.remove(zoneId) != null) {
                    work.delete(tenantId, assetId, zoneId);
                }
            } else {
                states.put(zoneId, after);
                if (AssetFences.persistedDiffers(before, after)) {
                    work.upsert(tenantId, assetId, zoneId, after);
                }
            }
            if (!outcome.changesNothing()) {
                List<FenceStore.TransitionRow> previous = history.stream()
                        .filter(row -> row.transition().time().isAfter(start.from()))
                        .toList();
                work.correct(zone, assetId, asset.get(), earliest, outcome, previous, track);
            }
        }
    }

    private static NewJob dwellJob(CompiledZone zone, UUID assetId, Instant since) {
        var payload = JSON.createObjectNode()
                .put("tenantId", zone.tenantId().toString())
                .put("assetId", assetId.toString())
                .put("zoneId", zone.id().toString())
                .put("since", since.toString());
        return new NewJob(
                DwellTimer.KIND,
                zone.tenantId(),
                payload.toString(),
                since.plus(java.util.Objects.requireNonNull(zone.settings().dwell())),
                null);
    }

    /** The asset's fix at {@code time}: from the group when it is there, else as stored. */
    private PositionHistory.@Nullable Fix fixAt(Position position, List<Position> group, Instant time)
            throws SQLException {
        for (Position p : group) {
            if (p.eventTime().equals(time)) {
                return new PositionHistory.Fix(p.eventTime(), p.lon(), p.lat(), p.accuracy(), p.speed());
            }
        }
        return reads.fixAt(position.tenantId(), position.assetId(), time);
    }

    static FenceEvents.@Nullable FixData fixData(PositionHistory.@Nullable Fix fix) {
        return fix == null ? null : new FenceEvents.FixData(fix.time(), fix.lon(), fix.lat(), fix.accuracy());
    }

    /**
     * Where a fix lies relative to a zone, by {@link Presence#classify} — the classification the
     * property tests cover. The distance to the boundary is measured only when there is a margin.
     */
    static Presence presence(CompiledZone zone, double lon, double lat) {
        double margin = zone.settings().marginMeters();
        boolean inside = zone.shape().contains(lon, lat);
        double distance = margin > 0 ? zone.shape().boundaryDistanceMeters(lon, lat) : Double.POSITIVE_INFINITY;
        // A distance that is no number (never expected) must not fail the whole ingest group: the
        // fix then counts by its side alone, as a fix far from the boundary does.
        return Presence.classify(inside, distance >= 0 ? distance : Double.POSITIVE_INFINITY, margin);
    }

    /**
     * The asset's summary, read from memory the first time it is needed: by an event, a speed limit
     * by asset type or a proximity rule. Most positions need none of them, and a lookup per position
     * was a measurable part of ingest's CPU.
     */
    private final class AssetOnce {

        private final UUID assetId;
        private boolean read;
        private @Nullable AssetSummary summary;

        AssetOnce(UUID assetId) {
            this.assetId = assetId;
        }

        @Nullable
        AssetSummary get() {
            if (!read) {
                summary = reads.asset(assetId).orElse(null);
                read = true;
            }
            return summary;
        }
    }

    static FenceRules rules(FenceSettings settings) {
        return new FenceRules(
                settings.minFixes(), settings.minDuration(), settings.maxAccuracyMeters(), settings.dwell());
    }
}
