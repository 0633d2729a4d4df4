package io.sextant.tracking;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.sextant.shared.TenantContext;
import io.sextant.shared.TenantScope;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.TransactionStatus;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Writes the {@code latest_position} table behind ingest. An ingest group stores its history
 * durably before it is acknowledged; the newest position of each asset it advanced waits here and
 * is upserted with the others of about one {@link TrackingProperties#latestWriteInterval() interval}
 * — one row per asset per interval instead of one per group, which at a high report rate is most
 * of what the table cost.
 *
 * <p>Nothing acknowledged depends on it: the history is the record, the table is derived from it.
 * Readers of the table on this node overlay what waits here ({@link #overlay}, {@link #pendingOf}),
 * so they read their writes. Each flush records, in its transaction, a checkpoint — a receive time
 * before which every committed position is reflected in the table — and a node that starts catches
 * the table up from the history received since the oldest checkpoint of any node, before the live
 * index is rebuilt from it. The checkpoint is the earliest receive time of any ingest request still
 * in flight ({@link #hold}) when the flush began, less a margin for clock steps.
 */
@Component
class LatestPositionWrites implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(LatestPositionWrites.class);
    /** Covers small steps of the wall clock between the receive times and the checkpoint. */
    static final Duration CLOCK_MARGIN = Duration.ofMinutes(1);
    /** A checkpoint not written for this long belongs to a node that stopped. */
    private static final Duration IDLE_CHECKPOINT = Duration.ofMinutes(5);
    /** Unsigned byte order, as PostgreSQL sorts uuid (UUID.compareTo compares signed halves). */
    static final Comparator<UUID> UUID_ORDER = Comparator.<UUID>comparingLong(
                    u -> u.getMostSignificantBits() ^ Long.MIN_VALUE)
            .thenComparingLong(u -> u.getLeastSignificantBits() ^ Long.MIN_VALUE);

    private static final Comparator<Position> KEY_ORDER =
            Comparator.comparing(Position::tenantId, UUID_ORDER).thenComparing(Position::assetId, UUID_ORDER);

    private final ConcurrentHashMap<UUID, Position> pending = new ConcurrentHashMap<>();
    private final Set<Hold> holds = ConcurrentHashMap.newKeySet();
    private final UUID node = UUID.randomUUID();
    private final PositionRepository repository;
    private final PlatformTransactionManager transactions;
    private final TenantScope scope;
    private final Clock clock;
    private final Duration interval;
    private final ReentrantLock flushing = new ReentrantLock();
    private final Timer flushTimer;
    private final Counter flushFailures;
    private volatile boolean running;
    private @Nullable Thread thread;

    LatestPositionWrites(
            PositionRepository repository,
            PlatformTransactionManager transactions,
            TenantScope scope,
            Clock clock,
            TrackingProperties properties,
            MeterRegistry meters) {
        this.repository = repository;
        this.transactions = transactions;
        this.scope = scope;
        this.clock = clock;
        this.interval = properties.latestWriteInterval();
        if (interval.toMillis() < 10 || interval.compareTo(Duration.ofMinutes(1)) > 0) {
            throw new IllegalArgumentException(
                    "sextant.tracking.latest-write-interval must be between 10ms and 1m (was " + interval + ")");
        }
        this.flushTimer = Timer.builder("sextant.ingest.latest.flush")
                .description("Time to write the waiting latest positions behind ingest")
                .publishPercentiles(0.5, 0.99)
                .register(meters);
        this.flushFailures = Counter.builder("sextant.ingest.latest.flush.failures")
                .description("Flushes of latest positions that failed (retried at the next interval)")
                .register(meters);
        meters.gauge("sextant.ingest.latest.pending", pending, Map::size);
        catchUp();
    }

    /**
     * Catches {@code latest_position} up with the history received since the oldest checkpoint,
     * then writes this node's first checkpoint. Runs before ingest starts on this node.
     */
    void catchUp() {
        long started = System.nanoTime();
        int caught = TenantContext.callAsSystem(() -> new TransactionTemplate(transactions).execute(status -> {
            Instant now = clock.instant();
            Optional<Instant> from = repository.oldestCheckpoint();
            int rows = from.map(repository::catchUpLatest).orElse(0);
            repository.checkpoint(node, now.minus(CLOCK_MARGIN), now);
            repository.forgetIdleCheckpoints(node, IDLE_CHECKPOINT);
            return rows;
        }));
        log.info(
                "Latest positions caught up with the history: {} advanced in {} ms",
                caught,
                (System.nanoTime() - started) / 1_000_000);
    }

    /**
     * Marks an ingest request in flight from now until it is closed, and gives its receive time: a
     * checkpoint never passes the receive time of a request whose positions may not be waiting here
     * yet.
     */
    Hold hold() {
        Hold hold = new Hold(holds);
        holds.add(hold);
        hold.receivedAt = clock.instant().truncatedTo(ChronoUnit.MICROS);
        return hold;
    }

    /** Positions that became their asset's latest in a committed group (newest wins per asset). */
    void advanced(Position position) {
        pending.merge(
                position.assetId(), position, (old, next) -> next.eventTime().isAfter(old.eventTime()) ? next : old);
    }

    /** The latest positions of a tenant written in memory but not yet to the table. */
    List<Position> pendingOf(UUID tenantId) {
        List<Position> mine = new ArrayList<>();
        for (Position position : pending.values()) {
            if (position.tenantId().equals(tenantId)) {
                mine.add(position);
            }
        }
        return mine;
    }

    /**
     * Rows read from {@code latest_position} in asset order after {@code afterAsset}, at most
     * {@code limit}, with this node's waiting latest positions of the tenant laid over them.
     */
    List<StoredPosition> overlay(
            UUID tenantId,
            List<StoredPosition> rows,
            @Nullable List<UUID> admittedAssets,
            @Nullable UUID afterAsset,
            int limit) {
        List<Position> mine = pendingOf(tenantId);
        return mine.isEmpty() ? rows : overlay(mine, rows, admittedAssets, afterAsset, limit);
    }

    /**
     * A waiting position replaces its asset's row when newer, or takes its place in the order.
     * Waiting positions only add assets or make them newer, so the first {@code limit} of the
     * overlay are the first {@code limit} of the truth: an asset of the true first {@code limit}
     * missing from {@code rows} can only be one that waits here.
     */
    static List<StoredPosition> overlay(
            List<Position> waiting,
            List<StoredPosition> rows,
            @Nullable List<UUID> admittedAssets,
            @Nullable UUID afterAsset,
            int limit) {
        Set<UUID> admitted = admittedAssets == null ? null : Set.copyOf(admittedAssets);
        Map<UUID, StoredPosition> byAsset = new java.util.TreeMap<>(UUID_ORDER);
        rows.forEach(row -> byAsset.put(row.assetId(), row));
        for (Position position : waiting) {
            UUID asset = position.assetId();
            if ((afterAsset != null && UUID_ORDER.compare(asset, afterAsset) <= 0)
                    || (admitted != null && !admitted.contains(asset))) {
                continue;
            }
            StoredPosition stored = byAsset.get(asset);
            if (stored == null || position.eventTime().isAfter(stored.eventTime())) {
                byAsset.put(asset, StoredPosition.of(position));
            }
        }
        return byAsset.values().stream().limit(limit).toList();
    }

    /**
     * Writes every waiting latest position and a new checkpoint in one transaction; a failure
     * leaves them waiting for the next flush. One flush at a time.
     */
    void flush() {
        flushing.lock();
        try {
            Instant began = clock.instant();
            Instant checkpoint = began;
            for (Hold hold : holds) {
                Instant receivedAt = hold.receivedAt;
                if (receivedAt != null && receivedAt.isBefore(checkpoint)) {
                    checkpoint = receivedAt;
                }
            }
            List<Position> waiting = new ArrayList<>(pending.values());
            waiting.sort(KEY_ORDER); // one lock order for every writer of latest_position
            Instant recoverFrom = checkpoint.minus(CLOCK_MARGIN);
            Instant inFlightFrom = checkpoint;
            flushTimer.recordCallable(() -> {
                write(waiting, recoverFrom, inFlightFrom);
                return null;
            });
            for (Position position : waiting) {
                pending.remove(position.assetId(), position);
            }
        } catch (Exception e) {
            flushFailures.increment();
            log.warn("Writing {} latest positions failed; retrying in {}", pending.size(), interval, e);
        } finally {
            flushing.unlock();
        }
    }

    private void write(List<Position> waiting, Instant recoverFrom, Instant inFlightFrom) throws SQLException {
        TransactionStatus transaction = transactions.getTransaction(TransactionDefinition.withDefaults());
        try {
            repository.checkpoint(node, recoverFrom, inFlightFrom);
            boolean first = true;
            for (List<Position> ofTenant : StoredGroup.byTenant(waiting)) {
                scope.enter(ofTenant.getFirst().tenantId());
                repository.stage(ofTenant, !first);
                repository.upsertLatestStaged();
                first = false;
            }
        } catch (SQLException | RuntimeException e) {
            transactions.rollback(transaction);
            throw e;
        }
        transactions.commit(transaction);
    }

    private void run() {
        while (running) {
            try {
                TimeUnit.MILLISECONDS.sleep(interval.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            flush();
        }
    }

    @Override
    public void start() {
        running = true;
        thread = Thread.ofPlatform().name("latest-position-writer").daemon().start(this::run);
    }

    /** After the position writer has drained: writes what waits, so a clean stop leaves nothing to catch up. */
    @Override
    public void stop() {
        running = false;
        Thread writer = thread;
        if (writer != null) {
            try {
                writer.join(TimeUnit.SECONDS.toMillis(30));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        flush();
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** Starts before, and stops after, the position writer (whose phase is {@code DEFAULT_PHASE - 4096}). */
    @Override
    public int getPhase() {
        return SmartLifecycle.DEFAULT_PHASE - 8192;
    }

    /** An ingest request in flight; close it once its positions are written (or refused). */
    static final class Hold implements AutoCloseable {

        private final Set<Hold> holds;
        private volatile @Nullable Instant receivedAt;

        private Hold(Set<Hold> holds) {
            this.holds = holds;
        }

        Instant receivedAt() {
            return java.util.Objects.requireNonNull(receivedAt);
        }

        @Override
        public void close() {
            holds.remove(this);
        }
    }
}
