package io.sextant.events;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.sextant.shared.ClusterSignals;
import io.sextant.shared.NodeRoles;
import io.sextant.shared.TenantScope;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Moves committed events from the log to their readers. Each {@link EventConsumer} has a durable
 * cursor in {@code event_consumer}; a step locks that row ({@code SKIP LOCKED}: one node per
 * consumer at a time), reads the next events after the cursor, lets the consumer act and advances
 * the cursor, all in one transaction — so a consumer sees every event at least once and, when it
 * only writes to the database, exactly once. Live listeners (the SSE streams of this node) follow
 * an in-memory cursor that starts at the log's tail. The relay wakes at once when this node commits
 * events ({@link #wake()}), or when another node signals that it has ({@link ClusterSignals}, over
 * Redis when it is configured), and otherwise polls: the poll is what makes it complete, a lost
 * signal only delays it to the next poll. The durable consumers and the live listeners are relayed
 * by two threads, so a live stream never waits for a consumer's transaction to commit.
 *
 * <p>A node runs the durable consumers only with the worker role and feeds live listeners only with
 * the api role ({@code SEXTANT_ROLES}); an ingest-only node runs no relay at all.
 */
@Component
public class OutboxRelay implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(OutboxRelay.class);

    /** The signal a node sends the others when it has committed events. */
    static final String SIGNAL = "events";

    private final EventLog eventLog;
    /** The durable consumers this node runs: all of them on a worker, none elsewhere. */
    private final List<EventConsumer> durable;
    /** The live listeners this node feeds: its SSE streams, on a node with the api role. */
    private final List<LiveEventListener> live;

    private final EventRepository repository;
    private final TransactionTemplate transactions;
    private final TenantScope scope;
    private final EventsProperties properties;
    private final ClusterSignals signals;
    private final Counter relayed;
    private final Timer lag;
    private final Loop durableLoop = new Loop("outbox-relay", this::relayAllDurable);
    private final Loop liveLoop = new Loop("live-relay", this::relayLive);
    private volatile boolean running;
    private volatile LogPosition liveCursor = LogPosition.START;

    OutboxRelay(
            EventLog eventLog,
            List<EventConsumer> consumers,
            List<LiveEventListener> listeners,
            EventRepository repository,
            TransactionTemplate transactions,
            TenantScope scope,
            EventsProperties properties,
            ClusterSignals signals,
            MeterRegistry meters,
            NodeRoles roles) {
        this.eventLog = eventLog;
        this.durable = roles.worker() ? List.copyOf(consumers) : List.of();
        this.live = roles.api() ? List.copyOf(listeners) : List.of();
        this.repository = repository;
        this.transactions = transactions;
        this.scope = scope;
        this.properties = properties;
        this.signals = signals;
        this.relayed = Counter.builder("sextant.events.relayed")
                .description("Events handed to live listeners")
                .register(meters);
        this.lag = Timer.builder("sextant.events.relay.lag")
                .description("Time from an event being recorded to the relay handing it on")
                .publishPercentiles(0.5, 0.99)
                .register(meters);
    }

    /**
     * Asks the relay to look for new events now (called after a commit that appended some), and
     * the other nodes' relays too.
     */
    public void wake() {
        nudge();
        signals.publish(SIGNAL);
    }

    /** Look for new events now: this node's commit, or another node's signal. */
    private void nudge() {
        durableLoop.nudge();
        liveLoop.nudge();
    }

    /** The live cursor: events up to here have been handed to this node's live listeners. */
    LogPosition liveCursor() {
        return liveCursor;
    }

    /** Relays every durable consumer; whether one of them is held back (look again soon). */
    private boolean relayAllDurable() {
        boolean heldBack = false;
        for (EventConsumer consumer : durable) {
            Step step;
            do {
                step = relayDurable(consumer);
            } while (running && step == Step.MORE);
            heldBack |= step == Step.HELD_BACK;
        }
        return heldBack;
    }

    /** What one relay step found: a full batch (more may wait), the end, or the end of what an older open transaction lets through. */
    private enum Step {
        MORE,
        DONE,
        HELD_BACK
    }

    private Step relayDurable(EventConsumer consumer) {
        Step step = transactions.execute(status -> {
            LogPosition cursor = repository.lockCursor(consumer.name());
            if (cursor == null) {
                return Step.DONE;
            }
            List<Event> events = eventLog.readAfter(cursor, properties.relayBatch());
            if (events.isEmpty()) {
                return eventLog.heldBack(cursor) ? Step.HELD_BACK : Step.DONE;
            }
            // Each tenant's events in log order, the transaction scoped to that tenant: what a
            // consumer reads or writes for them is confined to it by row-level security.
            Map<UUID, List<Event>> byTenant = new LinkedHashMap<>();
            for (Event event : events) {
                byTenant.computeIfAbsent(event.tenantId(), t -> new ArrayList<>())
                        .add(event);
            }
            for (Map.Entry<UUID, List<Event>> tenant : byTenant.entrySet()) {
                scope.enter(tenant.getKey());
                consumer.consume(tenant.getValue());
            }
            scope.leave();
            LogPosition last = events.getLast().position();
            repository.advanceCursor(consumer.name(), last);
            if (events.size() == properties.relayBatch()) {
                return Step.MORE;
            }
            return eventLog.heldBack(last) ? Step.HELD_BACK : Step.DONE;
        });
        return step == null ? Step.DONE : step;
    }

    /** Relays to the live listeners; whether an older open transaction holds events back. */
    private boolean relayLive() {
        if (live.isEmpty()) {
            return false;
        }
        List<Event> events;
        do {
            events = eventLog.readAfter(liveCursor, properties.relayBatch());
            if (events.isEmpty()) {
                break;
            }
            Instant now = Instant.now();
            for (Event event : events) {
                lag.record(Duration.between(event.recordedAt(), now));
            }
            for (LiveEventListener listener : live) {
                listener.onEvents(events);
            }
            relayed.increment(events.size());
            liveCursor = events.getLast().position();
        } while (events.size() == properties.relayBatch());
        return eventLog.heldBack(liveCursor);
    }

    /** Not on a node with nothing to relay (ingest only). */
    @Override
    public boolean isAutoStartup() {
        return !durable.isEmpty() || !live.isEmpty();
    }

    @Override
    public void start() {
        if (running) {
            return;
        }
        // Every consumer's cursor row exists before the first step locks it (a new consumer starts
        // at the beginning of the log).
        for (EventConsumer consumer : durable) {
            repository.registerConsumer(consumer.name());
        }
        liveCursor = repository.tail();
        running = true;
        if (!durable.isEmpty()) {
            durableLoop.start();
        }
        if (!live.isEmpty()) {
            liveLoop.start();
        }
        signals.subscribe(SIGNAL, this::nudge);
    }

    @Override
    public void stop() {
        running = false;
        durableLoop.stop();
        liveLoop.stop();
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /**
     * A relay thread: runs its pass when nudged, and at the latest every poll interval. A pass held
     * back by an older open transaction looks again soon (5 ms, doubling to at most 100 ms while it
     * stays held back): the commit that releases it need not append an event, so need not wake it.
     */
    private final class Loop {

        private static final long FIRST_RETRY_MILLIS = 5;
        private static final long MAX_RETRY_MILLIS = 100;

        private final String name;
        private final BooleanSupplier pass;
        private long retryMillis;
        private final ReentrantLock lock = new ReentrantLock();
        private final Condition nudged = lock.newCondition();
        private boolean pending;
        private @Nullable Thread thread;

        Loop(String name, BooleanSupplier pass) {
            this.name = name;
            this.pass = pass;
        }

        void nudge() {
            lock.lock();
            try {
                pending = true;
                nudged.signal();
            } finally {
                lock.unlock();
            }
        }

        void start() {
            thread = Thread.ofPlatform().name(name).daemon().start(this::run);
        }

        void stop() {
            Thread relay = thread;
            if (relay != null) {
                relay.interrupt();
                try {
                    relay.join(TimeUnit.SECONDS.toMillis(10));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            thread = null;
        }

        private void run() {
            while (running) {
                try {
                    awaitNudge();
                    retryMillis = pass.getAsBoolean()
                            ? Math.min(MAX_RETRY_MILLIS, retryMillis == 0 ? FIRST_RETRY_MILLIS : retryMillis * 2)
                            : 0;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                } catch (RuntimeException e) {
                    log.warn("Relaying events ({}) failed; retrying at the next poll", name, e);
                }
            }
        }

        private void awaitNudge() throws InterruptedException {
            lock.lock();
            try {
                if (!pending) {
                    long poll = properties.relayPollInterval().toMillis();
                    nudged.await(retryMillis > 0 ? Math.min(retryMillis, poll) : poll, TimeUnit.MILLISECONDS);
                }
                pending = false;
            } finally {
                lock.unlock();
            }
        }
    }
}
