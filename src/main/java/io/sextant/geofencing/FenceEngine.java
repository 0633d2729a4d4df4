package io.sextant.geofencing;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.sextant.asset.AssetSummary;
import io.sextant.events.EventLog;
import io.sextant.events.NewEvent;
import io.sextant.jobs.Jobs;
import io.sextant.jobs.NewJob;
import io.sextant.shared.TenantContext;
import io.sextant.tracking.AssetCatalog;
import io.sextant.tracking.LatestPositions;
import io.sextant.tracking.Position;
import io.sextant.tracking.PositionHistory;
import io.sextant.tracking.PositionObserver;
import io.sextant.tracking.StoredGroup;
import io.sextant.zone.CompiledZone;
import io.sextant.zone.FenceSettings;
import io.sextant.zone.ZoneDirectory;
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
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;

/**
 * Real-time geofencing in the ingest path. For each committed group of positions it evaluates every
 * position against its tenant's zones — an in-memory index of prepared shapes, no database round
 * trip per position — runs the per (asset, zone) {@link FenceStateMachine}, and writes the changed
 * states and the resulting events in the group's own transaction. The in-memory states change only
 * when that transaction commits. Positions of one asset are serialized by a lock stripe held from
 * evaluation to commit, so two writer threads never evaluate the same asset at once.
 *
 * <p>Late data: a position not newer than the last one evaluated for its asset re-evaluates that
 * asset's stored track from the last settled transition before it (at most {@code lateLookback}
 * back) and compares the transitions this yields with those emitted before; any difference is
 * announced by a {@code sextant.fence.corrected} event that retracts and asserts transitions.
 */
@Component
class FenceEngine implements PositionObserver {

    static final String DWELL_JOB = "fence.dwell";
    private static final Logger log = LoggerFactory.getLogger(FenceEngine.class);
    private static final int STRIPES = 256;

    private final ZoneDirectory zones;
    private final AssetCatalog assets;
    private final LatestPositions latest;
    private final FenceStore store;
    private final PositionHistory positions;
    private final EventLog eventLog;
    private final Jobs jobs;
    private final GeofencingProperties properties;
    private final AssetRuleBook ruleBook;
    private final TransactionTemplate transactions;
    private final Map<UUID, AssetFences> byAsset = new ConcurrentHashMap<>();
    // Proximity episodes under way; read and changed only while holding proximityLock.
    private final Map<PairKey, ProximityRule.ProximityState> pairs = new ConcurrentHashMap<>();
    private final ReentrantLock proximityLock = new ReentrantLock();
    private final ReentrantLock[] stripes = new ReentrantLock[STRIPES];
    private final Timer evaluation;
    private final Counter transitions;
    private final Counter corrections;
    private final Counter lateSkipped;
    private final JsonMapper json = JsonMapper.builder().build();

    FenceEngine(
            ZoneDirectory zones,
            AssetCatalog assets,
            LatestPositions latest,
            FenceStore store,
            PositionHistory positions,
            EventLog eventLog,
            Jobs jobs,
            GeofencingProperties properties,
            AssetRuleBook ruleBook,
            TransactionTemplate transactions,
            MeterRegistry meters) {
        this.ruleBook = ruleBook;
        this.transactions = transactions;
        this.zones = zones;
        this.assets = assets;
        this.latest = latest;
        this.store = store;
        this.positions = positions;
        this.eventLog = eventLog;
        this.jobs = jobs;
        this.properties = properties;
        for (int i = 0; i < STRIPES; i++) {
            stripes[i] = new ReentrantLock();
        }
        this.evaluation = Timer.builder("sextant.fences.evaluation")
                .description("Time to evaluate one ingest group against the zones, writes included")
                .publishPercentiles(0.5, 0.99)
                .register(meters);
        this.transitions = Counter.builder("sextant.fences.transitions")
                .description("Enter, exit and dwell events emitted")
                .register(meters);
        this.corrections = Counter.builder("sextant.fences.corrections")
                .description("Corrections emitted because late data changed the past")
                .register(meters);
        this.lateSkipped = Counter.builder("sextant.fences.late")
                .tag("outcome", "skipped")
                .description("Late positions whose re-evaluation needed more than the replay limit")
                .register(meters);
        Map<UUID, Map<UUID, FenceState>> loaded = new HashMap<>();
        store.forEachState(row ->
                loaded.computeIfAbsent(row.assetId(), a -> new HashMap<>()).put(row.zoneId(), row.state()));
        Map<UUID, SpeedingRule.SpeedState> speeding = new HashMap<>();
        store.forEachSpeeding((assetId, state) -> speeding.put(assetId, state));
        Set<UUID> stale = new HashSet<>();
        store.forEachStale(stale::add);
        Set<UUID> assetsWithState = new HashSet<>(loaded.keySet());
        assetsWithState.addAll(speeding.keySet());
        assetsWithState.addAll(stale);
        for (UUID assetId : assetsWithState) {
            byAsset.put(
                    assetId,
                    new AssetFences(
                            latest.latestOf(assetId).map(Position::eventTime).orElse(null),
                            loaded.getOrDefault(assetId, Map.of()),
                            speeding.getOrDefault(assetId, SpeedingRule.SpeedState.NOT_SPEEDING),
                            stale.contains(assetId)));
        }
        store.forEachPair((key, since) -> pairs.put(key, new ProximityRule.ProximityState(true, since)));
        log.info("Fence engine loaded {} assets with fence or rule state", assetsWithState.size());
    }

