package io.sextant.export;

import io.sextant.jobs.Job;
import io.sextant.jobs.JobHandler;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The recurring {@code exports.expire} job, across all tenants: removes the content of finished
 * exports once their {@code expiresAt} has passed (one transaction per export: its chunks go, it is
 * marked expired and answers 410 from then on), and deletes expired exports a retention period
 * later. Nothing retries it: the next run picks up where a failed one stopped.
 */
@Component
class ExportExpiry implements JobHandler {

    static final String KIND = "exports.expire";

    private static final Logger log = LoggerFactory.getLogger(ExportExpiry.class);
    private static final int BATCH = 100;

    private final ExportRepository repository;
    private final ExportsProperties properties;
    private final Clock clock;

    ExportExpiry(ExportRepository repository, ExportsProperties properties, Clock clock) {
        this.repository = repository;
        this.properties = properties;
        this.clock = clock;
    }

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    public Duration timeout() {
        return Duration.ofMinutes(15);
    }

    @Override
    public Duration every() {
        return properties.expiryInterval();
    }

    @Override
    public void handle(Job job) {
        Instant now = clock.instant();
        int expired = 0;
        List<UUID> due;
        do {
            due = repository.dueToExpire(now, BATCH);
            for (UUID id : due) {
                if (repository.expire(id, now)) {
                    expired++;
                }
            }
        } while (due.size() == BATCH);
        int deleted = 0;
        int batch;
        do {
            batch = repository.deleteExpired(now.minus(properties.retention()), BATCH);
            deleted += batch;
        } while (batch == BATCH);
        if (expired + deleted > 0) {
            log.info("Exports: content of {} removed on expiry, {} expired exports deleted", expired, deleted);
        }
    }
}
