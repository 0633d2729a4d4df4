package io.sextant.jobs;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * Where jobs are kept and claimed: {@link JobRepository} (PostgreSQL, the default) or {@link
 * RedisJobStore} (Redis Streams, when Redis is configured). {@link Jobs} and {@link JobWorker} are
 * written against this contract alone, and one contract test suite runs on both.
 *
 * <p>An attempt's outcome is recorded only while the job is still the recorder's — running, held by
 * that worker, at that attempt; a late outcome of an attempt whose lease was taken over is a no-op
 * (false).
 */
interface JobStore {

    /**
     * Queues jobs with the current Spring-managed transaction if there is one: they exist exactly
     * when it commits.
     */
    void insert(List<UUID> ids, List<NewJob> jobs, List<Integer> maxAttempts);

    /**
     * Whether an attempt's outcome is recorded in the database (so in a transaction that handlers'
     * callbacks can join); false when it is recorded elsewhere and needs no database transaction.
     */
    boolean outcomesInDatabase();

    /**
     * Claims up to {@code limit} claimable jobs for {@code worker}: due, first of their ordering key;
     * now running with their attempt counted, leased for their kind's timeout ({@code defaultLease}
     * for kinds without a handler here).
     */
    List<Claimed> claim(String worker, int limit, Map<String, Duration> leases, Duration defaultLease);

    /** Takes over up to {@code limit} running jobs whose lease has expired, to record them failed. */
    List<Claimed> takeExpired(String worker, int limit);

    /** When the next queued job not yet due is due (a retry, a timer), if any. */
    Optional<Instant> nextDue();

    boolean succeed(UUID id, String worker, int attempt);

    /**
     * Extends the leases of {@code worker}'s running attempts to {@code lease} from now; an attempt no
     * longer its (taken over, finished), or whose lease has already run out, is left alone — an
     * expired lease belongs to whichever worker takes it over. Returns how many were extended.
     */
    int renew(String worker, List<Attempt> attempts, Duration lease);

    /** Records several successful attempts of {@code worker} at once; returns the ids still its own. */
    default Set<UUID> succeedAll(String worker, List<Attempt> attempts) {
        Set<UUID> recorded = new HashSet<>();
        for (Attempt attempt : attempts) {
            if (succeed(attempt.id(), worker, attempt.attempt())) {
                recorded.add(attempt.id());
            }
        }
        return recorded;
    }

    /** Queues the job again after {@code delay}, recording why this attempt failed. */
    boolean retryLater(UUID id, String worker, int attempt, Duration delay, String error, int maxAttempts);

    boolean bury(UUID id, String worker, int attempt, String error, int maxAttempts);

    /** Hands an attempt back uncounted (this node is stopping), for any worker to run at once. */
    boolean release(UUID id, String worker, int attempt);

    /** Makes sure {@code kind} has a schedule of {@code every}; a new one is due at once. */
    void schedule(String kind, Duration every);

    /**
     * For each due schedule among {@code kinds}: queues one job of its kind (once across all nodes),
     * unless its previous one still waits, and moves the schedule on by its interval.
     */
    List<UUID> enqueueDue(Collection<String> kinds, Map<String, Integer> maxAttempts);

    /** Deletes up to {@code limit} jobs in {@code status} finished more than {@code age} ago. */
    int deleteFinished(JobStatus status, Duration age, int limit);

    /** Unfinished jobs per kind and the age of the oldest due one, for the gauges; all tenants. */
    Map<String, JobMeters.Depth> depthByKind();

    /** One job of {@code tenantId}, or of the system when it is null. */
    Optional<JobView> find(@Nullable UUID tenantId, UUID id);

    /** A page of {@code tenantId}'s jobs (the system's when null), last queued first. */
    List<Listed> page(
            @Nullable UUID tenantId,
            @Nullable JobStatus status,
            @Nullable String kind,
            @Nullable Long beforeSeq,
            int limit);

    /** Counts of a tenant's jobs by kind and status. */
    List<Count> count(UUID tenantId);

    /** Queues a dead job again, due now, with its attempts reset. */
    boolean requeueDead(UUID tenantId, UUID id);

    /**
     * Waits up to {@code timeout} for work while {@code worker} has free slots: until this node's
     * {@code signal} fires, or — where the store can tell — until a job becomes ready on any node.
     */
    default void awaitWork(String worker, JobSignal signal, Duration timeout) throws InterruptedException {
        signal.await(timeout);
    }

    /** One attempt of one job. */
    record Attempt(UUID id, int attempt) {}

    /** A job claimed by (or taken over for) this worker, and when its attempt started. */
    record Claimed(Job job, Instant startedAt) {}

    /** A job of a list, with its place in the queue order (the list's cursor). */
    record Listed(long seq, JobView view) {}

    /** A number of jobs of one kind in one status. */
    record Count(String kind, JobStatus status, long count) {}
}
