/**
 * Jobs: durable background work — queued and scheduled jobs with retries, backoff, dead letter,
 * per-key ordering and recurring schedules, handled by {@link io.sextant.jobs.JobHandler}s — on
 * PostgreSQL, or on Redis Streams when Redis is configured.
 */
@ApplicationModule(
        displayName = "Jobs",
        allowedDependencies = {"shared", "platform :: redis"})
@NullMarked
package io.sextant.jobs;

import org.jspecify.annotations.NullMarked;
import org.springframework.modulith.ApplicationModule;
