package io.sextant.tracking;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.sextant.shared.access.RequiresPermission;
import io.sextant.shared.geo.BoundingBox;
import io.sextant.shared.problem.Unavailable;
import io.sextant.tracking.live.LivePosition;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Live streams of latest positions, for maps: a stream first sends the latest position of every
 * asset in its box that the caller may see, then, at most once per interval, those whose latest
 * position changed and the assets that left its view (moved out of the box, removed, or no longer
 * reached by the caller's grants). Each message is read from the live index through {@link
 * PositionQueries}, so the caller's grants are applied as they stand when it is sent, exactly as a
 * repeated {@code GET /positions/latest?bbox=…} would.
 *
 * <p>A poll of the in-memory index rather than a push from ingest: a map wants the newest position
 * per asset at a steady pace, not every fix, and the poll costs one index query per stream per
 * interval whatever the ingest rate.
 */
@Component
public class LivePositionStreams implements SmartLifecycle {

    /** Keep-alive comment when nothing changed for this long. */
    private static final long HEARTBEAT_NANOS = TimeUnit.SECONDS.toNanos(15);

    private final PositionQueries queries;
    private final TrackingProperties properties;
    private final AtomicInteger open = new AtomicInteger();
    private volatile boolean running;

    LivePositionStreams(PositionQueries queries, TrackingProperties properties, MeterRegistry meters) {
        this.queries = queries;
        this.properties = properties;
        Gauge.builder("sextant.positions.streams", open, AtomicInteger::get)
                .description("Open live position streams")
                .register(meters);
    }

    /** Where a stream writes: one SSE message or comment at a time, flushed. */
    public interface Sink {
        void message(String event, Map<String, Object> data) throws IOException;

        void comment(String text) throws IOException;
    }

    /**
     * Streams the latest positions inside {@code box} matching {@code criteria} until the client
     * goes away (the sink throws) or the node shuts down.
     */
    @RequiresPermission("positions:read")
    public void stream(BoundingBox box, PositionCriteria criteria, Sink sink) throws IOException {
        int limit = properties.queries().maxLiveResults();
        // Checked before the slot is taken: a caller without the permission or with bad input never
        // holds one.
        LatestView view = LatestView.of(queries.latestWithinBox(box, criteria, limit));
        if (open.incrementAndGet() > properties.liveStream().maxConnections()) {
            open.decrementAndGet();
            throw new Unavailable(
                    "too-many-streams",
                    "Too many live streams",
                    "This node serves " + properties.liveStream().maxConnections() + " live position streams already",
                    null);
        }
        try {
            Map<UUID, Instant> sent = new HashMap<>();
            sink.message("snapshot", view.collection(view.features(sent), List.of()));
            long interval = properties.liveStream().interval().toNanos();
            long quietSince = System.nanoTime();
            while (running) {
                TimeUnit.NANOSECONDS.sleep(interval);
                view = LatestView.of(queries.latestWithinBox(box, criteria, limit));
                List<Map<String, Object>> changed = view.features(sent);
                List<UUID> removed = view.truncated() ? List.of() : view.removedFrom(sent);
                if (!changed.isEmpty() || !removed.isEmpty()) {
                    sink.message("positions", view.collection(changed, removed));
                    quietSince = System.nanoTime();
                } else if (System.nanoTime() - quietSince >= HEARTBEAT_NANOS) {
                    sink.comment("heartbeat");
                    quietSince = System.nanoTime();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            open.decrementAndGet();
        }
    }

    /** One read of the index: the positions in view, by asset. */
    record LatestView(Map<UUID, Position> positions, boolean truncated) {

        static LatestView of(LatestPositions.Live<LivePosition<Position>> live) {
            Map<UUID, Position> positions = new LinkedHashMap<>();
            live.items().forEach(p -> positions.put(p.payload().assetId(), p.payload()));
            return new LatestView(positions, live.truncated());
        }

        /** The positions newer than those in {@code sent} (all of them at first), which it then records. */
        List<Map<String, Object>> features(Map<UUID, Instant> sent) {
            List<Map<String, Object>> features = new ArrayList<>();
            positions.forEach((assetId, position) -> {
                Instant before = sent.get(assetId);
                if (before == null || position.eventTime().isAfter(before)) {
                    sent.put(assetId, position.eventTime());
                    features.add(PositionFeatures.point(StoredPosition.of(position)));
                }
            });
            return features;
        }

        /** The assets sent earlier that are out of view now, which it forgets. */
        List<UUID> removedFrom(Map<UUID, Instant> sent) {
            Set<UUID> gone = new HashSet<>(sent.keySet());
            gone.removeAll(positions.keySet());
            gone.forEach(sent::remove);
            return List.copyOf(gone);
        }

        Map<String, Object> collection(List<Map<String, Object>> features, List<UUID> removed) {
            Map<String, Object> collection = new LinkedHashMap<>();
            collection.put("type", "FeatureCollection");
            collection.put("features", features);
            collection.put("removed", removed);
            collection.put("truncated", truncated);
            return collection;
        }
    }

    @Override
    public void start() {
        running = true;
    }

    @Override
    public void stop() {
        running = false;
    }

    @Override
    public boolean isRunning() {
        return running;
    }
}
