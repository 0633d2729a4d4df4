package io.sextant.export;

import io.sextant.shared.geo.GeoJsonGeometries;
import io.sextant.shared.problem.InvalidInput;
import io.sextant.tracking.PositionCriteria;
import io.sextant.tracking.PositionQueries;
import io.sextant.tracking.StoredPosition;
import io.sextant.tracking.TrackingProperties;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.locationtech.jts.geom.Geometry;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;

/**
 * Reads what an {@link ExportQuery} holds, page by page, from tracking's {@link PositionQueries} —
 * the service behind the history endpoints, so its filters, limits and the current caller's reach
 * apply exactly as they do there. A window longer than the query's own limit is read in consecutive
 * slices; positions come in the history's order (time, then asset), never all in memory at once.
 */
@Component
class PositionPages {

    /** The most positions of a polygon, as the history search accepts it. */
    static final int MAX_POLYGON_VERTICES = 10_000;

    private final PositionQueries queries;
    private final TrackingProperties.Queries limits;
    private final int pageSize;

    PositionPages(PositionQueries queries, TrackingProperties tracking, ExportsProperties properties) {
        this.queries = queries;
        this.limits = tracking.queries();
        this.pageSize = properties.pageSize();
    }

    /** Receives each non-empty page in order. */
    interface PageSink {
        void accept(List<StoredPosition> page);
    }

    /**
     * Asks for the first page as the current caller, to refuse at once what the history endpoints
     * refuse: a track of an asset the caller cannot see (404), a region over the query's limits, a
     * caller without {@code positions:read} (403).
     */
    void check(ExportQuery query) {
        Instant to = sliceEnd(query.from(), query.to());
        switch (query) {
            case ExportQuery.Track track -> queries.track(track.assetId(), track.from(), to, 0, trackPage());
            case ExportQuery.Area area ->
                queries.inArea(area.bbox(), polygon(area), area.from(), to, criteria(area), false, null, areaPage());
        }
    }

    /** Every position the query holds for the current caller, page by page. */
    void read(ExportQuery query, PageSink sink) {
        Instant from = query.from();
        while (from.isBefore(query.to())) {
            Instant to = sliceEnd(from, query.to());
            switch (query) {
                case ExportQuery.Track track -> readTrack(track, from, to, sink);
                case ExportQuery.Area area -> readArea(area, polygon(area), from, to, sink);
            }
            from = to;
        }
    }

    private void readTrack(ExportQuery.Track track, Instant from, Instant to, PageSink sink) {
        Instant next = from;
        while (true) {
            PositionQueries.Track page = queries.track(track.assetId(), next, to, 0, trackPage());
            if (!page.points().isEmpty()) {
                sink.accept(page.points());
            }
            Instant nextFrom = page.nextFrom();
            if (!page.truncated() || nextFrom == null) {
                return;
            }
            next = nextFrom;
        }
    }

    private void readArea(ExportQuery.Area area, @Nullable Geometry polygon, Instant from, Instant to, PageSink sink) {
        PositionCriteria criteria = criteria(area);
        String cursor = null;
        do {
            PositionQueries.HistoryPage page =
                    queries.inArea(area.bbox(), polygon, from, to, criteria, false, cursor, areaPage());
            if (!page.items().isEmpty()) {
                sink.accept(page.items());
            }
            cursor = page.nextCursor();
        } while (cursor != null);
    }

    /** The polygon of an area given as one, read by the same rules as the history search's. */
    static @Nullable Geometry polygon(ExportQuery.Area area) {
        JsonNode geometry = area.geometry();
        if (geometry == null) {
            return null;
        }
        try {
            return GeoJsonGeometries.polygonal(geometry, "geometry", MAX_POLYGON_VERTICES);
        } catch (GeoJsonGeometries.Invalid e) {
            throw new InvalidInput(e.field(), e.reason());
        }
    }

    private static PositionCriteria criteria(ExportQuery.Area area) {
        return new PositionCriteria(area.type(), area.tags());
    }

    private Instant sliceEnd(Instant from, Instant to) {
        Duration left = Duration.between(from, to);
        return left.compareTo(limits.maxWindow()) <= 0 ? to : from.plus(limits.maxWindow());
    }

    private int trackPage() {
        return Math.min(pageSize, limits.maxTrackPoints());
    }

    private int areaPage() {
        return Math.min(pageSize, limits.maxHistoryPage());
    }
}
