package io.sextant.tracking;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.sextant.asset.AssetRemoval;
import io.sextant.asset.Assets;
import io.sextant.shared.NodeRoles;
import io.sextant.shared.TenantContext;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Keeps this node's asset catalog and live index current with what other nodes write, when it is
 * one node of several ({@code SEXTANT_ROLES} other than all, or {@code SEXTANT_TRACKING_FOLLOW=on}):
 * every {@code sextant.tracking.follow-interval} it reads the assets changed and removed and — on a
 * node that serves queries — the positions received since its last read, from PostgreSQL, the
 * system of record (nothing is lost to a missed message; Redis is not needed).
 *
 * <p>A position is stored with the time its node received it, and committed later — seconds later
 * when ingest is saturated. Each ingesting node records, with every write-behind flush, the receive
 * time of its oldest ingest still in flight ({@code latest_position_checkpoint.in_flight_from}); the
 * lowest over the live nodes, read before the positions, is where the next read starts: everything
 * received before it had committed when this read ran. Asset changes are read again from {@link
 * #MARGIN} before the newest one seen (an asset is written in one short transaction). A row read
 * twice is harmless — the live index only ever moves to a newer position and the catalog takes the
 * same facts again. A position of an asset this node does not know (removed) is not taken in.
 */
@Component
class NodeFollower implements SmartLifecycle {

    /** How far each read of assets reaches back before the newest change already seen. */
    static final Duration MARGIN = Duration.ofSeconds(2);

    /** A node whose checkpoint is older than this is not ingesting (stopped, or never started ingest). */
    static final Duration LIVE_NODE = Duration.ofSeconds(30);

    private static final Logger log = LoggerFactory.getLogger(NodeFollower.class);

    private final Assets assets;
    private final AssetCatalog catalog;
    private final LatestPositions latest;
    private final PositionQueryRepository positions;
    private final PositionRepository history;
    private final Duration interval;
    private final boolean followAssets;
    private final boolean followPositions;
    private final Counter followed;
    private final Timer reads;
    private volatile boolean running;
    private @Nullable Thread thread;
    private Instant assetsSince = Instant.EPOCH;
    private Instant removalsSince = Instant.EPOCH;
    private Instant positionsSince = Instant.EPOCH;

    NodeFollower(
            Assets assets,
            AssetCatalog catalog,
            LatestPositions latest,
            PositionQueryRepository positions,
            PositionRepository history,
            TrackingProperties properties,
            NodeRoles roles,
            MeterRegistry meters) {
        this.assets = assets;
        this.catalog = catalog;
        this.latest = latest;
        this.positions = positions;
        this.history = history;
        this.interval = properties.followInterval();
        boolean follow = switch (properties.follow().toLowerCase(Locale.ROOT)) {
            case "on", "true" -> true;
            case "off", "false" -> false;
            case "auto" -> !roles.all();
            default ->
                throw new IllegalArgumentException(
                        "sextant.tracking.follow must be auto, on or off, was '" + properties.follow() + "'");
        };
        this.followAssets = follow;
        this.followPositions = follow && roles.api();
        this.followed = Counter.builder("sextant.tracking.followed")
                .description("Positions written through other nodes taken into this node's live index")
                .register(meters);
        this.reads = Timer.builder("sextant.tracking.follow.reads")
                .description("Time of one read of what other nodes wrote")
                .register(meters);
    }

    @Override
    public boolean isAutoStartup() {
        return followAssets;
    }

    @Override
    public void start() {
        assetsSince = catalog.loadedAt().minus(MARGIN);
        removalsSince = catalog.loadedAt().minus(MARGIN);
        positionsSince = latest.rebuiltFrom().minus(MARGIN);
        running = true;
        thread = Thread.ofPlatform().name("node-follower").daemon().start(this::followLoop);
        log.info("Following other nodes' {} every {}", followPositions ? "assets and positions" : "assets", interval);
    }

    @Override
    public void stop() {
        running = false;
        Thread current = thread;
        if (current != null) {
            current.interrupt();
            try {
                current.join(5_000);
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

    /** One read of everything other nodes wrote since the last (assets first, so new assets' positions are known). */
    void followOnce() {
        long started = System.nanoTime();
        Instant changed = assets.forEachAssetChangedSince(assetsSince, catalog::follow);
        if (changed != null) {
            assetsSince = later(assetsSince, changed.minus(MARGIN));
        }
        for (AssetRemoval removal : assets.assetsRemovedSince(removalsSince)) {
            catalog.forget(removal.assetId());
            latest.forget(removal.assetId());
            removalsSince = later(removalsSince, removal.removedAt().minus(MARGIN));
        }
        if (followPositions) {
            // Read before the positions: what was received before it had committed by then, so this
            // read sees it, and the next one need not reach further back.
            Instant floor = TenantContext.callAsSystem(() -> history.inFlightFloor(LIVE_NODE))
                    .orElse(null);
            Instant received = TenantContext.callAsSystem(() -> positions.forEachReceivedSince(positionsSince, p -> {
                if (catalog.get(p.assetId()) != null && latest.advance(p)) {
                    followed.increment();
                }
            }));
            positionsSince = later(
                    positionsSince, floor != null ? floor : received != null ? received.minus(MARGIN) : positionsSince);
        }
        reads.record(Duration.ofNanos(System.nanoTime() - started));
    }

    private void followLoop() {
        boolean failing = false;
        while (running) {
            try {
                followOnce();
                if (failing) {
                    failing = false;
                    log.info("Following other nodes again");
                }
                Thread.sleep(interval.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                if (!failing) {
                    failing = true;
                    log.warn("Could not read what other nodes wrote; retrying: {}", e.toString());
                }
                try {
                    Thread.sleep(interval.toMillis());
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    private static Instant later(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }
}
