package io.sextant.events;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.sextant.shared.access.RequiresPermission;
import io.sextant.shared.problem.InvalidInput;
import io.sextant.shared.problem.Unavailable;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Live streams of events (Server-Sent Events): every open stream is registered here, the relay
 * hands each batch of committed events to all of them, and each stream's own thread filters,
 * authorizes (every message against the subscriber's policy as it stands when the message is sent,
 * through {@link DeliveryPolicy}; replayed ones too) and writes. A stream whose subscriber no longer
 * holds {@code events:read} in any grant in force ends with the comment {@value #ACCESS_ENDED}. A
 * stream that resumes from a {@code Last-Event-ID} first replays the log after that event, then
 * continues live without a gap or a repeat. A client too slow to keep up is disconnected rather than slowing the others; it
 * resumes from its last id.
 */
@Component
public class EventStreams implements LiveEventListener, SmartLifecycle {

    private static final Event CLOSE = closeMarker();

    /** The comment a stream ends with when its subscriber may no longer read any event. */
    public static final String ACCESS_ENDED = "access-ended";

    private final Set<Stream> streams = ConcurrentHashMap.newKeySet();
    private final DeliveryPolicy policy;
    private final EventLog eventLog;
    private final EventRepository repository;
    private final EventsProperties properties;
    private volatile boolean running;

    EventStreams(
            DeliveryPolicy policy,
            EventLog eventLog,
            EventRepository repository,
            EventsProperties properties,
            MeterRegistry meters) {
        this.policy = policy;
        this.eventLog = eventLog;
        this.repository = repository;
        this.properties = properties;
        Gauge.builder("sextant.events.streams", streams, Set::size)
                .description("Open live event streams")
                .register(meters);
    }

    /** Where a stream writes: one message or comment at a time, flushed. */
    public interface Sink {
        void message(String id, String type, String data) throws IOException;

        /**
         * A comment: {@code connected} when the stream starts, {@code heartbeat} when it has been
         * idle, {@value #ACCESS_ENDED} just before it ends for that reason.
         */
        void comment(String text) throws IOException;
    }

    /** Why a stream ended, for a transport that can tell its client (a WebSocket close code). */
    public enum Ending {
        /** No grant in force lets the subscriber read events any more. */
        ACCESS_ENDED,
        /** The client fell a whole buffer behind; it resumes from the last id it received. */
        TOO_SLOW,
        /** The node is shutting down, or the stream's thread was interrupted. */
        SHUTDOWN
    }

    /**
     * A stream registered and receiving events, not yet sending: a transport opens it before it
     * answers its client (so no event committed after the answer is missed), then runs it.
     */
    public final class Opened implements AutoCloseable {
        private final Stream stream;
        private final @Nullable LogPosition resumeAfter;

        private Opened(Stream stream, @Nullable LogPosition resumeAfter) {
            this.stream = stream;
            this.resumeAfter = resumeAfter;
        }

        /**
         * Ends the stream from another thread (its client went away): {@link #run} returns at its
         * next step instead of waiting for events. Interrupting the stream's thread would do that
         * too, but would also close whatever socket it is blocked on, the database's included.
         */
        public void cancel() {
            stream.cancelled = true;
            stream.end();
        }

        /** Unregisters the stream; idempotent. */
        @Override
        public void close() {
            streams.remove(stream);
        }
    }

    /**
     * Streams events to {@code sink} until the client goes away or the node shuts down. If {@code
     * lastEventId} is given, first every matching event after it, from the log.
     */
    @RequiresPermission("events:read")
    public void stream(DeliveryPolicy.Subscriber subscriber, EventFilter filter, @Nullable UUID lastEventId, Sink sink)
            throws IOException {
        try (Opened opened = open(subscriber, filter, lastEventId)) {
            run(opened, sink);
        }
    }

    /**
     * Registers a stream: {@code Unavailable} when this node serves its maximum already, {@code
     * InvalidInput} when {@code lastEventId} names no event the subscriber may read. The caller
     * must close it.
     */
    @RequiresPermission("events:read")
    public Opened open(DeliveryPolicy.Subscriber subscriber, EventFilter filter, @Nullable UUID lastEventId) {
        if (streams.size() >= properties.streamMaxConnections()) {
            throw new Unavailable(
                    "too-many-streams",
                    "Too many live streams",
                    "This node serves " + properties.streamMaxConnections() + " live streams already",
                    null);
        }
        LogPosition resumeAfter = null;
        if (lastEventId != null) {
            // An event the subscriber's grants do not reach now is as unknown as a missing one.
            DeliveryPolicy.Decision decision = policy.now(subscriber);
            resumeAfter = eventLog.find(subscriber.tenantId(), lastEventId)
                    .filter(decision::permits)
                    .map(Event::position)
                    .orElseThrow(() -> new InvalidInput(
                            "Last-Event-ID", "no event " + lastEventId + " in this tenant's event log"));
        }
        Stream stream = new Stream(subscriber, filter, new ArrayBlockingQueue<>(properties.streamBuffer()));
        streams.add(stream);
        return new Opened(stream, resumeAfter);
    }

    /**
     * Sends an opened stream's events to {@code sink} until it ends (the reason is returned) or the
     * sink fails because the client went away (the exception is thrown).
     */
    public Ending run(Opened opened, Sink sink) throws IOException {
        Stream stream = opened.stream;
        sink.comment("connected");
        if (policy.now(stream.subscriber).readsNothing()) {
            sink.comment(ACCESS_ENDED);
            return Ending.ACCESS_ENDED;
        }
        if (opened.resumeAfter != null) {
            stream.sent = catchUp(stream, opened.resumeAfter, sink);
            if (stream.sent == null) {
                sink.comment(ACCESS_ENDED);
                return Ending.ACCESS_ENDED;
            }
        }
        return pump(stream, sink);
    }

    /**
     * Replays the log after {@code after}; the subscriber's policy is resolved again for every chunk.
     * Null when the subscriber no longer reads any event, and the stream ends.
     */
    private @Nullable LogPosition catchUp(Stream stream, LogPosition after, Sink sink) throws IOException {
        LogPosition cursor = after;
        while (running) {
            List<Event> events = repository.readTenantAfter(
                    stream.subscriber.tenantId(), stream.filter, cursor, properties.relayBatch());
            DeliveryPolicy.Decision decision = policy.now(stream.subscriber);
            if (decision.readsNothing()) {
                return null;
            }
            for (Event event : events) {
                send(stream, event, decision, sink);
                cursor = event.position();
            }
            if (events.size() < properties.relayBatch()) {
                break;
            }
        }
        return cursor;
    }

    /**
     * Sends what the relay queues, a batch at a time: the subscriber's policy is resolved again for
     * each batch (and at each heartbeat), so an event is checked against the grants in force when it
     * is sent; when no grant lets the subscriber read events any more, the stream ends.
     */
    private Ending pump(Stream stream, Sink sink) throws IOException {
        long heartbeat = properties.streamHeartbeat().toMillis();
        List<Event> batch = new ArrayList<>();
        while (running && !stream.overflowed && !stream.cancelled) {
            Event event;
            try {
                event = stream.queue.poll(heartbeat, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Ending.SHUTDOWN;
            }
            if (event == null) {
                if (policy.now(stream.subscriber).readsNothing()) {
                    sink.comment(ACCESS_ENDED);
                    return Ending.ACCESS_ENDED;
                }
                sink.comment("heartbeat");
                continue;
            }
            if (event == CLOSE) {
                return ended(stream);
            }
            batch.clear();
            batch.add(event);
            stream.queue.drainTo(batch);
            DeliveryPolicy.Decision decision = policy.now(stream.subscriber);
            if (decision.readsNothing()) {
                sink.comment(ACCESS_ENDED);
                return Ending.ACCESS_ENDED;
            }
            for (Event next : batch) {
                if (next == CLOSE) {
                    return ended(stream);
                }
                if (stream.sent == null || next.position().compareTo(stream.sent) > 0) {
                    send(stream, next, decision, sink);
                    stream.sent = next.position();
                }
            }
        }
        return ended(stream);
    }

    private static Ending ended(Stream stream) {
        return stream.overflowed ? Ending.TOO_SLOW : Ending.SHUTDOWN;
    }

    private void send(Stream stream, Event event, DeliveryPolicy.Decision decision, Sink sink) throws IOException {
        if (stream.filter.matches(event) && decision.permits(event)) {
            sink.message(event.id().toString(), event.type(), CloudEventJson.render(event));
        }
    }

    @Override
    public void onEvents(List<Event> events) {
        for (Stream stream : streams) {
            for (Event event : events) {
                if (!event.tenantId().equals(stream.subscriber.tenantId())) {
                    continue;
                }
                if (!stream.queue.offer(event)) {
                    stream.overflowed = true;
                    stream.end();
                    break;
                }
            }
        }
    }

    int open() {
        return streams.size();
    }

    @Override
    public void start() {
        running = true;
    }

    /** Ends every stream before the web server's graceful shutdown waits for open requests. */
    @Override
    public void stop() {
        running = false;
        streams.forEach(Stream::end);
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    private static final class Stream {
        final DeliveryPolicy.Subscriber subscriber;
        final EventFilter filter;
        final BlockingQueue<Event> queue;
        volatile boolean overflowed;
        volatile boolean cancelled;

        @Nullable
        LogPosition sent;

        Stream(DeliveryPolicy.Subscriber subscriber, EventFilter filter, BlockingQueue<Event> queue) {
            this.subscriber = subscriber;
            this.filter = filter;
            this.queue = queue;
        }

        /** Drops what is queued and wakes the stream's thread, which then ends (why: its flags). */
        void end() {
            queue.clear();
            queue.offer(CLOSE);
        }
    }

    private static Event closeMarker() {
        return new Event(
                new UUID(0, 0),
                new UUID(0, 0),
                "",
                "",
                null,
                java.time.Instant.EPOCH,
                java.time.Instant.EPOCH,
                null,
                null,
                List.of(),
                List.of(),
                tools.jackson.databind.node.NullNode.getInstance(),
                LogPosition.START);
    }
}
