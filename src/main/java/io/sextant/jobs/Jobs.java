package io.sextant.jobs;

import io.sextant.shared.Ids;
import io.sextant.shared.access.RequiresPermission;
import io.sextant.shared.problem.InvalidInput;
import io.sextant.shared.web.CursorPage;
import io.sextant.shared.web.Cursors;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Queues background jobs durably and shows them, on PostgreSQL or Redis ({@link JobStore}). A job is
 * queued in the caller's transaction, so it exists exactly when the change that caused it commits
 * (with Redis, through the outbox); the workers of every node run it at least once (see {@link
 * JobHandler} for what that asks of handlers).
 *
 * <p>Ordering keys are global: put the tenant or aggregate in the key ({@code "webhook:" +
 * subscriptionId}) when jobs of different tenants must not wait for each other. In a tenant-scoped
 * transaction only jobs of that tenant can be queued (row-level security).
 */
@Service
public class Jobs {

    private final JobStore repository;
    private final JobHandlers handlers;
    private final JobSignal signal;

    Jobs(JobStore repository, JobHandlers handlers, JobSignal signal) {
        this.repository = repository;
        this.handlers = handlers;
        this.signal = signal;
    }

    /**
     * Queues a job in the current Spring-managed transaction if there is one (else on its own), and
     * wakes this node's worker once it has committed. Returns the job's id.
     */
    public UUID enqueue(NewJob job) {
        check(job);
        UUID id = Ids.newId();
        repository.insert(List.of(id), List.of(job), List.of(maxAttempts(job.kind())));
        wakeAfterCommit();
        return id;
    }

    /**
     * Queues jobs in one batch within the current Spring-managed transaction (such as an ingest
     * group's), which they commit with or not at all, and wakes this node's workers once it has
     * committed. Returns their ids, in order.
     *
     * @throws IllegalStateException outside a transaction: a batch belongs to the work that caused it
     */
    public List<UUID> enqueue(List<NewJob> jobs) {
        if (jobs.isEmpty()) {
            return List.of();
        }
        if (!TransactionSynchronizationManager.isActualTransactionActive()) {
            throw new IllegalStateException("a batch of jobs is queued only within the transaction that causes it");
        }
        List<UUID> ids = new ArrayList<>(jobs.size());
        List<Integer> maxAttempts = new ArrayList<>(jobs.size());
        for (NewJob job : jobs) {
            check(job);
            ids.add(Ids.newId());
            maxAttempts.add(maxAttempts(job.kind()));
        }
        repository.insert(ids, jobs, maxAttempts);
        wakeAfterCommit();
        return List.copyOf(ids);
    }

    /** One of {@code tenantId}'s jobs; another tenant's job is absent, like one that does not exist. */
    @Transactional(readOnly = true)
    @RequiresPermission("jobs:read")
    public Optional<JobView> find(UUID tenantId, UUID id) {
        return repository.find(tenantId, id);
    }

    /** A page of {@code tenantId}'s jobs, last queued first, optionally of one status and kind. */
    @Transactional(readOnly = true)
    @RequiresPermission("jobs:read")
    public CursorPage<JobView> list(
            UUID tenantId, @Nullable JobStatus status, @Nullable String kind, @Nullable String cursor, int limit) {
        List<JobStore.Listed> rows = repository.page(tenantId, status, kind, seq(cursor), limit + 1);
        return CursorPage.fromLookahead(rows, limit, row -> Long.toString(row.seq()))
                .map(JobStore.Listed::view);
    }

    /** How many of {@code tenantId}'s jobs are in each status, overall and per kind. */
    @Transactional(readOnly = true)
    @RequiresPermission("jobs:read")
    public JobSummary summary(UUID tenantId) {
        Map<String, Long> total = zeros();
        Map<String, Map<String, Long>> kinds = new TreeMap<>();
        for (JobStore.Count count : repository.count(tenantId)) {
            total.merge(count.status().id(), count.count(), Long::sum);
            kinds.computeIfAbsent(count.kind(), k -> zeros()).put(count.status().id(), count.count());
        }
        return new JobSummary(total, kinds);
    }

    /**
     * Queues one of {@code tenantId}'s dead jobs again, due now and with its attempts reset. False
     * if there is no such job or it is not dead.
     */
    @Transactional
    @RequiresPermission("jobs:read")
    public boolean retry(UUID tenantId, UUID id) {
        boolean requeued = repository.requeueDead(tenantId, id);
        if (requeued) {
            wakeAfterCommit();
        }
        return requeued;
    }

    private int maxAttempts(String kind) {
        return handlers.find(kind).map(h -> h.retryPolicy().maxAttempts()).orElse(1);
    }

    private void wakeAfterCommit() {
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    signal.wake();
                }
            });
        } else {
            signal.wake();
        }
    }

    private static @Nullable Long seq(@Nullable String cursor) {
        String position = Cursors.decode(cursor);
        if (position == null) {
            return null;
        }
        try {
            return Long.parseLong(position);
        } catch (NumberFormatException e) {
            throw new InvalidInput("cursor", "is not a cursor returned by this API");
        }
    }

    private static void check(NewJob job) {
        if (job.kind().isBlank()) {
            throw new IllegalArgumentException("a job needs a kind");
        }
    }

    private static Map<String, Long> zeros() {
        Map<String, Long> counts = new LinkedHashMap<>();
        for (JobStatus status : JobStatus.values()) {
            counts.put(status.id(), 0L);
        }
        return counts;
    }
}
