package io.sextant.jobs;

import io.sextant.shared.TenantContext;
import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Moves jobs committed to the outbox into Redis: woken when a transaction that queued jobs commits,
 * and every {@code sextant.jobs.poll-interval} for what other nodes (or a Redis outage) left
 * behind. Runs on every node, one at a time across nodes (an advisory lock).
 */
class JobOutboxForwarder implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(JobOutboxForwarder.class);
    private static final int BATCH = 1_000;

    private final JobOutboxRepository outbox;
    private final JobStore store;
    private final TransactionTemplate transactions;
    private final Duration pollInterval;
    private volatile boolean running;
    private @Nullable Thread thread;

    JobOutboxForwarder(
            JobOutboxRepository outbox, JobStore store, TransactionTemplate transactions, JobsProperties properties) {
        this.outbox = outbox;
        this.store = store;
        this.transactions = transactions;
        this.pollInterval = properties.pollInterval();
    }

    @Override
    public void start() {
        running = true;
        thread = Thread.ofPlatform().name("job-outbox").daemon().start(this::forwardLoop);
    }

    @Override
    public void stop() {
        running = false;
        outbox.committed();
        Thread current = thread;
        if (current != null) {
            try {
                current.join(pollInterval.toMillis() + 5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        thread = null;
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** Only with the Redis store: with PostgreSQL, jobs are queued in the job table itself. */
    @Override
    public boolean isAutoStartup() {
        return store instanceof RedisJobStore;
    }

    /** Stops after the job worker (which may still queue jobs while it drains). */
    @Override
    public int getPhase() {
        return SmartLifecycle.DEFAULT_PHASE - 4096;
    }

    /** Forwards until the outbox is empty; returns how many jobs were moved. */
    int forwardAll() {
        if (!(store instanceof RedisJobStore redis)) {
            return 0;
        }
        int total = 0;
        int moved;
        do {
            moved = TenantContext.callAsSystem(
                    () -> Objects.requireNonNullElse(transactions.execute(status -> outbox.forward(redis, BATCH)), 0));
            total += moved;
        } while (moved == BATCH);
        return total;
    }

    private void forwardLoop() {
        boolean failing = false;
        while (running) {
            try {
                int moved = forwardAll();
                if (failing) {
                    failing = false;
                    log.info("Moving queued jobs to Redis again ({} waiting jobs moved)", moved);
                }
                outbox.signal().await(pollInterval);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                if (!failing) {
                    failing = true;
                    log.warn("Could not move queued jobs to Redis; they wait in the outbox: {}", e.toString());
                }
                try {
                    Thread.sleep(pollInterval.toMillis());
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }
}
