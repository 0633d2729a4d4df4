package io.sextant.jobs;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Background jobs: the worker of this node and how long finished jobs are kept.
 *
 * @param workerEnabled whether this node runs jobs at all; off for nodes that only queue them
 *     ({@code SEXTANT_JOBS_WORKER_ENABLED})
 * @param workers job handler calls this node runs at once — one job, or one batch of a batching kind
 *     ({@code SEXTANT_JOBS_WORKERS})
 * @param pollInterval how often an idle worker looks for due jobs queued by other nodes, expired
 *     leases and due schedules ({@code SEXTANT_JOBS_POLL_INTERVAL})
 * @param shutdownTimeout how long stopping waits for running jobs before interrupting them ({@code
 *     SEXTANT_JOBS_SHUTDOWN_TIMEOUT})
 * @param retention how long succeeded jobs are kept ({@code SEXTANT_JOBS_RETENTION})
 * @param deadRetention how long dead jobs are kept ({@code SEXTANT_JOBS_DEAD_RETENTION})
 * @param retentionInterval how often finished jobs past their retention are deleted ({@code
 *     SEXTANT_JOBS_RETENTION_INTERVAL})
 * @param visibilityTimeout with jobs on Redis: how long a due job read by a worker may stay
 *     unstarted (the worker died between reading and starting it) before another worker reclaims it
 *     ({@code SEXTANT_JOBS_VISIBILITY_TIMEOUT}); running jobs are reclaimed by their lease instead
 * @param lease how long a running attempt is leased at a time ({@code SEXTANT_JOBS_LEASE}): its
 *     worker renews the lease every third of it until the attempt ends or reaches its kind's
 *     timeout, so a job whose worker died (killed, frozen, cut off from the store) is taken over
 *     within one lease, not after the kind's whole timeout
 */
@ConfigurationProperties("sextant.jobs")
public record JobsProperties(
        @DefaultValue("true") boolean workerEnabled,
        @DefaultValue("16") int workers,
        @DefaultValue("1s") Duration pollInterval,
        @DefaultValue("20s") Duration shutdownTimeout,
        @DefaultValue("24h") Duration retention,
        @DefaultValue("14d") Duration deadRetention,
        @DefaultValue("1h") Duration retentionInterval,
        @DefaultValue("30s") Duration visibilityTimeout,
        @DefaultValue("15s") Duration lease) {

    public JobsProperties {
        if (workers < 1) {
            throw new IllegalArgumentException("sextant.jobs.workers must be at least 1, was " + workers);
        }
        if (pollInterval.isNegative() || pollInterval.isZero()) {
            throw new IllegalArgumentException("sextant.jobs.poll-interval must be positive, was " + pollInterval);
        }
        if (visibilityTimeout.isNegative() || visibilityTimeout.isZero()) {
            throw new IllegalArgumentException(
                    "sextant.jobs.visibility-timeout must be positive, was " + visibilityTimeout);
        }
        if (lease.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new IllegalArgumentException("sextant.jobs.lease must be at least 1s, was " + lease);
        }
        if (retentionInterval.isNegative() || retentionInterval.isZero()) {
            throw new IllegalArgumentException(
                    "sextant.jobs.retention-interval must be positive, was " + retentionInterval);
        }
    }
}