    /**
     * Locks every asset of the group first (one global order, so concurrent groups cannot
     * deadlock), then evaluates and writes tenant by tenant in the group's transaction, each
     * tenant's share under that tenant's row-level security.
     */
    @Override
    public Observation observe(StoredGroup group) throws SQLException {
        long started = System.nanoTime();
        TreeSet<Integer> held = new TreeSet<>();
        for (Position position : group.positions()) {
            held.add(stripe(position.assetId()));
        }
        for (int index : held) {
            stripes[index].lock();
        }
        // Taken after the stripes (the same order as ever), once a tenant with proximity rules shows.
        boolean[] holdsProximity = {false};
        List<GroupWork> done = new ArrayList<>();
        try {
            group.forEachTenant((tenantId, stored) -> {
                // The tenant's rules, looked up once per group, in the tenant's scope.
                AssetRules rules = ruleBook.rulesOf(tenantId);
                if (!rules.proximity().isEmpty() && !holdsProximity[0]) {
                    proximityLock.lock();
                    holdsProximity[0] = true;
                }
                GroupWork work = new GroupWork();
                int from = 0;
                while (from < stored.size()) {
                    UUID assetId = stored.get(from).assetId();
                    int to = from;
                    while (to < stored.size() && stored.get(to).assetId().equals(assetId)) {
                        to++;
                    }
                    evaluateAsset(stored.subList(from, to), rules, work);
                    from = to;
                }
                work.flush();
                done.add(work);
            });
        } catch (SQLException | RuntimeException e) {
            release(held, holdsProximity[0]);
            throw e;
        }
        evaluation.record(System.nanoTime() - started, java.util.concurrent.TimeUnit.NANOSECONDS);
        return new Observation() {
            @Override
            public void committed() {
                for (GroupWork work : done) {
                    byAsset.putAll(work.next);
                    work.pairNext.forEach((key, state) -> {
                        if (state.near()) {
                            pairs.put(key, state);
                        } else {
                            pairs.remove(key);
                        }
                    });
                    transitions.increment(work.emitted);
                    corrections.increment(work.corrected);
                }
                release(held, holdsProximity[0]);
            }

            @Override
            public void abandoned() {
                release(held, holdsProximity[0]);
            }
        };
    }

    private void release(TreeSet<Integer> held, boolean proximity) {
        if (proximity) {
            proximityLock.unlock();
        }
        for (int index : held.reversed()) {
            stripes[index].unlock();
        }
    }

    private int stripe(UUID assetId) {
        return Math.floorMod(assetId.hashCode(), STRIPES);
    }

    private AssetFences fencesOf(UUID assetId) {
        AssetFences known = byAsset.get(assetId);
        if (known != null) {
            return known;
        }
        Instant last = latest.latestOf(assetId).map(Position::eventTime).orElse(null);
        return last == null ? AssetFences.NEW : new AssetFences(last, Map.of());
    }

