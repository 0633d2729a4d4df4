package io.sextant.tracking;

import io.sextant.asset.Assets;
import io.sextant.shared.TenantContext;
import io.sextant.shared.TimeBounds;
import io.sextant.shared.access.Reach;
import io.sextant.shared.access.RequiresPermission;
import io.sextant.shared.geo.BoundingBox;
import io.sextant.shared.geo.GeoPoint;
import io.sextant.shared.problem.InvalidInput;
import io.sextant.shared.problem.NotFound;
import io.sextant.shared.web.Cursors;
import io.sextant.tracking.live.LivePosition;
import io.sextant.tracking.live.NearbyPosition;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.Envelope;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.prep.PreparedGeometry;
import org.locationtech.jts.geom.prep.PreparedGeometryFactory;
import org.springframework.stereotype.Service;

/**
 * Position queries of the current tenant, each requiring {@code positions:read}: one asset's track,
 * everything inside an area during a window, the picture as of a past instant, and the latest
 * positions — paged from the table, or searched in the live index of {@link LatestPositions} (box,
 * radius, nearest, polygon). Each checks its explicit limits first and answers a 400 naming the
 * limit and its value.
 */
@Service
public class PositionQueries {

    private final PositionQueryRepository repository;
    private final Assets assets;
    private final TrackingProperties.Queries limits;
    private final LatestPositionWrites latestWrites;
    private final LatestPositions live;
    private final Clock clock;
    private final AssetCatalog catalog;

    PositionQueries(
            PositionQueryRepository repository,
            Assets assets,
            TrackingProperties properties,
            LatestPositionWrites latestWrites,
            LatestPositions live,
            Clock clock,
            AssetCatalog catalog) {
        this.clock = clock;
        this.catalog = catalog;
        this.latestWrites = latestWrites;
        this.repository = repository;
        this.assets = assets;
        this.limits = properties.queries();
        this.live = live;
    }

    /**
     * The asset's positions in [from, to) in time order, simplified when {@code toleranceMeters} is
     * positive; at most {@code maxPoints} raw positions are read, and {@link Track#truncated()} says
     * when more exist (continue from {@link Track#nextFrom()}).
     */
    @RequiresPermission("positions:read")
    public Track track(UUID assetId, Instant from, Instant to, double toleranceMeters, int maxPoints) {
        checkWindow(from, to);
        if (maxPoints < 1 || maxPoints > limits.maxTrackPoints()) {
            throw new InvalidInput(
                    "limit", "must be between 1 and " + limits.maxTrackPoints() + " (was " + maxPoints + ")");
        }
        if (!(toleranceMeters >= 0) || toleranceMeters > 100_000) {
            throw new InvalidInput("tolerance", "must be between 0 and 100000 meters");
        }
        Reach reach = reach();
        // An asset the caller's grants reach in no way is as absent as a missing one.
        if (!assets.exists(assetId) || !reach.reachesAsset(assetId)) {
            throw new NotFound("asset", assetId);
        }
        UUID tenant = TenantContext.require();
        Instant earliest = reach.earliest();
        Instant start = earliest != null && earliest.isAfter(from) ? earliest : from;
        List<StoredPosition> raw = !start.isBefore(to)
                ? List.of()
                : kept(
                        (last, size) -> repository.track(
                                tenant,
                                assetId,
                                last == null ? start : last.eventTime().plusNanos(1_000),
                                to,
                                size),
                        p -> reach.reachesPosition(p.assetId(), p.lon(), p.lat(), p.eventTime()),
                        maxPoints + 1);
        boolean truncated = raw.size() > maxPoints;
        List<StoredPosition> kept = truncated ? raw.subList(0, maxPoints) : raw;
        Instant nextFrom = truncated ? raw.get(maxPoints).eventTime() : null;
        return new Track(
                assetId, from, to, kept.size(), TrackSimplifier.simplify(kept, toleranceMeters), truncated, nextFrom);
    }

