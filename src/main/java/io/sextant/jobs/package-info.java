/**
 * Jobs: durable background work on PostgreSQL — queued and scheduled jobs with retries, backoff,
 * dead letter, per-key ordering and recurring schedules, handled by {@link io.sextant.jobs.JobHandler}s.
 */
@ApplicationModule(
        displayName = "Jobs",
        allowedDependencies = {"shared"})
@NullMarked
package io.sextant.jobs;

import org.jspecify.annotations.NullMarked;
import org.springframework.modulith.ApplicationModule;
