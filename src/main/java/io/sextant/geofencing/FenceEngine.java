package io.sextant.geofencing;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.sextant.asset.AssetSummary;
import io.sextant.shared.TenantContext;
import io.sextant.shared.geo.GeoPoint;
import io.sextant.tracking.AssetCatalog;
import io.sextant.tracking.LatestPositions;
import io.sextant.tracking.Position;
import io.sextant.tracking.PositionHistory;
import io.sextant.tracking.PositionObserver;
import io.sextant.tracking.StoredGroup;
import io.sextant.zone.CompiledZone;
import io.sextant.zone.ZoneDirectory;
import io.sextant.zone.ZoneIndex;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Real-time geofencing in the ingest path: the wiring around the pure {@link FenceEvaluation}. For
 * each group of stored positions it takes the lock stripes of the group's assets (held from
 * evaluation to commit, so two writer threads never evaluate the same asset at once), evaluates
 * each tenant's share against that tenant's zones — an in-memory index of prepared shapes, no
 * database round trip per position — and has the {@link FenceOutcomeWriter} write the outcome in
 * the group's own transaction. The committed in-memory states it keeps change only when that
 * transaction commits. The durable timers (dwell, stale) come through here for the same lock.
 *
 * <p>Late data: a position not newer than the last one evaluated for its asset re-evaluates that
 * asset's stored track from the last settled transition before it (at most {@code lateLookback}
 * back) and compares the transitions this yields with those emitted before; any difference is
 * announced by a {@code sextant.fence.corrected} event that retracts and asserts transitions.
 */
@Component
class FenceEngine implements PositionObserver {

    private static final Logger log = LoggerFactory.getLogger(FenceEngine.class);
    private static final int STRIPES = 256;

    private final ZoneDirectory zones;
    private final AssetCatalog assets;
    private final LatestPositions latest;
    private final FenceStore store;
    private final PositionHistory positions;
    private final FenceOutcomeWriter writer;
    private final FenceEvaluation evaluator;
    private final AssetRuleBook ruleBook;
    private final TransactionTemplate transactions;
    // Proximity episodes in it are read and changed only while holding proximityLock.
    private final FenceStates states;
    private final ReentrantLock proximityLock = new ReentrantLock();
    private final ReentrantLock[] stripes = new ReentrantLock[STRIPES];
    private final Timer evaluation;
    private final Counter transitions;
    private final Counter corrections;
    private final Counter lateReplayed;
    private final Counter lateSkipped;

    FenceEngine(
            ZoneDirectory zones,
            AssetCatalog assets,
            LatestPositions latest,
            FenceStore store,
            PositionHistory positions,
            FenceOutcomeWriter writer,
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
        this.writer = writer;
        this.evaluator = new FenceEvaluation(new Reads(), properties);
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
        this.lateReplayed = Counter.builder("sextant.fences.replayed")
                .description("Late positions (not after the last one evaluated for their asset) re-evaluated"
                        + " by replaying the asset's stored track")
                .register(meters);
        this.lateSkipped = Counter.builder("sextant.fences.late")
                .tag("outcome", "skipped")
                .description("Late positions whose re-evaluation needed more than the replay limit")
                .register(meters);
        this.states = new FenceStates(
                store,
                assetId -> latest.latestOf(assetId).map(Position::eventTime).orElse(null));
        int loaded = states.loadAll();
        log.info("Fence engine loaded {} assets with fence or rule state", loaded);
    }

