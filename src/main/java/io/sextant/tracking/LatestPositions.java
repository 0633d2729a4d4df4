package io.sextant.tracking;

import io.sextant.asset.AssetRemoved;
import io.sextant.shared.TenantContext;
import io.sextant.shared.access.Reach;
import io.sextant.shared.geo.BoundingBox;
import io.sextant.shared.geo.GeoPoint;
import io.sextant.shared.problem.InvalidInput;
import io.sextant.tracking.live.LiveIndex;
import io.sextant.tracking.live.LivePosition;
import io.sextant.tracking.live.NearbyPosition;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;
import org.locationtech.jts.geom.Geometry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.event.TransactionalEventListener;

/**
 * The latest position of every asset, in memory in a spatial index: advanced after each committed
 * write (never to an older event time), mirrored by the {@code latest_position} table (written
 * behind, {@link LatestPositionWrites}) and rebuilt from it on start, once it has caught up.
 * Live queries of the current tenant (box, radius, nearest, polygon) run here, with the tenant
 * and the request's {@link PositionCriteria} applied inside the search; callers enter them through
 * {@link PositionQueries}, which checks their permission, so that this bean, which the position
 * writer asks for every position, stays free of a method-security proxy.
 */
@Service
public class LatestPositions implements io.sextant.shared.access.LatestLocations {

    private static final Logger log = LoggerFactory.getLogger(LatestPositions.class);

    private final LiveIndex<Latest> index = new LiveIndex<>();
    private final AssetCatalog catalog;
    private final TrackingProperties.Queries limits;
    private final Instant rebuiltFrom;

    LatestPositions(
            PositionQueryRepository repository,
            AssetCatalog catalog,
            TrackingProperties properties,
            LatestPositionWrites caughtUp,
            PositionRepository history) {
        this.catalog = catalog;
        // Positions received from here on may not be in latest_position yet (another node's, not
        // written behind): a node following the others reads them again from the history.
        Instant now = Instant.now();
        Instant behind = TenantContext.callAsSystem(history::oldestCheckpoint).orElse(now);
        this.rebuiltFrom = behind.isBefore(now) ? behind : now;
        this.limits = properties.queries();
        long started = System.nanoTime();
        TenantContext.callAsSystem(() -> {
            repository.forEachLatest(this::advance);
            return true;
        });
        log.info(
                "Live index rebuilt: {} latest positions in {} ms",
                index.size(),
                (System.nanoTime() - started) / 1_000_000);
    }

    /** The receive time from which positions may be missing from the index as rebuilt on start. */
    Instant rebuiltFrom() {
        return rebuiltFrom;
    }

    /**
     * Makes {@code position} its asset's latest unless one as new is already known; whether it
     * did.
     */
    boolean advance(Position position) {
        // One lookup: the entry's lock in the index makes the comparison and the write one step.
        return index.update(position.assetId(), position.lon(), position.lat(), current -> {
            if (current != null
                    && !position.eventTime().isAfter(current.position().eventTime())) {
                return null;
            }
            return new Latest(position, current != null ? current.asset() : catalog.handle(position.assetId()));
        });
    }

    /** Where an asset of the current tenant was last seen (the {@link LatestLocations} port). */
    @Override
    public double @Nullable [] locate(java.util.UUID assetId) {
        var tenant = TenantContext.require();
        return index.get(assetId)
                .map(entry -> entry.payload().position())
                .filter(p -> p.tenantId().equals(tenant))
                .map(p -> new double[] {p.lon(), p.lat()})
                .orElse(null);
    }

    /** The latest known position of an asset, whatever the tenant context (for internal consumers). */
    public java.util.Optional<Position> latestOf(java.util.UUID assetId) {
        return java.util.Optional.ofNullable(latestOrNull(assetId));
    }

    /** {@link #latestOf}, or null: for the writers, which ask for every position. */
    @Nullable
    Position latestOrNull(java.util.UUID assetId) {
        Latest latest = index.payload(assetId);
        return latest == null ? null : latest.position();
    }

