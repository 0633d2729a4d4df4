package io.sextant.jobs;

import io.sextant.jobs.JobStore.Claimed;
import io.sextant.shared.NodeRoles;
import io.sextant.shared.TenantContext;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionCallback;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Runs this node's share of the jobs. One dispatcher thread claims due jobs (as many as there are
 * free slots, {@code sextant.jobs.workers}) and hands each to a virtual thread — or, for a kind
 * whose handler takes batches, the jobs of one tenant claimed together to one virtual thread, which
 * takes one slot. A handler runs
 * outside any transaction and holds no row lock: the claim committed the job as running under a
 * lease (its handler's timeout), and a short transaction afterwards records the outcome, if the job
 * is still this attempt's. Between polls the dispatcher also reclaims expired leases (their
 * attempts count as failed) and queues the jobs of due recurring schedules.
 */
@Component
class JobWorker implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(JobWorker.class);
    /** The lease of a job whose kind has no handler here: long enough to record it dead. */
    private static final Duration UNKNOWN_KIND_LEASE = Duration.ofMinutes(1);

    private static final int MAX_ERROR_LENGTH = 4000;
    private static final int REAP_BATCH = 100;
    private static final Duration GAUGE_REFRESH = Duration.ofSeconds(5);

    private final JobStore repository;
    private final JobHandlers handlers;
    private final JobSignal signal;
    private final JobsProperties properties;
    private final TransactionTemplate transactions;
    private final JobMeters meters;
    private final NodeRoles roles;
    private final String name;
    private final Semaphore slots;
    private final Map<String, Duration> leases = new HashMap<>();
    /** Each kind's timeout: how long an attempt's lease is renewed at most. */
    private final Map<String, Duration> timeouts = new HashMap<>();
    /** This node's running attempts, whose leases the dispatcher renews. */
    private final Map<UUID, Running> attempts = new ConcurrentHashMap<>();

    private final Map<String, Integer> scheduledMaxAttempts = new HashMap<>();
    private volatile boolean running;
    /** Whether the recurring schedules are in the store (done by the dispatcher, retried until it works). */
    private boolean schedulesKept;
    /** Whether the last poll failed (the store unreachable): logged when it starts and when it ends. */
    private boolean pollFailing;

    private @Nullable Thread dispatcher;
    private @Nullable ExecutorService executor;

    JobWorker(
            JobStore repository,
            JobHandlers handlers,
            JobSignal signal,
            JobsProperties properties,
            TransactionTemplate transactions,
            JobMeters meters,
            NodeRoles roles) {
        this.roles = roles;
        this.repository = repository;
        this.handlers = handlers;
        this.signal = signal;
        this.properties = properties;
        this.transactions = transactions;
        this.meters = meters;
        this.name = nodeName();
        this.slots = new Semaphore(properties.workers());
    }

    /** Identifies this worker in {@code locked_by}: the host, the process and a random suffix. */
    String name() {
        return name;
    }

    @Override
    public void start() {
        for (JobHandler handler : handlers.all()) {
            Duration timeout = handler.timeout();
            timeouts.put(handler.kind(), timeout);
            leases.put(handler.kind(), timeout.compareTo(properties.lease()) < 0 ? timeout : properties.lease());
            if (handler.every() != null) {
                scheduledMaxAttempts.put(handler.kind(), handler.retryPolicy().maxAttempts());
            }
        }
        schedulesKept = false;
        executor = Executors.newThreadPerTaskExecutor(
                Thread.ofVirtual().name("job-", 0).factory());
        running = true;
        dispatcher = Thread.ofPlatform().name("job-dispatcher").daemon().start(this::dispatch);
        log.info("Job worker {} started: {} slots, {} handlers", name, properties.workers(), leases.size());
    }

    /**
     * Stops claiming, then waits up to {@code sextant.jobs.shutdown-timeout} for running jobs. Jobs
     * still running after that are interrupted; an attempt that ends interrupted is handed back
     * uncounted, and one that does not end in time is reclaimed when its lease expires.
     */
    @Override
    public void stop() {
        running = false;
        signal.wake();
        Thread thread = dispatcher;
        ExecutorService pool = executor;
        try {
            if (thread != null) {
                thread.join(properties.pollInterval().toMillis() + 5_000);
            }
            if (pool != null) {
                pool.shutdown();
                if (!pool.awaitTermination(properties.shutdownTimeout().toMillis(), TimeUnit.MILLISECONDS)) {
                    log.warn("Jobs still running after {}: interrupting them", properties.shutdownTimeout());
                    pool.shutdownNow();
                    pool.awaitTermination(5, TimeUnit.SECONDS);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        dispatcher = null;
        executor = null;
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** On nodes with the worker role, unless turned off ({@code SEXTANT_JOBS_WORKER_ENABLED=false}). */
    @Override
    public boolean isAutoStartup() {
        return properties.workerEnabled() && roles.worker();
    }

    /**
     * Below the web server's phases, like the position writer: stops only after the server has
     * drained its requests, and long before the data source closes. Above the writer, so jobs stop
     * before it does.
     */
    @Override
    public int getPhase() {
        return SmartLifecycle.DEFAULT_PHASE - 3072;
    }

    private void dispatch() {
        long pollNanos = properties.pollInterval().toNanos();
        long nextHousekeeping = System.nanoTime();
        long nextGauge = System.nanoTime();
        long renewNanos = properties.lease().toNanos() / 3;
        long nextRenewal = System.nanoTime() + renewNanos;
        while (running) {
            try {
                if (System.nanoTime() - nextHousekeeping >= 0) {
                    reclaimExpiredLeases();
                    enqueueDueSchedules();
                    nextHousekeeping = System.nanoTime() + pollNanos;
                }
                if (System.nanoTime() - nextRenewal >= 0) {
                    renewLeases();
                    nextRenewal = System.nanoTime() + renewNanos;
                }
                if (System.nanoTime() - nextGauge >= 0) {
                    meters.depth(TenantContext.callAsSystem(repository::depthByKind), leases.keySet());
                    nextGauge = System.nanoTime() + GAUGE_REFRESH.toNanos();
                }
                if (pollFailing) {
                    pollFailing = false;
                    log.info("Job worker {} polls again", name);
                }
                int free = slots.availablePermits();
                if (free > 0 && claimAndRun(free) == free) {
                    continue; // a full batch: more may be due
                }
                long sleep = Math.min(nextHousekeeping, nextRenewal) - System.nanoTime();
                if (free > 0) {
                    // A retry or timer due before the next poll is worth waking up for.
                    Optional<Instant> nextDue = repository.nextDue();
                    if (nextDue.isPresent()) {
                        long untilDue =
                                Duration.between(Instant.now(), nextDue.get()).toNanos();
                        sleep = Math.min(sleep, Math.max(untilDue, 1_000_000));
                    }
                }
                Duration wait = Duration.ofNanos(Math.max(sleep, 0));
                if (free > 0) {
                    repository.awaitWork(name, signal, wait);
                } else {
                    signal.await(wait);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                // Once per outage, not once per poll: a store away for minutes would flood the log.
                if (!pollFailing) {
                    pollFailing = true;
                    log.warn(
                            "Job worker {} could not poll (retrying every {}): {}",
                            name,
                            properties.pollInterval(),
                            e.toString());
                } else {
                    log.debug("Job worker {} still cannot poll: {}", name, e.toString());
                }
                try {
                    signal.await(properties.pollInterval());
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    return;
                }
                nextHousekeeping = System.nanoTime();
            }
        }
    }

    /**
     * Claims up to {@code free} jobs and runs them as tasks, each task taking one slot: a job on its
     * own, or a batch of jobs of a batching kind (so a claim never needs more slots than are free,
     * and a batch leaves the other slots to further claims).
     */
    private int claimAndRun(int free) throws InterruptedException {
        List<Claimed> claimed = repository.claim(name, free, leases, UNKNOWN_KIND_LEASE);
        long now = System.nanoTime();
        for (Claimed job : claimed) {
            Duration timeout = timeouts.getOrDefault(job.job().kind(), UNKNOWN_KIND_LEASE);
            attempts.put(job.job().id(), new Running(job.job().attempt(), now + timeout.toNanos()));
        }
        for (List<Claimed> task : tasks(claimed)) {
            slots.acquire();
            ExecutorService pool = executor;
            if (pool == null) {
                slots.release();
                task.forEach(job -> {
                    attempts.remove(job.job().id());
                    release(job.job());
                });
                continue;
            }
            try {
                pool.execute(() -> {
                    try {
                        run(task);
                    } finally {
                        task.forEach(job -> attempts.remove(job.job().id()));
                        slots.release();
                        signal.wake();
                    }
                });
            } catch (RejectedExecutionException stopping) {
                slots.release();
                task.forEach(job -> {
                    attempts.remove(job.job().id());
                    release(job.job());
                });
            }
        }
        return claimed.size();
    }

    /**
     * The claimed jobs as tasks: the jobs of a kind whose handler takes batches are grouped by
     * tenant, up to its batch size; every other job is a task of its own.
     */
    private List<List<Claimed>> tasks(List<Claimed> claimed) {
        List<List<Claimed>> tasks = new ArrayList<>();
        Map<BatchKey, List<Claimed>> open = new HashMap<>();
        for (Claimed job : claimed) {
            int batchSize =
                    handlers.find(job.job().kind()).map(JobHandler::batchSize).orElse(1);
            if (batchSize <= 1) {
                tasks.add(List.of(job));
                continue;
            }
            BatchKey key = new BatchKey(job.job().kind(), job.job().tenantId());
            List<Claimed> batch = open.get(key);
            if (batch == null || batch.size() >= batchSize) {
                batch = new ArrayList<>();
                open.put(key, batch);
                tasks.add(batch);
            }
            batch.add(job);
        }
        return tasks;
    }

    private record BatchKey(String kind, @Nullable UUID tenantId) {}

    /**
     * Extends the leases of this node's running attempts that have not yet reached their kind's
     * timeout; one past it is left to expire, and another worker then records it failed.
     */
    private void renewLeases() {
        long now = System.nanoTime();
        List<JobStore.Attempt> renewable = new ArrayList<>();
        attempts.forEach((id, attempt) -> {
            if (now - attempt.renewUntilNanos() < 0) {
                renewable.add(new JobStore.Attempt(id, attempt.attempt()));
            }
        });
        if (!renewable.isEmpty()) {
            repository.renew(name, renewable, properties.lease());
        }
    }

    /** A running attempt of this node and until when (System.nanoTime) its lease is renewed. */
    private record Running(int attempt, long renewUntilNanos) {}

    private void reclaimExpiredLeases() {
        for (Claimed expired : repository.takeExpired(name, REAP_BATCH)) {
            Job job = expired.job();
            log.warn("Job {} ({}) attempt {} outlived its lease", job.id(), job.kind(), job.attempt());
            Optional<JobHandler> handler = handlers.find(job.kind());
            if (handler.isPresent()) {
                fail(job, handler.get(), "lease expired", false);
            } else {
                bury(job, null, noHandler(job.kind()), 1);
            }
        }
    }

    /** Makes sure each recurring handler's schedule is in the store, with its interval. */
    private void keepSchedules() {
        for (JobHandler handler : handlers.all()) {
            Duration every = handler.every();
            if (every != null) {
                TenantContext.callAsSystem(() -> {
                    repository.schedule(handler.kind(), every);
                    return true;
                });
            }
        }
        schedulesKept = true;
    }

    private void enqueueDueSchedules() {
        if (scheduledMaxAttempts.isEmpty()) {
            return;
        }
        if (!schedulesKept) {
            keepSchedules();
        }
        Supplier<List<UUID>> enqueue = () -> repository.enqueueDue(scheduledMaxAttempts.keySet(), scheduledMaxAttempts);
        List<UUID> queued = TenantContext.callAsSystem(() -> repository.outcomesInDatabase()
                ? Objects.requireNonNullElse(transactions.execute(status -> enqueue.get()), List.of())
                : enqueue.get());
        if (!queued.isEmpty()) {
            log.debug("Queued {} recurring jobs", queued.size());
        }
    }

    /**
     * Runs a task — one job, or jobs of one batching kind and tenant — in one {@code handleAll}
     * call of their handler (for a kind that does not batch, {@code handle} on its one job), records
     * the successes in one step and each failure on its own: retried, dead, or handed back uncounted
     * when the node is stopping.
     */
    private void run(List<Claimed> task) {
        List<Job> jobs = task.stream().map(Claimed::job).toList();
        Job first = jobs.getFirst();
        task.forEach(claimed -> meters.waited(
                claimed.job().kind(), Duration.between(claimed.job().runAt(), claimed.startedAt())));
        try {
            Optional<JobHandler> found = handlers.find(first.kind());
            if (found.isEmpty()) {
                jobs.forEach(job -> bury(job, null, noHandler(job.kind()), 1));
                return;
            }
            JobHandler handler = found.get();
            long start = System.nanoTime();
            Map<UUID, Exception> failures = handleAll(handler, jobs);
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            jobs.forEach(job -> meters.ran(job.kind(), took));
            // Cleared before recording: an interrupted thread would have its database socket closed.
            boolean interrupted = Thread.interrupted();
            List<JobStore.Attempt> succeeded = jobs.stream()
                    .filter(job -> !failures.containsKey(job.id()))
                    .map(job -> new JobStore.Attempt(job.id(), job.attempt()))
                    .toList();
            if (!succeeded.isEmpty()) {
                Set<UUID> recorded = asOwner(
                        first.tenantId(),
                        () -> repository.outcomesInDatabase()
                                ? Objects.requireNonNullElse(
                                        transactions.execute(status -> repository.succeedAll(name, succeeded)),
                                        Set.of())
                                : repository.succeedAll(name, succeeded));
                for (Job job : jobs) {
                    if (recorded.contains(job.id())) {
                        meters.completed(job.kind(), JobMeters.SUCCEEDED);
                    } else if (!failures.containsKey(job.id())) {
                        leaseLost(job, "succeeded");
                    }
                }
            }
            for (Job job : jobs) {
                Exception failure = failures.get(job.id());
                if (failure == null) {
                    continue;
                }
                if (!running && (interrupted || failure instanceof InterruptedException)) {
                    release(job);
                } else {
                    fail(job, handler, describe(failure), failure instanceof PermanentJobFailure);
                }
            }
        } catch (RuntimeException e) {
            // The jobs stay running under this attempt's lease; when it expires, a worker reclaims them.
            log.error(
                    "Could not record the outcome of {} job(s) ({}) from {} attempt {}",
                    jobs.size(),
                    first.kind(),
                    first.id(),
                    first.attempt(),
                    e);
        }
    }

    /** Runs the handler on the jobs as their tenant; every job failed with the same cause if it threw. */
    private static Map<UUID, Exception> handleAll(JobHandler handler, List<Job> jobs) {
        return asOwner(jobs.getFirst().tenantId(), () -> {
            try {
                return handler.handleAll(jobs);
            } catch (Exception e) {
                Map<UUID, Exception> all = new HashMap<>();
                jobs.forEach(job -> all.put(job.id(), e));
                return all;
            }
        });
    }

    private void fail(Job job, JobHandler handler, String error, boolean permanent) {
        RetryPolicy policy = handler.retryPolicy();
        if (permanent || !Backoff.retries(policy, job.attempt())) {
            bury(job, handler, error, policy.maxAttempts());
            return;
        }
        Duration delay = Backoff.delay(policy, job.attempt(), ThreadLocalRandom.current());
        if (inTransaction(
                job, () -> repository.retryLater(job.id(), name, job.attempt(), delay, error, policy.maxAttempts()))) {
            meters.completed(job.kind(), JobMeters.RETRIED);
            log.info(
                    "Job {} ({}) attempt {} of {} failed, next in {}: {}",
                    job.id(),
                    job.kind(),
                    job.attempt(),
                    policy.maxAttempts(),
                    delay,
                    error);
        } else {
            leaseLost(job, "failed");
        }
    }

    /**
     * Marks the job dead and calls its handler's {@code deadLettered} in the same transaction. If
     * that callback fails, the job is still marked dead (without it), so a broken callback cannot
     * keep a job cycling through lease expiries; the failure is logged and kept in last_error.
     *
     * <p>When outcomes are recorded outside the database (Redis), the callback runs first in a
     * database transaction, the job is marked dead before it commits, and the callback's writes are
     * rolled back if the attempt turned out to be no longer this worker's.
     */
    private void bury(Job job, @Nullable JobHandler handler, String error, int maxAttempts) {
        boolean buried;
        try {
            buried = handler == null || repository.outcomesInDatabase()
                    ? inTransaction(job, () -> {
                        boolean owned = repository.bury(job.id(), name, job.attempt(), error, maxAttempts);
                        if (owned && handler != null) {
                            handler.deadLettered(job, error);
                        }
                        return owned;
                    })
                    : inDatabaseTransaction(job, status -> {
                        handler.deadLettered(job, error);
                        boolean owned = repository.bury(job.id(), name, job.attempt(), error, maxAttempts);
                        if (!owned) {
                            status.setRollbackOnly();
                        }
                        return owned;
                    });
        } catch (RuntimeException callbackFailure) {
            log.error("The dead-letter callback of job {} ({}) failed", job.id(), job.kind(), callbackFailure);
            String both = error + " (dead-letter callback failed: " + describe(callbackFailure) + ")";
            buried = inTransaction(
                    job, () -> repository.bury(job.id(), name, job.attempt(), truncate(both), maxAttempts));
        }
        if (buried) {
            meters.completed(job.kind(), JobMeters.DEAD);
            log.warn("Job {} ({}) is dead after attempt {}: {}", job.id(), job.kind(), job.attempt(), error);
        } else {
            leaseLost(job, "dead");
        }
    }

    private void release(Job job) {
        if (inTransaction(job, () -> repository.release(job.id(), name, job.attempt()))) {
            log.info("Job {} ({}) interrupted by shutdown, handed back", job.id(), job.kind());
        }
    }

    /**
     * Records an outcome as the job's tenant, as its handler's callbacks expect: in a database
     * transaction when the store keeps outcomes there, else directly.
     */
    private boolean inTransaction(Job job, Supplier<Boolean> work) {
        return repository.outcomesInDatabase()
                ? inDatabaseTransaction(job, status -> work.get())
                : asJobOwner(job, work);
    }

    private boolean inDatabaseTransaction(Job job, TransactionCallback<Boolean> work) {
        return asJobOwner(job, () -> Boolean.TRUE.equals(transactions.execute(work)));
    }

    private static boolean asJobOwner(Job job, Supplier<Boolean> work) {
        return asOwner(job.tenantId(), work);
    }

    private static <T> T asOwner(@Nullable UUID tenantId, Supplier<T> work) {
        return tenantId == null ? TenantContext.callAsSystem(work) : TenantContext.callAs(tenantId, work);
    }

    private void leaseLost(Job job, String outcome) {
        log.warn(
                "Job {} ({}) attempt {} {} after its lease was taken over; outcome discarded",
                job.id(),
                job.kind(),
                job.attempt(),
                outcome);
    }

    private static String noHandler(String kind) {
        return "no handler for job kind '" + kind + "' on this node";
    }

    static String describe(Throwable failure) {
        String message = failure.getMessage();
        String text = failure instanceof PermanentJobFailure && message != null
                ? message
                : message == null
                        ? failure.getClass().getName()
                        : failure.getClass().getSimpleName() + ": " + message;
        return truncate(text);
    }

    private static String truncate(String text) {
        return text.length() <= MAX_ERROR_LENGTH ? text : text.substring(0, MAX_ERROR_LENGTH - 1) + "…";
    }

    private static String nodeName() {
        String host = System.getenv("HOSTNAME");
        byte[] suffix = new byte[3];
        ThreadLocalRandom.current().nextBytes(suffix);
        return (host == null || host.isBlank() ? "node" : host) + "/"
                + ProcessHandle.current().pid() + "/" + HexFormat.of().formatHex(suffix);
    }
}
