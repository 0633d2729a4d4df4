package io.sextant.tracking;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.sextant.shared.TenantScope;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.core.NestedExceptionUtils;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.TransactionException;
import org.springframework.transaction.TransactionStatus;

/**
 * Group commit: concurrent ingest requests hand their positions to a bounded queue; a few writer
 * threads each take every batch waiting (up to a group size), write the whole group's history in
 * one transaction — per tenant, scoped to it — and only after the
 * commit complete every request's future. The latest positions the group advanced are then handed
 * to {@link LatestPositionWrites}, which writes them behind.
 *
 * <p>A group whose every position is newer than its asset's latest known position, each key once,
 * cannot collide with stored history unless another writer stored it meanwhile: it is copied
 * straight into its daily partitions (binary COPY, the cost of a raw COPY). Any other group — late
 * data, duplicates — is staged and takes the insert that skips taken keys, and so does a group
 * whose copy did find a key taken (rolled back and written again). Throughput therefore grows with concurrency instead
 * of being capped by one commit per request, and nothing is acknowledged before it is durable.
 * A full queue is refused at once ({@link IngestSaturatedException}): back-pressure, not an
 * unbounded backlog.
 *
 * <p>The writers write side by side, but a group reaches the observers only after the groups taken
 * from the queue before it that carry one of its assets ({@link GroupOrder}, waiting at most {@code
 * orderWait} for them): an asset's positions queued in order are observed in order, whichever
 * writer finishes its history write first.
 */