    /**
     * The latest positions of one tenant's assets within {@code meters} of a point, nearest first,
     * for internal consumers that name the tenant themselves (the proximity rule).
     */
    public List<NearbyAsset> nearbyOf(java.util.UUID tenantId, GeoPoint center, double meters, int limit) {
        return index.withinRadius(center, meters, l -> l.position().tenantId().equals(tenantId), limit).stream()
                .map(n -> new NearbyAsset(n.payload().position(), n.distanceMeters()))
                .toList();
    }

    /** A latest position and its distance from the point asked about. */
    public record NearbyAsset(Position position, double distanceMeters) {}

    @TransactionalEventListener
    void on(AssetRemoved event) {
        forget(event.assetId());
    }

    /** Drops a removed asset's latest position (removed through this node or another). */
    void forget(java.util.UUID assetId) {
        index.remove(assetId);
    }

    public int size() {
        return index.size();
    }

    /** Latest positions inside a box; {@link Live#truncated()} when more than {@code limit} match. */
    Live<LivePosition<Position>> withinBox(BoundingBox box, PositionCriteria criteria, Reach reach, int limit) {
        checkLimit(limit);
        if (!reach.mayReachArea(box)) {
            return new Live<>(List.of(), false);
        }
        return Live.of(positions(index.withinBox(box, filter(criteria, reach), limit + 1)), limit);
    }

    /** Asset ids in PostgreSQL's order of {@code uuid} (their bytes unsigned), the order of the table's pages. */
    static final java.util.Comparator<java.util.UUID> ID_ORDER = (a, b) -> {
        int high = Long.compareUnsigned(a.getMostSignificantBits(), b.getMostSignificantBits());
        return high != 0 ? high : Long.compareUnsigned(a.getLeastSignificantBits(), b.getLeastSignificantBits());
    };

    /**
     * The first {@code size} latest positions, in {@link #ID_ORDER} after {@code after}, inside a box
     * and accepted by {@code also}, that the criteria and the caller's grants admit: pages of a box
     * that stay stable while assets come and go. The search keeps only the smallest ids met so far,
     * so it holds no more than {@code size} of them however many lie in the box.
     */
    List<Position> pageWithinBox(
            BoundingBox box,
            Predicate<Position> also,
            PositionCriteria criteria,
            Reach reach,
            java.util.@Nullable UUID after,
            int size) {
        if (size < 1) {
            throw new IllegalArgumentException("size must be at least 1, was " + size);
        }
        if (!reach.mayReachArea(box)) {
            return List.of();
        }
        Predicate<Latest> admitted = filter(criteria, reach);
        java.util.TreeMap<java.util.UUID, Position> smallest = new java.util.TreeMap<>(ID_ORDER);
        index.withinBox(
                box,
                latest -> {
                    Position p = latest.position();
                    java.util.UUID id = p.assetId();
                    if ((after != null && ID_ORDER.compare(id, after) <= 0)
                            || (smallest.size() == size && ID_ORDER.compare(id, smallest.lastKey()) > 0)
                            || !also.test(p)
                            || !admitted.test(latest)) {
                        return false;
                    }
                    smallest.put(id, p);
                    if (smallest.size() > size) {
                        smallest.pollLastEntry();
                    }
                    return false; // kept here, not in the index's own list, which would hold every match
                },
                Integer.MAX_VALUE);
        return List.copyOf(smallest.values());
    }

    /** Latest positions within a great-circle radius, nearest first. */
    Live<NearbyPosition<Position>> withinRadius(
            GeoPoint center, double meters, PositionCriteria criteria, Reach reach, int limit) {
        checkLimit(limit);
        checkRadius(meters);
        if (!reach.mayReachArea(BoundingBox.around(center, meters))) {
            return new Live<>(List.of(), false);
        }
        return Live.of(nearby(index.withinRadius(center, meters, filter(criteria, reach), limit + 1)), limit);
    }