    /** One asset's positions of the group, oldest first. */
    private void evaluateAsset(List<Position> positions, AssetRules rules, GroupWork work) throws SQLException {
        Position first = positions.getFirst();
        UUID assetId = first.assetId();
        ZoneIndex index = zones.indexFor(first.tenantId());
        AssetFences current = fencesOf(assetId);
        Instant lastTime = current.lastTime();
        Instant newest = positions.getLast().eventTime();
        Instant nextLast = lastTime == null || newest.isAfter(lastTime) ? newest : lastTime;
        if (index.size() == 0 && current.isQuiet() && !rules.concernsPositions()) {
            work.next.put(assetId, current.with(nextLast, Map.of()));
            return;
        }
        AssetSummary asset = assets.summary(assetId).orElse(null);
        Map<UUID, FenceState> states = new HashMap<>(current.states());
        List<Position> late = new ArrayList<>();
        List<Position> fresh = new ArrayList<>();
        for (Position position : positions) {
            (lastTime != null && !position.eventTime().isAfter(lastTime) ? late : fresh).add(position);
        }
        if (!late.isEmpty() && lastTime != null) {
            reevaluate(asset, assetId, first.tenantId(), late, lastTime, index, states, work);
        }
        SpeedingRule.SpeedState speeding = current.speeding();
        boolean stale = current.stale();
        for (Position position : fresh) {
            Double zoneLimit = evaluate(position, positions, asset, index, states, work);
            if (stale) {
                work.emit(RuleEvents.resumed(position, asset), null);
                work.unstale(position.tenantId(), assetId);
                stale = false;
            }
            speeding = speeding(position, positions, asset, rules, zoneLimit, speeding, work);
            if (asset != null && !rules.proximity().isEmpty()) {
                proximity(position, asset, rules, work);
            }
        }
        work.next.put(assetId, new AssetFences(nextLast, states, speeding, stale));
    }

    /** Speeding against the lower of the asset type's and the zones' limits. */
    private SpeedingRule.SpeedState speeding(
            Position position,
            List<Position> group,
            @Nullable AssetSummary asset,
            AssetRules rules,
            @Nullable Double zoneLimit,
            SpeedingRule.SpeedState state,
            GroupWork work)
            throws SQLException {
        Double speed = position.speed();
        if (speed == null || !(speed >= 0) || Double.isInfinite(speed)) {
            return state;
        }
        Double typeLimit = asset == null ? null : rules.speedLimitsKmh().get(asset.type());
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
            work.emit(RuleEvents.speeding(position, first, asset, transition, kmh), null);
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
    private void proximity(Position position, AssetSummary asset, AssetRules rules, GroupWork work) {
        var center = new io.sextant.shared.geo.GeoPoint(position.lon(), position.lat());
        for (AssetRules.Proximity rule : rules.proximity()) {
            if (!rule.concerns(asset)) {
                continue;
            }
            Set<UUID> seen = new HashSet<>();
            double reach = rule.distanceMeters() + rule.marginMeters();
            for (LatestPositions.NearbyAsset nearby : latest.nearbyOf(position.tenantId(), center, reach, 1000)) {
                UUID otherId = nearby.position().assetId();
                AssetSummary other = otherId.equals(position.assetId())
                        ? null
                        : assets.summary(otherId).orElse(null);
                if (other == null || !rule.pairs(asset, other)) {
                    continue;
                }
                seen.add(otherId);
                stepPair(position, asset, other, nearby.position(), rule, nearby.distanceMeters(), work);
            }
            for (PairKey key : List.copyOf(pairs.keySet())) {
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
                AssetSummary other = assets.summary(otherId).orElse(null);
                Position otherPosition = latest.latestOf(otherId).orElse(null);
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
            GroupWork work) {
        var key = new PairKey(
                position.tenantId(), rule.name(), ProximityRule.AssetPair.of(position.assetId(), other.assetId()));
        ProximityRule.ProximityState state =
                work.pairNext.getOrDefault(key, pairs.getOrDefault(key, ProximityRule.ProximityState.APART));
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
            @Nullable AssetSummary asset,
            ZoneIndex index,
            Map<UUID, FenceState> states,
            GroupWork work)
            throws SQLException {
        Fix fix = new Fix(position.eventTime(), position.accuracy());
        // Decided before the candidates are stepped: stepping one adds its state to states.
        boolean hadStates = !states.isEmpty();
        Set<UUID> seen = hadStates ? new HashSet<>() : Set.of();
        List<CompiledZone> candidates = work.candidates;
        candidates.clear();
        index.candidates(position.lon(), position.lat(), candidates::add);
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
            @Nullable AssetSummary asset,
            Map<UUID, FenceState> states,
            GroupWork work)
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
                            asset,
                            transition,
                            at == null ? null : fixData(fixAt(position, group, at)),
                            false),
                    new Link(zone.tenantId(), position.assetId(), zone.id(), transition, position.eventTime()));
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
            @Nullable AssetSummary asset,
            UUID assetId,
            UUID tenantId,
            List<Position> late,
            Instant lastTime,
            ZoneIndex index,
            Map<UUID, FenceState> states,
            GroupWork work)
            throws SQLException {
        Instant earliest = late.getFirst().eventTime();
        Instant horizon = earliest.minus(properties.lateLookback());
        Set<UUID> zoneIds = new HashSet<>(states.keySet());
        for (Position position : late) {
            index.candidates(position.lon(), position.lat(), zone -> zoneIds.add(zone.id()));
        }
        zoneIds.addAll(store.zonesWithTransitionsAfter(tenantId, assetId, horizon));
        for (UUID zoneId : zoneIds) {
            CompiledZone zone = index.get(zoneId).orElse(null);
            if (zone == null) {
                continue;
            }
            List<FenceStore.TransitionRow> history = store.history(tenantId, assetId, zoneId, horizon);
            Reevaluation.Start start = Reevaluation.start(
                    history.stream()
                            .map(row -> new Reevaluation.Emitted(row.transition(), row.confirmedAt()))
                            .toList(),
                    earliest,
                    horizon);
            List<PositionHistory.Fix> track =
                    positions.track(tenantId, assetId, start.from(), lastTime, properties.maxReplayPositions());
            if (track.size() > properties.maxReplayPositions()) {
                lateSkipped.increment(late.size());
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
                work.correct(zone, assetId, asset, earliest, outcome, previous, track);
            }
        }
    }

