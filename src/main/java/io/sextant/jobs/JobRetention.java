package io.sextant.jobs;

import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * A recurring job: deletes succeeded jobs after {@code sextant.jobs.retention} and dead ones after
 * {@code sextant.jobs.dead-retention}, in batches so no transaction grows large. Nothing retries it:
 * the next run picks up where a failed one stopped.
 */
@Component
class JobRetention implements JobHandler {

    static final String KIND = "jobs.retention";

    private static final Logger log = LoggerFactory.getLogger(JobRetention.class);
    private static final int BATCH = 5_000;

    private final JobStore repository;
    private final JobsProperties properties;

    JobRetention(JobStore repository, JobsProperties properties) {
        this.repository = repository;
        this.properties = properties;
    }

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    public void handle(Job job) {
        long succeeded = deleteAll(JobStatus.SUCCEEDED, properties.retention());
        long dead = deleteAll(JobStatus.DEAD, properties.deadRetention());
        if (succeeded + dead > 0) {
            log.info("Deleted {} succeeded and {} dead jobs past their retention", succeeded, dead);
        }
    }

    @Override
    public Duration timeout() {
        return Duration.ofMinutes(15);
    }

    @Override
    public Duration every() {
        return properties.retentionInterval();
    }

    private long deleteAll(JobStatus status, Duration age) {
        long total = 0;
        int deleted;
        do {
            deleted = repository.deleteFinished(status, age, BATCH);
            total += deleted;
        } while (deleted == BATCH);
        return total;
    }
}