    /**
     * The {@code k} latest positions nearest to a point, nearest first: within {@code maxMeters}
     * when given (under the same limit as a radius query), anywhere on Earth when not.
     */
    List<NearbyPosition<Position>> nearest(
            GeoPoint center, int k, @Nullable Double maxMeters, PositionCriteria criteria, Reach reach) {
        if (k < 1 || k > limits.maxLiveResults()) {
            throw new InvalidInput("k", "must be between 1 and " + limits.maxLiveResults() + " (was " + k + ")");
        }
        if (maxMeters != null) {
            checkRadius(maxMeters);
            if (!reach.mayReachArea(BoundingBox.around(center, maxMeters))) {
                return List.of();
            }
        }
        return nearby(index.nearest(
                center, k, maxMeters == null ? Double.POSITIVE_INFINITY : maxMeters, filter(criteria, reach)));
    }

    /** Latest positions inside a Polygon or MultiPolygon (holes respected, boundary included). */
    Live<LivePosition<Position>> withinGeometry(Geometry area, PositionCriteria criteria, Reach reach, int limit) {
        checkLimit(limit);
        org.locationtech.jts.geom.Envelope envelope = area.getEnvelopeInternal();
        if (!reach.mayReachArea(
                new BoundingBox(envelope.getMinX(), envelope.getMinY(), envelope.getMaxX(), envelope.getMaxY()))) {
            return new Live<>(List.of(), false);
        }
        return Live.of(positions(index.withinGeometry(area, filter(criteria, reach), limit + 1)), limit);
    }

    /**
     * The tenant's positions that match the criteria and that the caller's grants reach; the index
     * applies it while it searches, so a nearest query returns the k nearest reached positions. The
     * asset's facts come from the handle kept beside its position: a search tests thousands of
     * candidates, and a lookup in the catalog for each was most of a scoped search's time.
     */
    private Predicate<Latest> filter(PositionCriteria criteria, Reach reach) {
        var tenant = TenantContext.require();
        boolean restricts = criteria.restrictsAssets();
        if (reach.all()) {
            return restricts
                    ? l -> l.position().tenantId().equals(tenant)
                            && criteria.test(l.asset().meta())
                    : l -> l.position().tenantId().equals(tenant);
        }
        return l -> {
            Position p = l.position();
            if (!p.tenantId().equals(tenant)) {
                return false;
            }
            AssetCatalog.AssetMeta meta = l.asset().meta();
            if (restricts && !criteria.test(meta)) {
                return false;
            }
            return reach.reachesPosition(
                    p.assetId(),
                    meta == null ? null : meta.tags(),
                    meta == null ? null : meta.classification().id(),
                    p.lon(),
                    p.lat(),
                    p.eventTime());
        };
    }

    private static List<LivePosition<Position>> positions(List<LivePosition<Latest>> found) {
        List<LivePosition<Position>> positions = new ArrayList<>(found.size());
        for (LivePosition<Latest> entry : found) {
            positions.add(new LivePosition<>(
                    entry.id(), entry.lon(), entry.lat(), entry.payload().position()));
        }
        return positions;
    }

    private static List<NearbyPosition<Position>> nearby(List<NearbyPosition<Latest>> found) {
        List<NearbyPosition<Position>> positions = new ArrayList<>(found.size());
        for (NearbyPosition<Latest> entry : found) {
            positions.add(new NearbyPosition<>(
                    entry.id(), entry.lon(), entry.lat(), entry.payload().position(), entry.distanceMeters()));
        }
        return positions;
    }

    /** What the index keeps for an asset: its latest position, and its handle in the catalog. */
    private record Latest(Position position, AssetCatalog.Handle asset) {}

    private void checkLimit(int limit) {
        if (limit < 1 || limit > limits.maxLiveResults()) {
            throw new InvalidInput(
                    "limit", "must be between 1 and " + limits.maxLiveResults() + " (was " + limit + ")");
        }
    }

    private void checkRadius(double meters) {
        if (!(meters > 0) || meters > limits.maxRadiusMeters()) {
            throw new InvalidInput(
                    "radius",
                    "must be more than 0 and at most " + limits.maxRadiusMeters() + " meters (was " + meters + ")");
        }
    }

    /** Results of a live query, cut at the limit, saying whether more matched. */
    public record Live<R>(List<R> items, boolean truncated) {

        static <R> Live<R> of(List<R> found, int limit) {
            return found.size() > limit
                    ? new Live<>(List.copyOf(found.subList(0, limit)), true)
                    : new Live<>(found, false);
        }
    }
}