@Component
class PositionWriter implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(PositionWriter.class);
    /** Tenant, asset, event time (written out: the comparator chain's lambdas cost more per group). */
    private static final Comparator<Position> LOCK_ORDER = (a, b) -> {
        int order = a.tenantId().compareTo(b.tenantId());
        if (order == 0) {
            order = a.assetId().compareTo(b.assetId());
        }
        return order != 0 ? order : a.eventTime().compareTo(b.eventTime());
    };

    private final PlatformTransactionManager transactions;
    private final TenantScope scope;
    private final PositionRepository repository;
    private final List<PositionObserver> observers;
    private final PartitionMaintenance partitions;
    private final LatestPositions latest;
    private final LatestPositionWrites latestWrites;
    private final TrackingProperties.Writer settings;
    private final BlockingQueue<Pending> queue;
    private final List<Thread> threads = new ArrayList<>();
    private final Timer commitTimer;
    private final DistributionSummary groupSize;
    private final Counter saturated;
    private final Counter keyTaken;
    private final Counter unordered;
    /** Groups are taken from the queue and given their ticket under this lock, so tickets follow queue order. */
    private final ReentrantLock taking = new ReentrantLock();

    private final GroupOrder order = new GroupOrder();
    private final long orderWaitNanos;
    private volatile boolean running;
    /**
     * Turns at the history: a group on the fast path (every key new, binary COPY) takes one of
     * {@code historyCopies} permits, so that many COPYs run at once; a group on the conflict path
     * takes them all and writes alone. Fast-path groups copy their rows in one order (tenant, day,
     * asset, time), so one waiting for another's uncommitted key waits for a group that is past
     * that key and never for one waiting on it: they cannot deadlock. The conflict path's insert
     * does not keep that order; alone at the history, a group waiting on another's key waits for a
     * transaction that is past its turn. Fair, so the conflict path is not starved by COPYs.
     */
    private final Semaphore historyTurn;

    private final int historyCopies;

    PositionWriter(
            PlatformTransactionManager transactions,
            TenantScope scope,
            PositionRepository repository,
            List<PositionObserver> observers,
            PartitionMaintenance partitions,
            LatestPositions latest,
            LatestPositionWrites latestWrites,
            TrackingProperties properties,
            MeterRegistry meters) {
        this.transactions = transactions;
        this.scope = scope;
        this.repository = repository;
        this.observers = observers;
        this.partitions = partitions;
        this.latest = latest;
        this.latestWrites = latestWrites;
        this.settings = properties.writer();
        this.queue = new ArrayBlockingQueue<>(settings.queueCapacity());
        this.historyCopies = Math.max(1, settings.historyCopies());
        this.historyTurn = new Semaphore(historyCopies, true);
        this.orderWaitNanos = settings.orderWait().toNanos();
        this.commitTimer = Timer.builder("sextant.ingest.commit")
                .description("Time to write and commit one group of positions")
                .publishPercentiles(0.5, 0.99)
                .register(meters);
        this.groupSize = DistributionSummary.builder("sextant.ingest.group.size")
                .description("Positions per committed group")
                .register(meters);
        this.saturated = Counter.builder("sextant.ingest.saturated")
                .description("Batches refused because the writer queue was full")
                .register(meters);
        this.keyTaken = Counter.builder("sextant.ingest.rewritten")
                .description("Groups written again on the conflict path because a key thought new was taken")
                .register(meters);
        this.unordered = Counter.builder("sextant.ingest.unordered")
                .description(
                        "Groups handed to the observers before an earlier group, after waiting the order wait for it")
                .register(meters);
        meters.gauge("sextant.ingest.queue.depth", queue, BlockingQueue::size);
    }

    /**
     * Queues positions for the next group; the future completes with the keys actually inserted
     * (absent keys were duplicates) once they are committed, or exceptionally if the write failed.
     */
    CompletableFuture<Inserted> submit(List<Position> positions) {
        Pending pending = new Pending(positions, new CompletableFuture<>());
        if (positions.isEmpty()) {
            pending.done().complete(Inserted.NOTHING);
            return pending.done();
        }
        if (!running || !queue.offer(pending)) {
            saturated.increment();
            throw new IngestSaturatedException();
        }
        return pending.done();
    }

    private void run() {
        List<Pending> group = new ArrayList<>();
        while (running || !queue.isEmpty()) {
            try {
                int count = 0;
                List<Position> all;
                GroupOrder.Ticket ticket;
                taking.lock();
                try {
                    Pending first = queue.poll(200, TimeUnit.MILLISECONDS);
                    if (first == null) {
                        continue;
                    }
                    group.add(first);
                    count = first.positions().size();
                    Pending next;
                    while (count < settings.maxGroupPositions() && (next = queue.poll()) != null) {
                        group.add(next);
                        count += next.positions().size();
                    }
                    all = new ArrayList<>(count);
                    for (Pending pending : group) {
                        all.addAll(pending.positions());
                    }
                    ticket = order.take(all);
                } finally {
                    taking.unlock();
                }
                try {
                    write(group, all, ticket);
                } finally {
                    order.pass(ticket); // passed already, unless the group failed before its observers
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } finally {
                group.clear();
            }
        }
    }

    private void write(List<Pending> group, List<Position> all, GroupOrder.Ticket ticket) {
        int count = all.size();
        // One lock order for every writer: concurrent groups touching the same keys cannot deadlock.
        all.sort(LOCK_ORDER);
        try {
            long day = Long.MIN_VALUE;
            for (Position position : all) {
                long next = PositionRepository.epochDayOf(position.eventTime());
                if (next != day) { // an asset's positions are together, so the day seldom changes
                    day = next;
                    partitions.ensure(java.time.LocalDate.ofEpochDay(day));
                }
            }
            boolean allNew = allNew(all);
            Inserted inserted = commitTimer.recordCallable(() -> {
                try {
                    return writeGroup(all, allNew, ticket);
                } catch (PositionRepository.KeyTaken e) {
                    keyTaken.increment();
                    return writeGroup(all, false, ticket);
                }
            });
            groupSize.record(count);
            advanceLatest(all, inserted);
            complete(group, inserted);
        } catch (Exception e) {
            log.error("Writing a group of {} positions failed", count, e);
            for (Pending pending : group) {
                pending.done().completeExceptionally(e);
            }
        }
    }

    /**
     * Tells each request what it inserted. A key that several requests of the group carry was
     * inserted once, for the first of them (in queue order); to the others it is a duplicate, as it
     * would be had they come in later groups. (A group copied whole had no key twice.)
     */
    static void complete(List<Pending> group, Inserted inserted) {
        if (inserted.all() || group.size() == 1) {
            group.forEach(pending -> pending.done().complete(inserted));
            return;
        }
        Set<PositionKey> claimed = new HashSet<>();
        for (Pending pending : group) {
            Set<PositionKey> mine = new HashSet<>();
            for (Position position : pending.positions()) {
                if (inserted.contains(position.key()) && claimed.add(position.key())) {
                    mine.add(position.key());
                }
            }
            pending.done().complete(Inserted.only(mine));
        }
    }

    /**
     * One transaction for the whole group, begun by the transaction manager; each tenant's positions
     * are written — and then observed — with the transaction scoped to that tenant, so row-level
     * security holds for every statement of the group, the observers' included.
     */
    private Inserted writeGroup(List<Position> positions, boolean allNew, GroupOrder.Ticket ticket)
            throws SQLException {
        TransactionStatus transaction = transactions.getTransaction(TransactionDefinition.withDefaults());
        List<PositionObserver.Observation> observations = new ArrayList<>(observers.size());
        Set<PositionKey> keys = new HashSet<>();
        Inserted inserted;
        try {
            List<List<Position>> tenants = StoredGroup.byTenant(positions);
            List<PositionRepository.Copies> copies = new ArrayList<>(tenants.size());
            if (allNew) {
                tenants.forEach(ofTenant -> copies.add(repository.encode(ofTenant)));
            }
            int permits = allNew ? 1 : historyCopies;
            historyTurn.acquireUninterruptibly(permits);
            try {
                boolean first = true;
                for (int t = 0; t < tenants.size(); t++) {
                    List<Position> ofTenant = tenants.get(t);
                    scope.enter(ofTenant.getFirst().tenantId());
                    if (allNew) {
                        repository.copy(copies.get(t));
                    } else {
                        repository.stage(ofTenant, !first);
                        keys.addAll(repository.insertNewStaged());
                        first = false;
                    }
                }
            } finally {
                historyTurn.release(permits);
            }
            inserted = allNew ? Inserted.everything() : Inserted.only(keys);
            if (!observers.isEmpty() && !inserted.none()) {
                StoredGroup stored = new StoredGroup(allNew ? positions : stored(positions, keys), scope);
                if (!order.awaitTurn(ticket, orderWaitNanos)) {
                    unordered.increment();
                }
                for (PositionObserver observer : observers) {
                    observations.add(observer.observe(stored));
                }
            }
            // The observers have taken what they lock until the commit: the next group may go to them.
            order.pass(ticket);
        } catch (SQLException | RuntimeException e) {
            observations.forEach(PositionObserver.Observation::abandoned);
            rollBack(transaction, e);
            throw e;
        }
        try {
            transactions.commit(transaction);
        } catch (RuntimeException e) {
            observations.forEach(PositionObserver.Observation::abandoned);
            throw e;
        }
        observations.forEach(PositionObserver.Observation::committed);
        return inserted;
    }

    /**
     * Whether every position is newer than its asset's latest known one, each key once: then no key
     * can be stored already, unless another writer stored it meanwhile (the copy then finds it
     * taken, and the group is written again on the conflict path).
     */
    private boolean allNew(List<Position> positions) {
        Position previous = null;
        for (Position position : positions) { // in lock order: a key twice is adjacent
            if (previous != null
                    && previous.eventTime().equals(position.eventTime())
                    && previous.assetId().equals(position.assetId())
                    && previous.tenantId().equals(position.tenantId())) {
                return false;
            }
            previous = position;
            Position known = latest.latestOrNull(position.assetId());
            if (known != null && !position.eventTime().isAfter(known.eventTime())) {
                return false;
            }
        }
        return true;
    }

    /**
     * After the commit, before any request is answered: the live index advances to each asset's
     * newest inserted position (never back), and what advanced waits to be written behind.
     */
    private void advanceLatest(List<Position> positions, Inserted inserted) {
        for (Position position : positions) {
            if (inserted.contains(position.key()) && latest.advance(position)) {
                latestWrites.advanced(position);
            }
        }
    }

    /**
     * Rolls back after {@code failure}, keeping {@code failure} as what the requests are told: when
     * the database went away the rollback fails too ("Connection is closed"), and that alone would
     * hide why.
     */
    private void rollBack(TransactionStatus transaction, Exception failure) {
        try {
            transactions.rollback(transaction);
        } catch (TransactionException rollback) {
            failure.addSuppressed(NestedExceptionUtils.getMostSpecificCause(rollback));
        }
    }

    /** The positions the group inserted, in lock order, the first of each key only. */
    private static List<Position> stored(List<Position> positions, Set<PositionKey> inserted) {
        List<Position> stored = new ArrayList<>(inserted.size());
        Set<PositionKey> seen = new HashSet<>(inserted.size() * 2);
        for (Position position : positions) {
            if (inserted.contains(position.key()) && seen.add(position.key())) {
                stored.add(position);
            }
        }
        return stored;
    }

    @Override
    public void start() {
        running = true;
        for (int i = 0; i < settings.threads(); i++) {
            Thread thread = Thread.ofPlatform().name("position-writer-" + i).start(this::run);
            threads.add(thread);
        }
    }

    /** Stops taking batches, then drains and commits what is queued, so nothing accepted is lost. */
    @Override
    public void stop() {
        running = false;
        for (Thread thread : threads) {
            try {
                thread.join(TimeUnit.SECONDS.toMillis(30));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        threads.clear();
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /**
     * Below the web server's phases: starts before it accepts requests, and stops only after its
     * graceful shutdown has drained the requests that wait for this writer.
     */
    @Override
    public int getPhase() {
        return SmartLifecycle.DEFAULT_PHASE - 4096;
    }

    record Pending(List<Position> positions, CompletableFuture<Inserted> done) {}
}
