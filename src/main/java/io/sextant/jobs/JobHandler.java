package io.sextant.jobs;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * Runs the jobs of one kind. Returning normally completes the job; throwing fails this attempt,
 * and the {@link #retryPolicy()} decides whether it runs again. Handlers must tolerate running
 * twice: a node that dies mid-job loses its lease and another node runs the job again.
 */
public interface JobHandler {

    String kind();

    void handle(Job job) throws Exception;

    default RetryPolicy retryPolicy() {
        return RetryPolicy.NONE;
    }

    /** How long one attempt may run before its lease expires and it counts as failed. */
    default Duration timeout() {
        return Duration.ofMinutes(1);
    }

    /** If set, a job of this kind is queued on this interval (once across all nodes). */
    default @Nullable Duration every() {
        return null;
    }

    /**
     * The most jobs of this kind one {@link #handleAll} call is given. Above 1, the jobs of this kind
     * and of one tenant that a worker claims together are handed over together, so the handler can
     * share its reads, writes and waits among them, and their successes are recorded together. 1 (the
     * default): each job is handled on its own.
     */
    default int batchSize() {
        return 1;
    }

    /**
     * Handles jobs of this kind and of one tenant — at most {@link #batchSize()}, so one unless the
     * kind batches; the worker runs every job through this method. Returns the failure of each job
     * that failed, by job id — a job absent from the map succeeded. Throwing fails every job of the
     * call. The default calls {@link #handle} on each, one after another.
     */
    default Map<UUID, Exception> handleAll(List<Job> jobs) throws InterruptedException {
        Map<UUID, Exception> failures = new LinkedHashMap<>();
        for (Job job : jobs) {
            try {
                handle(job);
            } catch (InterruptedException e) {
                throw e;
            } catch (Exception e) {
                failures.put(job.id(), e);
            }
        }
        return failures;
    }

    /** Called once when the job's last attempt has failed, in the transaction that dead-letters it. */
    default void deadLettered(Job job, String lastError) {}
}