    /** Fires a dwell that is due with no new fix to trigger it (the durable dwell timer). */
    void dwellDue(UUID tenantId, UUID assetId, UUID zoneId, Instant since, Instant now) throws SQLException {
        ReentrantLock lock = stripes[stripe(assetId)];
        lock.lock();
        try {
            AssetFences fences = byAsset.get(assetId);
            if (fences == null) {
                return;
            }
            FenceState state = fences.states().get(zoneId);
            if (state == null || !state.inside() || !since.equals(state.since()) || state.dwellFired()) {
                return;
            }
            CompiledZone zone = zones.indexFor(tenantId).get(zoneId).orElse(null);
            if (zone == null) {
                return;
            }
            Duration dwell = zone.settings().dwell();
            // Only for an asset reporting in real time that went quiet: for backfilled history
            // (received long after it happened) the fixes themselves decide whether the stay lasted.
            Position newest = latest.latestOf(assetId).orElse(null);
            if (dwell == null
                    || newest == null
                    || Duration.between(newest.eventTime(), newest.receivedAt()).compareTo(dwell) > 0) {
                return;
            }
            Step step = FenceStateMachine.atTime(state, now, rules(zone.settings()));
            if (step.transitions().isEmpty()) {
                return;
            }
            GroupWork work = new GroupWork();
            Map<UUID, FenceState> states = new HashMap<>(fences.states());
            states.put(zoneId, step.state());
            work.upsert(tenantId, assetId, zoneId, step.state());
            for (Transition transition : step.transitions()) {
                if (zone.activeAt(transition.time())) {
                    work.emit(
                            FenceEvents.transition(
                                    zone, assetId, assets.summary(assetId).orElse(null), transition, null, false),
                            new Link(tenantId, assetId, zoneId, transition, now));
                }
            }
            inTransaction(tenantId, work::flush);
            byAsset.put(assetId, fences.with(fences.lastTime(), states));
            transitions.increment(work.emitted);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Reports an asset stale unless a newer position arrived meanwhile or it is already reported.
     * Returns whether it did.
     */
    boolean markStale(UUID tenantId, UUID assetId, Instant lastSeen, Duration staleAfter, Instant now)
            throws SQLException {
        ReentrantLock lock = stripes[stripe(assetId)];
        lock.lock();
        try {
            AssetFences fences = fencesOf(assetId);
            if (fences.stale()
                    || (fences.lastTime() != null && fences.lastTime().isAfter(lastSeen))) {
                return false;
            }
            AssetSummary asset = assets.summary(assetId).orElse(null);
            inTransaction(tenantId, () -> {
                store.markStale(tenantId, assetId, lastSeen, now);
                eventLog.append(List.of(RuleEvents.stale(tenantId, assetId, asset, lastSeen, staleAfter)));
            });
            byAsset.put(
                    assetId,
                    new AssetFences(
                            fences.lastTime() == null ? lastSeen : fences.lastTime(),
                            fences.states(),
                            fences.speeding(),
                            true));
            transitions.increment();
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** Work of a timer, outside the ingest path. */
    private interface SqlWork {
        void run() throws SQLException;
    }

    /**
     * Runs a timer's work in a transaction the transaction manager begins for {@code tenantId}
     * (row-level security applies throughout): committed, or rolled back.
     */
    private void inTransaction(UUID tenantId, SqlWork work) throws SQLException {
        try {
            TenantContext.callAs(tenantId, () -> {
                transactions.executeWithoutResult(status -> {
                    try {
                        work.run();
                    } catch (SQLException e) {
                        throw new TimerWorkFailed(e);
                    }
                });
                return Boolean.TRUE;
            });
        } catch (TimerWorkFailed e) {
            throw e.failure;
        }
    }

    /** Carries a timer's SQL failure out of the transaction callback, which rolls back on it. */
    private static final class TimerWorkFailed extends RuntimeException {
        final SQLException failure;

        TimerWorkFailed(SQLException failure) {
            super(failure);
            this.failure = failure;
        }
    }

    private NewJob dwellJob(CompiledZone zone, UUID assetId, Instant since) {
        var payload = json.createObjectNode()
                .put("tenantId", zone.tenantId().toString())
                .put("assetId", assetId.toString())
                .put("zoneId", zone.id().toString())
                .put("since", since.toString());
        return new NewJob(
                DWELL_JOB,
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
        return positions.fixAt(position.tenantId(), position.assetId(), time);
    }

    private static FenceEvents.@Nullable FixData fixData(PositionHistory.@Nullable Fix fix) {
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

    static FenceRules rules(FenceSettings settings) {
        return new FenceRules(
                settings.minFixes(), settings.minDuration(), settings.maxAccuracyMeters(), settings.dwell());
    }

    /** One proximity episode's key: tenant, rule and the (ordered) pair of assets. */
    record PairKey(UUID tenantId, String rule, ProximityRule.AssetPair pair) {}

    /**
     * Ties an emitted event to the transition it announces, for the transition history, with the
     * time of the fix (or the timer) that confirmed it.
     */
    record Link(
            UUID tenantId,
            UUID assetId,
            UUID zoneId,
            Transition transition,
            @Nullable Instant confirmedAt) {}

    /** Everything one group (or one timer) writes, collected during evaluation and flushed at once. */
    private final class GroupWork {
        final Map<UUID, AssetFences> next = new HashMap<>();
        // The zones one position may be in, reused from position to position.
        final List<CompiledZone> candidates = new ArrayList<>();
        // The last change of each (asset, zone) state: an upsert, or a delete (a settled-outside state).
        final Map<List<UUID>, FenceStore.StateRow> stateChanges = new java.util.LinkedHashMap<>();
        final List<NewEvent> events = new ArrayList<>();
        final List<@Nullable Link> links = new ArrayList<>();
        final Map<PairKey, ProximityRule.ProximityState> pairNext = new HashMap<>();
        final List<FenceStore.SpeedingRow> speedingUpserts = new ArrayList<>();
        final List<UUID> speedingDeletes = new ArrayList<>();
        final List<UUID> staleDeletes = new ArrayList<>();
        final List<PendingCorrection> pendingCorrections = new ArrayList<>();
        final List<NewJob> jobs = new ArrayList<>();
        int emitted;
        int corrected;

        void upsert(UUID tenantId, UUID assetId, UUID zoneId, FenceState state) {
            stateChanges.put(List.of(assetId, zoneId), new FenceStore.StateRow(tenantId, assetId, zoneId, state));
        }

        void delete(UUID tenantId, UUID assetId, UUID zoneId) {
            stateChanges.put(
                    List.of(assetId, zoneId), new FenceStore.StateRow(tenantId, assetId, zoneId, FenceState.OUTSIDE));
        }

        void emit(NewEvent event, @Nullable Link link) {
            events.add(event);
            links.add(link);
        }

        void speedingStarted(UUID tenantId, UUID assetId, SpeedingRule.SpeedingStarted started, double maxKmh) {
            speedingDeletes.remove(assetId);
            speedingUpserts.add(
                    new FenceStore.SpeedingRow(tenantId, assetId, started.time(), started.limitKmh(), maxKmh));
        }

        void speedingEnded(UUID tenantId, UUID assetId) {
            speedingUpserts.removeIf(row -> row.assetId().equals(assetId));
            speedingDeletes.add(assetId);
        }

        void unstale(UUID tenantId, UUID assetId) {
            staleDeletes.add(assetId);
        }

        void correct(
                CompiledZone zone,
                UUID assetId,
                @Nullable AssetSummary asset,
                Instant lateFrom,
                Reevaluation.Outcome outcome,
                List<FenceStore.TransitionRow> previous,
                List<PositionHistory.Fix> track) {
            List<FenceStore.TransitionRow> retracted = new ArrayList<>();
            List<FenceStore.TransitionRow> remaining = new ArrayList<>(previous);
            for (Transition transition : outcome.retracted()) {
                for (FenceStore.TransitionRow row : remaining) {
                    if (row.transition().equals(transition)) {
                        retracted.add(row);
                        remaining.remove(row);
                        break;
                    }
                }
            }
            Map<Instant, PositionHistory.Fix> fixes = new HashMap<>();
            track.forEach(fix -> fixes.put(fix.time(), fix));
            int firstAsserted = events.size();
            for (Reevaluation.Emitted emitted : outcome.asserted()) {
                Transition transition = emitted.transition();
                Instant at = FenceEvents.positionTime(transition);
                emit(
                        FenceEvents.transition(
                                zone, assetId, asset, transition, at == null ? null : fixData(fixes.get(at)), true),
                        new Link(zone.tenantId(), assetId, zone.id(), transition, emitted.confirmedAt()));
            }
            pendingCorrections.add(new PendingCorrection(
                    zone,
                    assetId,
                    asset,
                    lateFrom,
                    retracted,
                    firstAsserted,
                    outcome.asserted().size()));
        }

        void flush() throws SQLException {
            List<FenceStore.StateRow> upserts = new ArrayList<>();
            List<FenceStore.StateRow> deletes = new ArrayList<>();
            for (var row : stateChanges.values()) {
                (AssetFences.isSettledOutside(row.state()) ? deletes : upserts).add(row);
            }
            store.write(upserts, deletes);
            store.writeRuleState(speedingUpserts, speedingDeletes, staleDeletes, pairNext);
            List<UUID> ids = events.isEmpty() ? List.of() : eventLog.append(events);
            List<FenceStore.NewTransition> recorded = new ArrayList<>(ids.size());
            for (int i = 0; i < ids.size(); i++) {
                Link link = links.get(i);
                if (link != null) {
                    recorded.add(new FenceStore.NewTransition(
                            ids.get(i),
                            link.tenantId(),
                            link.assetId(),
                            link.zoneId(),
                            link.transition(),
                            link.confirmedAt()));
                }
            }
            store.recordTransitions(recorded);
            emitted += ids.size();
            if (!pendingCorrections.isEmpty()) {
                List<NewEvent> correctionEvents = new ArrayList<>();
                List<UUID> retractedIds = new ArrayList<>();
                for (PendingCorrection pending : pendingCorrections) {
                    List<FenceEvents.TransitionRef> asserted = new ArrayList<>();
                    for (int i = pending.firstAsserted(); i < pending.firstAsserted() + pending.assertedCount(); i++) {
                        Transition t =
                                java.util.Objects.requireNonNull(links.get(i)).transition();
                        asserted.add(new FenceEvents.TransitionRef(ids.get(i), FenceEvents.type(t), t.time()));
                    }
                    List<FenceEvents.TransitionRef> retracted = new ArrayList<>();
                    for (FenceStore.TransitionRow row : pending.retracted()) {
                        retractedIds.add(row.eventId());
                        retracted.add(new FenceEvents.TransitionRef(
                                row.eventId(),
                                FenceEvents.type(row.transition()),
                                row.transition().time()));
                    }
                    correctionEvents.add(FenceEvents.correction(
                            pending.zone(),
                            pending.assetId(),
                            pending.asset(),
                            pending.lateFrom(),
                            retracted,
                            asserted));
                }
                store.retract(retractedIds);
                eventLog.append(correctionEvents);
                emitted += correctionEvents.size();
                corrected += correctionEvents.size();
            }
            if (!jobs.isEmpty()) {
                FenceEngine.this.jobs.enqueue(jobs);
            }
        }
    }

    private record PendingCorrection(
            CompiledZone zone,
            UUID assetId,
            @Nullable AssetSummary asset,
            Instant lateFrom,
            List<FenceStore.TransitionRow> retracted,
            int firstAsserted,
            int assertedCount) {}
}
