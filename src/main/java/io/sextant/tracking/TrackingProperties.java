package io.sextant.tracking;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Position ingest and storage settings.
 *
 * @param maxBatchPositions most positions in one request, else 413 ({@code
 *     SEXTANT_TRACKING_MAX_BATCH_POSITIONS})
 * @param maxBatchSize largest ingest request body, else 413 ({@code SEXTANT_TRACKING_MAX_BATCH_SIZE})
 * @param maxFutureSkew how far in the future an event time may be ({@code
 *     SEXTANT_TRACKING_MAX_FUTURE_SKEW})
 * @param maxAttributeBytes largest attributes object of one position ({@code
 *     SEXTANT_TRACKING_MAX_ATTRIBUTE_BYTES})
 * @param writer the group-commit writer
 * @param partitionsAhead how many daily partitions exist ahead of today ({@code
 *     SEXTANT_TRACKING_PARTITIONS_AHEAD})
 * @param latestWriteInterval how often the latest positions are written behind ingest to the
 *     {@code latest_position} table ({@code SEXTANT_TRACKING_LATEST_WRITE_INTERVAL}); queries on
 *     this node never lag, other readers of the table by at most this
 * @param follow whether this node follows the assets and positions other nodes write ({@code
 *     SEXTANT_TRACKING_FOLLOW}): {@code auto} (the default) follows on a node without every role —
 *     assets on any such node, positions too where it serves queries — {@code on} or {@code off}
 * @param followInterval how often a following node reads what other nodes wrote ({@code
 *     SEXTANT_TRACKING_FOLLOW_INTERVAL})
 * @param liveStream the live stream of latest positions
 */
@ConfigurationProperties("sextant.tracking")
public record TrackingProperties(
        @DefaultValue("10000") int maxBatchPositions,
        @DefaultValue("8MB") DataSize maxBatchSize,
        @DefaultValue("5m") Duration maxFutureSkew,
        @DefaultValue("4096") int maxAttributeBytes,
        @DefaultValue Writer writer,
        @DefaultValue("3") int partitionsAhead,
        @DefaultValue Queries queries,
        @DefaultValue("1s") Duration latestWriteInterval,
        @DefaultValue("auto") String follow,
        @DefaultValue("500ms") Duration followInterval,
        @DefaultValue LiveStream liveStream) {

    public TrackingProperties {
        if (liveStream.interval().compareTo(Duration.ofMillis(100)) < 0) {
            throw new IllegalArgumentException(
                    "sextant.tracking.live-stream.interval must be at least 100ms, was " + liveStream.interval());
        }
        if (liveStream.maxConnections() < 1) {
            throw new IllegalArgumentException("sextant.tracking.live-stream.max-connections must be at least 1, was "
                    + liveStream.maxConnections());
        }
    }

    /**
     * The live stream of latest positions ({@code GET /api/v1/positions/latest/stream}).
     *
     * @param interval how often a stream looks for positions newer than those it sent ({@code
     *     SEXTANT_TRACKING_LIVE_STREAM_INTERVAL}); at most one message per interval
     * @param maxConnections open position streams per node; more are refused with 503 ({@code
     *     SEXTANT_TRACKING_LIVE_STREAM_MAX_CONNECTIONS})
     */
    public record LiveStream(
            @DefaultValue("1s") Duration interval,
            @DefaultValue("200") int maxConnections) {}

    /**
     * Explicit limits of position queries; a request beyond one is a 400 naming it.
     *
     * @param maxWindow longest time window of a track or area query ({@code
     *     SEXTANT_TRACKING_QUERIES_MAX_WINDOW})
     * @param maxAreaKm2 largest area (of the query region's bounding box) ({@code
     *     SEXTANT_TRACKING_QUERIES_MAX_AREA_KM2})
     * @param maxHistoryPage largest page of area and snapshot queries ({@code
     *     SEXTANT_TRACKING_QUERIES_MAX_HISTORY_PAGE})
     * @param maxTrackPoints most raw positions of one track request ({@code
     *     SEXTANT_TRACKING_QUERIES_MAX_TRACK_POINTS})
     * @param maxStaleness largest staleness of an as-of snapshot ({@code
     *     SEXTANT_TRACKING_QUERIES_MAX_STALENESS})
     * @param maxLiveResults most results of one live (latest position) query ({@code
     *     SEXTANT_TRACKING_QUERIES_MAX_LIVE_RESULTS})
     * @param maxRadiusMeters largest radius of a nearby query ({@code
     *     SEXTANT_TRACKING_QUERIES_MAX_RADIUS_METERS})
     */
    public record Queries(
            @DefaultValue("31d") Duration maxWindow,
            @DefaultValue("2500000") double maxAreaKm2,
            @DefaultValue("10000") int maxHistoryPage,
            @DefaultValue("100000") int maxTrackPoints,
            @DefaultValue("7d") Duration maxStaleness,
            @DefaultValue("10000") int maxLiveResults,
            @DefaultValue("1000000") double maxRadiusMeters) {}

    /**
     * @param maxGroupPositions most positions committed in one transaction ({@code
     *     SEXTANT_TRACKING_WRITER_MAX_GROUP_POSITIONS})
     * @param queueCapacity batches waiting for a writer before ingest answers 503 ({@code
     *     SEXTANT_TRACKING_WRITER_QUEUE_CAPACITY})
     * @param threads concurrent committing writers ({@code SEXTANT_TRACKING_WRITER_THREADS})
     * @param historyCopies groups that may COPY new positions into the history at once ({@code
     *     SEXTANT_TRACKING_WRITER_HISTORY_COPIES}); late or duplicate data is always written alone
     * @param orderWait how long a group whose history is written waits for the groups taken before
     *     it with one of its assets to reach the observers first ({@code SEXTANT_TRACKING_WRITER_ORDER_WAIT}); beyond it,
     *     it goes first, and an asset's positions it overtakes are evaluated as late data. 0: no order
     */
    public record Writer(
            @DefaultValue("5000") int maxGroupPositions,
            @DefaultValue("256") int queueCapacity,
            @DefaultValue("2") int threads,
            @DefaultValue("2") int historyCopies,
            @DefaultValue("1s") Duration orderWait) {}
}
