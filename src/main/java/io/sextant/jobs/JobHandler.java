package io.sextant.jobs;

import java.time.Duration;
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

    /** Called once when the job's last attempt has failed, in the transaction that dead-letters it. */
    default void deadLettered(Job job, String lastError) {}
}