    /**
     * Locks every asset of the group first (one global order, so concurrent groups cannot
     * deadlock), then evaluates and writes tenant by tenant in the group's transaction, each
     * tenant's share under that tenant's row-level security.
     */
    @Override
    public Observation observe(StoredGroup group) throws SQLException {
        long started = System.nanoTime();
        // The group's stripes, taken in ascending order (one order for every writer).
        boolean[] held = new boolean[STRIPES];
        for (Position position : group.positions()) {
            held[stripe(position.assetId())] = true;
        }
        for (int index = 0; index < STRIPES; index++) {
            if (held[index]) {
                stripes[index].lock();
            }
        }
        // Taken after the stripes (the same order as ever), once a tenant with proximity rules shows.
        boolean[] holdsProximity = {false};
        List<FenceOutcome> done = new ArrayList<>();
        try {
            group.forEachTenant((tenantId, stored) -> {
                // The tenant's rules, looked up once per group, in the tenant's scope.
                AssetRules rules = ruleBook.rulesOf(tenantId);
                if (!rules.proximity().isEmpty() && !holdsProximity[0]) {
                    proximityLock.lock();
                    holdsProximity[0] = true;
                }
                ZoneIndex index = zones.indexFor(tenantId);
                FenceOutcome work = new FenceOutcome(stored.size());
                int from = 0;
                while (from < stored.size()) {
                    UUID assetId = stored.get(from).assetId();
                    int to = from;
                    while (to < stored.size() && stored.get(to).assetId().equals(assetId)) {
                        to++;
                    }
                    evaluator.evaluateAsset(index, stored.subList(from, to), rules, work);
                    from = to;
                }
                writer.write(work);
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
                for (FenceOutcome work : done) {
                    states.putAll(work.next);
                    states.applyPairs(work.pairNext);
                    transitions.increment(work.emitted);
                    corrections.increment(work.corrected);
                    lateReplayed.increment(work.lateReplayed);
                    lateSkipped.increment(work.lateSkipped);
                }
                release(held, holdsProximity[0]);
            }

            @Override
            public void abandoned() {
                release(held, holdsProximity[0]);
            }
        };
    }

    private void release(boolean[] held, boolean proximity) {
        if (proximity) {
            proximityLock.unlock();
        }
        for (int index = STRIPES - 1; index >= 0; index--) {
            if (held[index]) {
                stripes[index].unlock();
            }
        }
    }

    private int stripe(UUID assetId) {
        return Math.floorMod(assetId.hashCode(), STRIPES);
    }

    /** Fires a dwell that is due with no new fix to trigger it (the durable dwell timer). */
    void dwellDue(UUID tenantId, UUID assetId, UUID zoneId, Instant since, Instant now) throws SQLException {
        ReentrantLock lock = stripes[stripe(assetId)];
        lock.lock();
        try {
            AssetFences fences = states.get(assetId);
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
            Step step = FenceStateMachine.atTime(state, now, FenceEvaluation.rules(zone.settings()));
            if (step.transitions().isEmpty()) {
                return;
            }
            FenceOutcome work = new FenceOutcome();
            Map<UUID, FenceState> zoneStates = new HashMap<>(fences.states());
            zoneStates.put(zoneId, step.state());
            work.upsert(tenantId, assetId, zoneId, step.state());
            for (Transition transition : step.transitions()) {
                if (zone.activeAt(transition.time())) {
                    work.emit(
                            FenceEvents.transition(
                                    zone, assetId, assets.summary(assetId).orElse(null), transition, null, false),
                            new FenceOutcome.Link(tenantId, assetId, zoneId, transition, now));
                }
            }
            inTransaction(tenantId, () -> writer.write(work));
            states.put(assetId, fences.with(fences.lastTime(), zoneStates));
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
            AssetFences fences = states.of(assetId);
            if (fences.stale()
                    || (fences.lastTime() != null && fences.lastTime().isAfter(lastSeen))) {
                return false;
            }
            AssetSummary asset = assets.summary(assetId).orElse(null);
            inTransaction(tenantId, () -> {
                writer.markStale(
                        tenantId,
                        assetId,
                        lastSeen,
                        now,
                        RuleEvents.stale(tenantId, assetId, asset, lastSeen, staleAfter));
            });
            states.put(
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

    /** What evaluation looks up: this engine's committed states, the asset and position caches, the stores. */
    private final class Reads implements FenceReads {

        @Override
        public AssetFences fencesOf(UUID assetId) {
            return states.of(assetId);
        }

        @Override
        public Optional<AssetSummary> asset(UUID assetId) {
            return assets.summary(assetId);
        }

        @Override
        public Optional<Position> latestOf(UUID assetId) {
            return latest.latestOf(assetId);
        }

        @Override
        public List<LatestPositions.NearbyAsset> nearby(
                UUID tenantId, GeoPoint center, double radiusMeters, int limit) {
            return latest.nearbyOf(tenantId, center, radiusMeters, limit);
        }

        @Override
        public Collection<PairKey> pairKeys() {
            return states.pairKeys();
        }

        @Override
        public ProximityRule.ProximityState pair(PairKey key) {
            return states.pair(key);
        }

        @Override
        public PositionHistory.@Nullable Fix fixAt(UUID tenantId, UUID assetId, Instant time) throws SQLException {
            return positions.fixAt(tenantId, assetId, time);
        }

        @Override
        public List<PositionHistory.Fix> track(UUID tenantId, UUID assetId, Instant from, Instant to, int limit)
                throws SQLException {
            return positions.track(tenantId, assetId, from, to, limit);
        }

        @Override
        public List<FenceStore.TransitionRow> history(UUID tenantId, UUID assetId, UUID zoneId, Instant horizon)
                throws SQLException {
            return store.history(tenantId, assetId, zoneId, horizon);
        }

        @Override
        public Set<UUID> zonesWithTransitionsAfter(UUID tenantId, UUID assetId, Instant after) throws SQLException {
            return store.zonesWithTransitionsAfter(tenantId, assetId, after);
        }
    }
}
