package io.sextant.geofencing;

import io.sextant.asset.AssetSummary;
import io.sextant.events.NewEvent;
import io.sextant.jobs.NewJob;
import io.sextant.tracking.PositionHistory;
import io.sextant.zone.CompiledZone;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * What evaluating one tenant's share of a group (or one timer) decided, to be written at once:
 * state changes, events and the transitions they announce, rule state, corrections and jobs, and
 * the in-memory states to install once the transaction commits. Plain data, no I/O.
 */
final class FenceOutcome {
    final Map<UUID, AssetFences> next;
    // The zones one position may be in, reused from position to position.
    final List<CompiledZone> candidates = new ArrayList<>();
    final java.util.function.Consumer<CompiledZone> addCandidate = candidates::add;
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
    // Filled in as the outcome is written, and by evaluation for late data it could not replay.
    int emitted;
    int corrected;
    int lateReplayed;
    int lateSkipped;

    FenceOutcome() {
        this(1);
    }

    /** For the evaluation of about {@code assets} assets: their next states are held without rehashing. */
    FenceOutcome(int assets) {
        next = HashMap.newHashMap(assets);
    }

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
        speedingUpserts.add(new FenceStore.SpeedingRow(tenantId, assetId, started.time(), started.limitKmh(), maxKmh));
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
                            zone,
                            assetId,
                            asset,
                            transition,
                            at == null ? null : FenceEvaluation.fixData(fixes.get(at)),
                            true),
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

    /** A correction whose asserted transitions get their event ids when written. */
    record PendingCorrection(
            CompiledZone zone,
            UUID assetId,
            @Nullable AssetSummary asset,
            Instant lateFrom,
            List<FenceStore.TransitionRow> retracted,
            int firstAsserted,
            int assertedCount) {}
}
