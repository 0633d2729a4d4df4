package io.sextant.geofencing;

import io.sextant.events.EventLog;
import io.sextant.events.NewEvent;
import io.sextant.jobs.Jobs;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.springframework.stereotype.Component;

/**
 * Writes a {@link FenceOutcome} in the current transaction (an ingest group's, a timer's): fence and
 * rule states to geofencing's tables, events through the event log (the outbox), the transitions
 * they announce, corrections, and jobs through the job queue.
 */
@Component
class FenceOutcomeWriter {

    private final FenceStore store;
    private final EventLog eventLog;
    private final Jobs jobs;

    FenceOutcomeWriter(FenceStore store, EventLog eventLog, Jobs jobs) {
        this.store = store;
        this.eventLog = eventLog;
        this.jobs = jobs;
    }

    void write(FenceOutcome work) throws SQLException {
        List<FenceStore.StateRow> upserts = new ArrayList<>();
        List<FenceStore.StateRow> deletes = new ArrayList<>();
        for (var row : work.stateChanges.values()) {
            (AssetFences.isSettledOutside(row.state()) ? deletes : upserts).add(row);
        }
        store.write(upserts, deletes);
        store.writeRuleState(work.speedingUpserts, work.speedingDeletes, work.staleDeletes, work.pairNext);
        List<UUID> ids = work.events.isEmpty() ? List.of() : eventLog.append(work.events);
        List<FenceStore.NewTransition> recorded = new ArrayList<>(ids.size());
        for (int i = 0; i < ids.size(); i++) {
            FenceOutcome.Link link = work.links.get(i);
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
        work.emitted += ids.size();
        if (!work.pendingCorrections.isEmpty()) {
            List<NewEvent> correctionEvents = new ArrayList<>();
            List<UUID> retractedIds = new ArrayList<>();
            for (FenceOutcome.PendingCorrection pending : work.pendingCorrections) {
                List<FenceEvents.TransitionRef> asserted = new ArrayList<>();
                for (int i = pending.firstAsserted(); i < pending.firstAsserted() + pending.assertedCount(); i++) {
                    Transition t =
                            java.util.Objects.requireNonNull(work.links.get(i)).transition();
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
                        pending.zone(), pending.assetId(), pending.asset(), pending.lateFrom(), retracted, asserted));
            }
            store.retract(retractedIds);
            eventLog.append(correctionEvents);
            work.emitted += correctionEvents.size();
            work.corrected += correctionEvents.size();
        }
        if (!work.jobs.isEmpty()) {
            jobs.enqueue(work.jobs);
        }
    }

    /** Records an asset as reported stale, with the event that reports it. */
    void markStale(UUID tenantId, UUID assetId, java.time.Instant lastSeen, java.time.Instant now, NewEvent event)
            throws SQLException {
        store.markStale(tenantId, assetId, lastSeen, now);
        eventLog.append(List.of(event));
    }
}