    /**
     * Positions inside {@code area} (a Polygon or MultiPolygon in lon/lat, boundary included) or
     * inside {@code box} during [from, to), a page at a time.
     */
    @RequiresPermission("positions:read")
    public HistoryPage inArea(
            @Nullable BoundingBox box,
            @Nullable Geometry area,
            Instant from,
            Instant to,
            PositionCriteria criteria,
            boolean byAsset,
            @Nullable String cursor,
            int limit) {
        checkWindow(from, to);
        checkPage(limit);
        List<BoundingBox> boxes =
                box != null ? withoutCrossing(box) : envelopes(java.util.Objects.requireNonNull(area));
        double areaKm2 = boxes.stream().mapToDouble(BoundingBox::areaKm2).sum();
        if (areaKm2 > limits.maxAreaKm2()) {
            throw new InvalidInput(
                    box != null ? "bbox" : "geometry",
                    "covers about " + Math.round(areaKm2) + " km² (bounding box), over the limit of "
                            + Math.round(limits.maxAreaKm2()) + " km²");
        }
        PositionQueryRepository.HistoryCursor after = decode(cursor);
        UUID tenantId = TenantContext.require();
        Reach reach = reach();
        List<UUID> admitted = reach.admittedAssets(admittedAssets(criteria));
        Instant earliest = reach.earliest();
        Instant start = earliest != null && earliest.isAfter(from) ? earliest : from;
        if (reach.none() || !start.isBefore(to)) {
            return new HistoryPage(List.of(), null);
        }
        PreparedGeometry exact = area == null ? null : PreparedGeometryFactory.prepare(area);
        List<StoredPosition> page = new ArrayList<>(Math.min(limit, 1024));
        // The boxes prefilter in SQL; the exact polygon test refines in memory. Rows are read in
        // chunks until the page is full, so a refined page is still a full page.
        while (true) {
            List<StoredPosition> chunk =
                    repository.inArea(tenantId, boxes, start, to, admitted, byAsset, after, limit + 1);
            for (StoredPosition p : chunk) {
                after = new PositionQueryRepository.HistoryCursor(p.eventTime(), p.assetId());
                if ((exact == null || exact.covers(GeoJsonPoint.of(p.lon(), p.lat())))
                        && reach.reachesPosition(p.assetId(), p.lon(), p.lat(), p.eventTime())) {
                    if (page.size() == limit) {
                        StoredPosition last = page.getLast();
                        return new HistoryPage(page, encode(last));
                    }
                    page.add(p);
                }
            }
            if (chunk.size() <= limit) {
                return new HistoryPage(page, null);
            }
        }
    }

    /**
     * Every latest position of the tenant, a page at a time in asset order: the table, with what
     * this node has not written behind yet laid over it.
     */
    @RequiresPermission("positions:read")
    public SnapshotPage latest(PositionCriteria criteria, @Nullable String cursor, int limit) {
        checkPage(limit);
        UUID tenantId = TenantContext.require();
        Reach reach = reach();
        List<UUID> admitted = reach.admittedAssets(admittedAssets(criteria));
        UUID afterCursor = Cursors.decodeId(cursor);
        List<StoredPosition> rows = reach.none()
                ? List.of()
                : kept(
                        (last, size) -> {
                            UUID afterAsset = last == null ? afterCursor : last.assetId();
                            return latestWrites.overlay(
                                    tenantId,
                                    repository.latest(tenantId, admitted, afterAsset, size),
                                    admitted,
                                    afterAsset,
                                    size);
                        },
                        p -> reach.reachesPosition(p.assetId(), p.lon(), p.lat(), p.eventTime()),
                        limit + 1);
        boolean more = rows.size() > limit;
        List<StoredPosition> page = more ? List.copyOf(rows.subList(0, limit)) : rows;
        return new SnapshotPage(
                page, more ? Cursors.encode(page.getLast().assetId().toString()) : null);
    }

    /**
     * Latest positions a page at a time in asset order, optionally only those inside a box and those
     * whose time lies in {@code [from, to]} (either end open when null). Without box or time, the
     * table's pages ({@link #latest}); with either, the live index, searched for the first {@code
     * limit} assets after the cursor that match.
     */
    @RequiresPermission("positions:read")
    public SnapshotPage latestPage(
            @Nullable BoundingBox box,
            @Nullable Instant from,
            @Nullable Instant to,
            PositionCriteria criteria,
            @Nullable String cursor,
            int limit) {
        if (box == null && from == null && to == null) {
            return latest(criteria, cursor, limit);
        }
        checkPage(limit);
        UUID after = Cursors.decodeId(cursor);
        List<Position> found = live.pageWithinBox(
                box == null ? BoundingBox.WORLD : box,
                p -> (from == null || !p.eventTime().isBefore(from))
                        && (to == null || !p.eventTime().isAfter(to)),
                criteria,
                reach(),
                after,
                limit + 1);
        boolean more = found.size() > limit;
        List<StoredPosition> page = (more ? found.subList(0, limit) : found)
                .stream().map(StoredPosition::of).toList();
        return new SnapshotPage(
                page, more ? Cursors.encode(page.getLast().assetId().toString()) : null);
    }

