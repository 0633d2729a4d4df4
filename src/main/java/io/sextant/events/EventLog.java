package io.sextant.events;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Appends events to the log inside the caller's transaction, and reads them back. Appending is the
 * only way an event is published: what is not committed with its cause does not exist.
 */
@Service
public class EventLog {

    private final EventRepository repository;
    private final ObjectProvider<OutboxRelay> relay;

    EventLog(EventRepository repository, ObjectProvider<OutboxRelay> relay) {
        this.repository = repository;
        this.relay = relay;
    }

    /** Tells the relay that events were just committed, so it hands them on without waiting to poll. */
    private void committed() {
        relay.ifAvailable(OutboxRelay::wake);
    }

    /**
     * Appends in one batch within the current Spring-managed transaction (an ingest group's, a
     * timer's), with which the events commit or not at all. Returns the ids given to the events, in
     * order; the relay is woken once the transaction has committed.
     *
     * @throws IllegalStateException outside a transaction: an event belongs to the change it reports
     */
    public List<UUID> append(List<NewEvent> events) {
        if (events.isEmpty()) {
            return List.of();
        }
        if (!TransactionSynchronizationManager.isActualTransactionActive()) {
            throw new IllegalStateException("events are appended only within the transaction of their cause");
        }
        List<UUID> ids = repository.insert(events);
        wakeAfterCommit();
        return ids;
    }

    /** Appends within the current Spring-managed transaction; returns the event's id. */
    public UUID append(NewEvent event) {
        UUID id = repository.insert(event);
        wakeAfterCommit();
        return id;
    }

    /** One event of the current tenant's log (row-level security scopes it), by id. */
    public Optional<Event> find(UUID tenantId, UUID id) {
        return repository.find(tenantId, id);
    }

    /**
     * The types of those of {@code ids} that are still in the tenant's log, by id: what a listing
     * of things done for events shows of each (one query for a page of them).
     */
    public Map<UUID, String> typesOf(UUID tenantId, Collection<UUID> ids) {
        return ids.isEmpty() ? Map.of() : repository.typesOf(tenantId, ids);
    }

    /** An event as a consumer re-queues it: its id and the asset that orders it, if any. */
    public record Reference(UUID id, @Nullable UUID assetId) {}

    /**
     * The tenant's events with event time in [{@code from}, {@code to}) that {@code filter} lets
     * through, in log order, at most {@code limit}: what a replay queues again.
     */
    public List<Reference> matching(UUID tenantId, EventFilter filter, Instant from, Instant to, int limit) {
        return repository.references(tenantId, filter, from, to, limit);
    }

    /**
     * Committed events after {@code after}, in log order, only up to the oldest transaction still
     * running: nothing can later appear before the last one returned.
     */
    public List<Event> readAfter(LogPosition after, int limit) {
        return repository.readAfter(after, limit);
    }

    /**
     * Whether committed events after {@code after} are held back by an older transaction still
     * running (see {@link #readAfter}): worth looking again soon.
     */
    boolean heldBack(LogPosition after) {
        return repository.heldBack(after);
    }

    private void wakeAfterCommit() {
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    committed();
                }
            });
        } else {
            committed();
        }
    }
}