    /** Latest positions inside a box; {@link LatestPositions.Live#truncated()} when more than {@code limit} match. */
    @RequiresPermission("positions:read")
    public LatestPositions.Live<LivePosition<Position>> latestWithinBox(
            BoundingBox box, PositionCriteria criteria, int limit) {
        return live.withinBox(box, criteria, reach(), limit);
    }

    /** Latest positions within a great-circle radius, nearest first. */
    @RequiresPermission("positions:read")
    public LatestPositions.Live<NearbyPosition<Position>> latestWithinRadius(
            GeoPoint center, double meters, PositionCriteria criteria, int limit) {
        return live.withinRadius(center, meters, criteria, reach(), limit);
    }

    /**
     * The {@code k} latest positions nearest to a point, nearest first: within {@code maxMeters}
     * when given, anywhere on Earth when not.
     */
    @RequiresPermission("positions:read")
    public List<NearbyPosition<Position>> latestNearest(
            GeoPoint center, int k, @Nullable Double maxMeters, PositionCriteria criteria) {
        return live.nearest(center, k, maxMeters, criteria, reach());
    }

    /** Latest positions inside a Polygon or MultiPolygon (holes respected, boundary included). */
    @RequiresPermission("positions:read")
    public LatestPositions.Live<LivePosition<Position>> latestWithinGeometry(
            Geometry area, PositionCriteria criteria, int limit) {
        return live.withinGeometry(area, criteria, reach(), limit);
    }

    /**
     * The latest positions of {@code assetIds} that the caller's grants reach now, by asset; an
     * asset of another tenant, without a position or out of reach is left out.
     */
    @RequiresPermission("positions:read")
    public Map<UUID, Position> latestReached(Collection<UUID> assetIds) {
        UUID tenantId = TenantContext.require();
        Reach reach = reach();
        Map<UUID, Position> reached = new LinkedHashMap<>();
        if (reach.none()) {
            return reached;
        }
        for (UUID assetId : assetIds) {
            live.latestOf(assetId)
                    .filter(p -> p.tenantId().equals(tenantId)
                            && reach.reachesPosition(assetId, p.lon(), p.lat(), p.eventTime()))
                    .ifPresent(p -> reached.put(assetId, p));
        }
        return reached;
    }

    /** The last position of each asset at {@code at}, if it is no older than {@code maxStaleness}. */
    @RequiresPermission("positions:read")
    public SnapshotPage asOf(
            Instant at, Duration maxStaleness, PositionCriteria criteria, @Nullable String cursor, int limit) {
        if (maxStaleness.isNegative() || maxStaleness.isZero() || maxStaleness.compareTo(limits.maxStaleness()) > 0) {
            throw new InvalidInput(
                    "maxStaleness",
                    "must be positive and at most " + limits.maxStaleness() + " (was " + maxStaleness + ")");
        }
        checkPage(limit);
        UUID afterCursor = Cursors.decodeId(cursor);
        UUID tenantId = TenantContext.require();
        Reach reach = reach();
        List<UUID> admitted = reach.admittedAssets(admittedAssets(criteria));
        List<StoredPosition> rows = reach.none()
                ? List.of()
                : kept(
                        (last, size) -> repository.asOf(
                                tenantId,
                                at,
                                at.minus(maxStaleness),
                                admitted,
                                last == null ? afterCursor : last.assetId(),
                                size),
                        p -> reach.reachesPosition(p.assetId(), p.lon(), p.lat(), p.eventTime()),
                        limit + 1);
        boolean more = rows.size() > limit;
        List<StoredPosition> page = more ? List.copyOf(rows.subList(0, limit)) : rows;
        return new SnapshotPage(
                page, more ? Cursors.encode(page.getLast().assetId().toString()) : null);
    }

    /** A page of history, snapshot or latest positions holds 1 to {@code maxHistoryPage} rows. */
    private void checkPage(int limit) {
        if (limit < 1 || limit > limits.maxHistoryPage()) {
            throw new InvalidInput(
                    "limit", "must be between 1 and " + limits.maxHistoryPage() + " (was " + limit + ")");
        }
    }

    private void checkWindow(Instant from, Instant to) {
        if (!to.isAfter(from)) {
            throw new InvalidInput("to", "must be after from");
        }
        Duration window = Duration.between(from, to);
        if (window.compareTo(limits.maxWindow()) > 0) {
            throw new InvalidInput("to", "the window of " + window + " exceeds the limit of " + limits.maxWindow());
        }
    }

    /** PostgreSQL boxes do not wrap: one crossing the antimeridian becomes its two halves. */
    private static List<BoundingBox> withoutCrossing(BoundingBox box) {
        if (!box.crossesAntimeridian()) {
            return List.of(box);
        }
        return List.of(
                new BoundingBox(box.west(), box.south(), 180, box.north()),
                new BoundingBox(-180, box.south(), box.east(), box.north()));
    }

    /** Bounding boxes of the polygons, so SQL prefilters by index; the antimeridian needs no split. */
    private static List<BoundingBox> envelopes(Geometry area) {
        List<BoundingBox> boxes = new ArrayList<>();
        for (int i = 0; i < area.getNumGeometries(); i++) {
            Envelope envelope = area.getGeometryN(i).getEnvelopeInternal();
            boxes.add(new BoundingBox(envelope.getMinX(), envelope.getMinY(), envelope.getMaxX(), envelope.getMaxY()));
        }
        return boxes;
    }

    private static @Nullable String encode(StoredPosition last) {
        return Cursors.encode(last.eventTime() + "|" + last.assetId());
    }

    private static PositionQueryRepository.@Nullable HistoryCursor decode(@Nullable String cursor) {
        String position = Cursors.decode(cursor);
        if (position == null) {
            return null;
        }
        try {
            int bar = position.indexOf('|');
            // A hand-made cursor could hold any year Java reads; PostgreSQL would refuse it.
            return new PositionQueryRepository.HistoryCursor(
                    TimeBounds.check(Instant.parse(position.substring(0, bar))),
                    UUID.fromString(position.substring(bar + 1)));
        } catch (RuntimeException e) {
            throw new InvalidInput("cursor", "is not a cursor returned by this API");
        }
    }

    /** One asset's track over a window. */
    public record Track(
            UUID assetId,
            Instant from,
            Instant to,
            int rawCount,
            List<StoredPosition> points,
            boolean truncated,
            @Nullable Instant nextFrom) {}

    /** A page of an area query. */
    public record HistoryPage(
            List<StoredPosition> items, @Nullable String nextCursor) {}

    /** A page of an as-of snapshot. */
    public record SnapshotPage(
            List<StoredPosition> items, @Nullable String nextCursor) {}

    /** JTS points for containment tests. */
    static final class GeoJsonPoint {
        private GeoJsonPoint() {}

        static org.locationtech.jts.geom.Point of(double lon, double lat) {
            return io.sextant.shared.geo.GeoJsonGeometries.FACTORY.createPoint(new Coordinate(lon, lat));
        }
    }

    /** What the caller's {@code positions:read} reaches now. */
    private Reach reach() {
        return DataReach.current(assets, catalog, clock.instant());
    }

    /** Reads keyset chunks (each after the last row read) of {@code wanted} rows, until {@code wanted} rows are kept. */
    interface Chunks {
        List<StoredPosition> after(@Nullable StoredPosition last, int size);
    }

    /**
     * Up to {@code wanted} rows that {@code keep} accepts, in the chunks' order: rows the caller's
     * grants do not reach are skipped and more are read, so a page is full whenever more exist.
     */
    static List<StoredPosition> kept(Chunks chunks, java.util.function.Predicate<StoredPosition> keep, int wanted) {
        List<StoredPosition> kept = new ArrayList<>(Math.min(wanted, 1024));
        StoredPosition last = null;
        while (true) {
            List<StoredPosition> chunk = chunks.after(last, wanted);
            for (StoredPosition row : chunk) {
                last = row;
                if (keep.test(row)) {
                    kept.add(row);
                    if (kept.size() == wanted) {
                        return kept;
                    }
                }
            }
            if (chunk.size() < wanted) {
                return kept;
            }
        }
    }

    /** The assets the criteria's asset filters admit, as the asset module answers; null if any. */
    private @Nullable List<UUID> admittedAssets(PositionCriteria criteria) {
        return criteria.restrictsAssets() ? assets.idsMatching(criteria.assetType(), criteria.tags()) : null;
    }
}
