package io.sextant.tracking.live;

import io.sextant.shared.geo.BoundingBox;
import io.sextant.shared.geo.GeoPoint;
import io.sextant.shared.geo.Geodesy;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.IntFunction;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;
import org.locationtech.jts.geom.Envelope;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.Polygonal;

/**
 * The latest position of every tracked entry, held in memory and searchable by box, radius, nearest neighbours and
 * polygon, each with a caller's filter applied during the search.
 *
 * <h2>Structure</h2>
 *
 * Three layers, chosen so that the cost of a query follows the number of entries near it rather than the shape of
 * the graticule:
 *
 * <ol>
 *   <li>A fixed grid of 1024 × 512 tiles, each 0.3515625° square (at most 39 km on a side), under a pyramid of entry
 *       counts (blocks of 2 × 2 tiles, 4 × 4 tiles, and so on up to the two hemispheres). Searches descend the
 *       pyramid and skip every empty block, so oceans, deserts and polar caps cost one counter read per block however
 *       many degrees they span. Each tile has its own lock.
 *   <li>Inside each tile, a quadtree that splits a leaf once it holds more than {@value Quad#SPLIT_SIZE} entries and
 *       merges a subtree back into a leaf when it shrinks to {@value Quad#MERGE_SIZE}. A depot with ten thousand
 *       vehicles becomes a few hundred small leaves; a tile with three buoys stays one leaf.
 *   <li>Entry data in column arrays addressed by slot number, and an id table of int arrays, so there is no object
 *       per entry. A million entries in city-sized clusters take about 85 MB; spread evenly over the globe, when most
 *       tiles hold one to three of them and each tile's lock and root cost more than its entries, about 140 MB.
 * </ol>
 *
 * Why not a grid of cells of one size, in degrees or with a longitude width growing with latitude? No single size
 * fits both a city with thousands of vehicles per square kilometre and an ocean with one ship per thousand. Small
 * cells cost an object for every occupied cell, and sparse nearest-neighbour searches walk thousands of empty ones;
 * large cells make a 500 m radius query in a city scan tens of thousands of entries. Splitting by count rather than by
 * size also makes the ground shape of a cell irrelevant, which is why plain degree squares do near the poles, where
 * they are narrow: a cell there only splits if many entries crowd it.
 *
 * <h2>Antimeridian and poles</h2>
 *
 * Longitudes -180 and 180 are one meridian: an entry at 180 is filed at -180, in the first column of the grid, and
 * boxes and polygons test both spellings. A box crossing the antimeridian is searched as two longitude ranges.
 * Distance searches never assume the grid is flat: every block, tile and node is ranked by the exact great-circle
 * distance from the center to its rectangle ({@link Geodesy#distanceToBoxMeters}), which is right across the
 * antimeridian and at the poles; a circle containing a pole simply reaches every column of the polar rows.
 *
 * <h2>Queries</h2>
 *
 * {@link #nearest} and {@link #withinRadius} are best-first searches: blocks and quadtree nodes are visited in order
 * of their distance from the center, and the search stops when the next one is farther than the k-th best match so
 * far. An unbounded nearest-neighbour search first tries a radius of 25 km, then eight times more, and so on, since a
 * round that finds k entries has found the k nearest. Results are exact, the same as a full scan with
 * {@link Geodesy#distanceMeters}. {@link #withinBox} and {@link #withinGeometry} walk the blocks and nodes that
 * overlap the query's area, taking whole nodes that lie inside it without testing each entry. Filters run during
 * the search on entries inside the query's area, so an entry a filter rejects never takes the place of one it
 * accepts.
 *
 * <h2>Concurrency</h2>
 *
 * A query holds one tile's read lock at a time; a writer holds one tile's write lock at a time, for well under a
 * microsecond. Ingest and queries therefore proceed in parallel except on the same tile at the same moment. Changes
 * to one id are serialised by the lock of its id table segment. Each tile is read in a consistent state, so a query
 * never sees a torn position, a position with another update's payload, or an entry twice. Tiles are read at slightly
 * different moments, though: an entry moving between tiles while a query runs may show at its old or new position,
 * or be missed by that query. A query that may have met an entry twice (a counter of departures from tiles tells)
 * drops the duplicate and, if that could have cut its result short, runs again.
 *
 * <p>Filters run while a tile's read lock is held: they must be quick and must not call back into the index.
 *
 * @param <T> what is stored with each position, for filters and callers (for example the asset's tenant and type)
 */
public final class LiveIndex<T> {

    /** Runs of a query that keeps meeting entries twice, as entries keep moving between tiles under it. */
    private static final int MAX_ATTEMPTS = 3;

    /** Taken off every rectangle's distance: more than the haversine's worst rounding (0.3 m near antipodes). */
    private static final double ROUNDING_SLACK_METERS = 1.0;

    /** A search starts at the finest pyramid level at which its box touches at most this many blocks. */
    private static final int START_BLOCKS = 16;

    /** The radius of the first round of a nearest-neighbour search, about a tile's width. */
    private static final double FIRST_ROUND_METERS = 25_000;

    /** How much each further round of a nearest-neighbour search widens the radius. */
    private static final double ROUND_GROWTH = 8;

    private final PositionSlots slots = new PositionSlots();
    private final IdTable ids = new IdTable(slots);
    private final TileGrid grid = new TileGrid();
    private final AtomicLong departures = new AtomicLong();
    private final AtomicInteger size = new AtomicInteger();
    /** {@link #payloadOf} as a function, made once: {@link #payload} is asked for every ingested position. */
    private final IntFunction<T> payloadAt = this::payloadOf;

    /**
     * Records the latest position of an entry, replacing any earlier one.
     *
     * @throws IllegalArgumentException if the coordinates are not a valid longitude and latitude
     */
    public void put(UUID id, double lon, double lat, T payload) {
        Objects.requireNonNull(payload, "payload");
        update(id, lon, lat, current -> payload);
    }

    /**
     * Records a new position of an entry with the payload {@code next} makes of its current one
     * (null when the entry is new), or leaves the entry as it is when {@code next} answers null:
     * a read and a write under one lookup and one lock of the entry. Whether it recorded.
     *
     * @throws IllegalArgumentException if the coordinates are not a valid longitude and latitude
     */
    public boolean update(UUID id, double lon, double lat, Function<@Nullable T, @Nullable T> next) {
        GeoPoint.requireValid(lon, lat);
        long high = id.getMostSignificantBits();
        long low = id.getLeastSignificantBits();
        long hash = IdTable.hash(high, low);
        IdTable.Segment segment = ids.segment(hash);
        segment.lock.lock();
        try {
            int slot = segment.find(high, low, hash);
            T payload = next.apply(slot < 0 ? null : payloadOf(slot));
            if (payload == null) {
                return false;
            }
            int toTile = Tile.indexOf(lon, lat);
            if (slot < 0) {
                slot = slots.allocate();
                slots.writeId(slot, high, low);
                enter(toTile, slot, lon, lat, payload);
                segment.insert(slot, hash);
                size.incrementAndGet();
                return true;
            }
            double fromLon = slots.lon(slot);
            double fromLat = slots.lat(slot);
            int fromTile = Tile.indexOf(fromLon, fromLat);
            if (fromTile != toTile) {
                leave(fromTile, slot, fromLon, fromLat);
                enter(toTile, slot, lon, lat, payload);
                return true;
            }
            Tile tile = existingTile(toTile);
            long stamp = tile.lock.writeLock();
            try {
                tile.move(slot, fromLon, fromLat, lon, lat);
                slots.writePosition(slot, lon, lat, payload);
            } finally {
                tile.lock.unlockWrite(stamp);
            }
            return true;
        } finally {
            segment.lock.unlock();
        }
    }

    /** Forgets an entry; false if there was none with this id. */
    public boolean remove(UUID id) {
        long high = id.getMostSignificantBits();
        long low = id.getLeastSignificantBits();
        long hash = IdTable.hash(high, low);
        IdTable.Segment segment = ids.segment(hash);
        segment.lock.lock();
        try {
            int slot = segment.find(high, low, hash);
            if (slot < 0) {
                return false;
            }
            double lon = slots.lon(slot);
            double lat = slots.lat(slot);
            leave(Tile.indexOf(lon, lat), slot, lon, lat);
            segment.delete(high, low, hash);
            slots.release(slot);
            size.decrementAndGet();
            return true;
        } finally {
            segment.lock.unlock();
        }
    }

    /** The latest position of an entry, if it has one. */
    public Optional<LivePosition<T>> get(UUID id) {
        return Optional.ofNullable(
                atEntry(id, slot -> new LivePosition<>(id, slots.lon(slot), slots.lat(slot), payloadOf(slot))));
    }

    /** The payload of an entry, or null if there is none with this id: {@link #get} without building a result. */
    public @Nullable T payload(UUID id) {
        return atEntry(id, payloadAt);
    }

    /** What {@code read} makes of the entry's slot, under its segment's lock; null if there is no such entry. */
    private <R> @Nullable R atEntry(UUID id, IntFunction<R> read) {
        long high = id.getMostSignificantBits();
        long low = id.getLeastSignificantBits();
        long hash = IdTable.hash(high, low);
        IdTable.Segment segment = ids.segment(hash);
        segment.lock.lock();
        try {
            int slot = segment.find(high, low, hash);
            return slot < 0 ? null : read.apply(slot);
        } finally {
            segment.lock.unlock();
        }
    }

    /** The number of entries. */
    public int size() {
        return size.get();
    }

    /**
     * Up to {@code limit} entries inside a box (edges included) whose payload passes the filter, in no particular
     * order.
     */
    public List<LivePosition<T>> withinBox(BoundingBox box, Predicate<? super T> filter, int limit) {
        requireNonNegative(limit, "limit");
        return collect(new BoxArea(box), filter, limit);
    }

    /**
     * The entries within a great-circle distance of a center whose payload passes the filter, nearest first; if more
     * than {@code limit} qualify, the nearest {@code limit} of them.
     */
    public List<NearbyPosition<T>> withinRadius(
            GeoPoint center, double meters, Predicate<? super T> filter, int limit) {
        requireNonNegative(limit, "limit");
        return nearestWithin(center, limit, meters, filter);
    }

    /**
     * The {@code k} entries nearest to a center, by great-circle distance and no farther than {@code maxMeters},
     * whose payload passes the filter; nearest first. Entries at the same distance as the k-th may be left out in
     * its favour. {@code maxMeters} may be {@link Double#POSITIVE_INFINITY}.
     */
    public List<NearbyPosition<T>> nearest(GeoPoint center, int k, double maxMeters, Predicate<? super T> filter) {
        requireNonNegative(k, "k");
        return nearestWithin(center, k, maxMeters, filter);
    }

    /**
     * Up to {@code limit} entries inside a polygonal area whose payload passes the filter, in no particular order.
     *
     * <p>The area is a {@code Polygon} or {@code MultiPolygon}, holes allowed, with x as longitude and y as latitude
     * in degrees, read as a flat shape in that plane (as GeoJSON does). Points on its boundary (on an edge or vertex
     * of the shell or of a hole) count as inside. An area crossing the antimeridian must be split there into a
     * {@code MultiPolygon}, as RFC 7946 asks; an entry on the antimeridian matches a part touching either -180 or 180.
     * The area must be valid in the OGC sense (rings that do not cross, parts that do not overlap): it is searched as
     * a JTS {@code PreparedPolygon}, which assumes so.
     *
     * @throws IllegalArgumentException if the geometry is not polygonal
     */
    public List<LivePosition<T>> withinGeometry(Geometry polygonal, Predicate<? super T> filter, int limit) {
        if (!(polygonal instanceof Polygonal)) {
            throw new IllegalArgumentException(
                    "geometry must be a Polygon or MultiPolygon, was a " + polygonal.getGeometryType());
        }
        requireNonNegative(limit, "limit");
        Envelope envelope = polygonal.getEnvelopeInternal();
        if (polygonal.isEmpty()
                || envelope.getMaxX() < -180
                || envelope.getMinX() > 180
                || envelope.getMaxY() < -90
                || envelope.getMinY() > 90) {
            return List.of();
        }
        return collect(new PolygonArea(polygonal), filter, limit);
    }

    private void enter(int tileIndex, int slot, double lon, double lat, T payload) {
        Tile tile = grid.enter(tileIndex);
        long stamp = tile.lock.writeLock();
        try {
            slots.writePosition(slot, lon, lat, payload);
            tile.insert(slot, lon, lat);
        } finally {
            tile.lock.unlockWrite(stamp);
        }
    }

    private void leave(int tileIndex, int slot, double lon, double lat) {
        Tile tile = existingTile(tileIndex);
        long stamp = tile.lock.writeLock();
        try {
            tile.remove(slot, lon, lat);
        } finally {
            tile.lock.unlockWrite(stamp);
        }
        grid.left(tileIndex);
        // After leaving the old tile and before entering another: a query that read the old tile before this and the
        // new one after will see the counter changed.
        departures.incrementAndGet();
    }

    private Tile existingTile(int tileIndex) {
        Tile tile = grid.tile(tileIndex);
        if (tile == null) {
            throw new IllegalStateException("tile " + tileIndex + " of an indexed entry does not exist");
        }
        return tile;
    }

    private List<LivePosition<T>> collect(QueryArea area, Predicate<? super T> filter, int limit) {
        if (limit == 0) {
            return List.of();
        }
        BoundingBox bounds = area.bounds();
        int level = TileGrid.startLevel(bounds, START_BLOCKS);
        int[] blocks = TileGrid.blocksCovering(level, bounds);
        for (int attempt = 1; ; attempt++) {
            long departuresBefore = departures.get();
            AreaWalk walk = new AreaWalk(area, filter, limit);
            for (int block : blocks) {
                if (!walk.block(level, block, false)) {
                    break;
                }
            }
            List<LivePosition<T>> found = walk.found;
            if (departures.get() == departuresBefore) {
                return found;
            }
            List<LivePosition<T>> distinct = distinctById(found, LivePosition::id);
            if (distinct.size() == found.size() || found.size() < limit || attempt == MAX_ATTEMPTS) {
                return distinct;
            }
        }
    }

    private List<NearbyPosition<T>> nearestWithin(
            GeoPoint center, int k, double maxMeters, Predicate<? super T> filter) {
        if (!(maxMeters >= 0)) {
            throw new IllegalArgumentException("distance must be a non-negative number of metres, was " + maxMeters);
        }
        if (k == 0) {
            return List.of();
        }
        // Rounds of growing radius: a round that finds k entries has found the k nearest, and most searches end in
        // the first, which only looks at the few blocks near the center instead of descending from the hemispheres.
        double radius = Math.min(FIRST_ROUND_METERS, maxMeters);
        while (true) {
            List<NearbyPosition<T>> found = nearestWithinRadius(center, k, radius, filter);
            if (found.size() == k || radius >= maxMeters) {
                return found;
            }
            radius = radius * ROUND_GROWTH >= Geodesy.MAX_DISTANCE_METERS
                    ? maxMeters
                    : Math.min(radius * ROUND_GROWTH, maxMeters);
        }
    }

    private List<NearbyPosition<T>> nearestWithinRadius(
            GeoPoint center, int k, double maxMeters, Predicate<? super T> filter) {
        int level = 0;
        int[] blocks = {0, 1};
        if (maxMeters < Geodesy.MAX_DISTANCE_METERS) {
            BoundingBox box = BoundingBox.around(center, maxMeters);
            level = TileGrid.startLevel(box, START_BLOCKS);
            blocks = TileGrid.blocksCovering(level, box);
        }
        for (int attempt = 1; ; attempt++) {
            long departuresBefore = departures.get();
            List<NearbyPosition<T>> found = new NearestSearch(center, k, maxMeters, filter).run(level, blocks);
            if (departures.get() == departuresBefore) {
                return found;
            }
            List<NearbyPosition<T>> distinct = distinctById(found, NearbyPosition::id);
            if (distinct.size() == found.size() || found.size() < k || attempt == MAX_ATTEMPTS) {
                return distinct;
            }
        }
    }

    private static <R> List<R> distinctById(List<R> found, Function<R, UUID> idOf) {
        Set<UUID> seen = new HashSet<>();
        List<R> distinct = new ArrayList<>(found.size());
        for (R result : found) {
            if (seen.add(idOf.apply(result))) {
                distinct.add(result);
            }
        }
        return distinct;
    }

    @SuppressWarnings("unchecked") // put only ever stores a T
    private T payloadOf(int slot) {
        return (T) slots.payload(slot);
    }

    private UUID idOf(int slot) {
        return new UUID(slots.idHigh(slot), slots.idLow(slot));
    }

    private static void requireNonNegative(int count, String name) {
        if (count < 0) {
            throw new IllegalArgumentException(name + " must not be negative, was " + count);
        }
    }

    /** One run of a box or area query: a depth-first walk of the blocks and nodes that overlap its area. */
    private final class AreaWalk {

        private final QueryArea area;
        private final Predicate<? super T> filter;
        private final int limit;
        private final List<LivePosition<T>> found = new ArrayList<>();

        private AreaWalk(QueryArea area, Predicate<? super T> filter, int limit) {
            this.area = area;
            this.filter = filter;
            this.limit = limit;
        }

        /**
         * Collects from a block of the pyramid, testing positions unless the block is known to lie inside the area;
         * false once the limit is reached.
         */
        private boolean block(int level, int index, boolean inside) {
            int entries = grid.count(level, index);
            if (entries <= 0) {
                return true;
            }
            boolean all = inside;
            if (!inside) {
                QueryArea.Overlap overlap = area.overlap(
                        TileGrid.west(level, index),
                        TileGrid.south(level, index),
                        TileGrid.east(level, index),
                        TileGrid.north(level, index),
                        entries);
                if (overlap == QueryArea.Overlap.NONE) {
                    return true;
                }
                all = overlap == QueryArea.Overlap.ALL;
            }
            if (level == TileGrid.TILE_LEVEL) {
                return tile(index, all);
            }
            for (int child : TileGrid.children(level, index)) {
                if (!block(level + 1, child, all)) {
                    return false;
                }
            }
            return true;
        }

        private boolean tile(int index, boolean inside) {
            Tile tile = grid.tile(index);
            if (tile == null) {
                return true;
            }
            long stamp = tile.lock.readLock();
            try {
                return node(tile.root, tile.west(), tile.south(), tile.east(), tile.north(), inside);
            } finally {
                tile.lock.unlockRead(stamp);
            }
        }

        private boolean node(Quad node, double west, double south, double east, double north, boolean inside) {
            if (node.size == 0) {
                return true;
            }
            boolean all = inside;
            if (!inside) {
                QueryArea.Overlap overlap = area.overlap(west, south, east, north, node.size);
                if (overlap == QueryArea.Overlap.NONE) {
                    return true;
                }
                all = overlap == QueryArea.Overlap.ALL;
            }
            Quad[] quadrants = node.children;
            if (quadrants == null) {
                return leaf(node, all);
            }
            double midLon = (west + east) / 2;
            double midLat = (south + north) / 2;
            return node(quadrants[0], west, south, midLon, midLat, all)
                    && node(quadrants[1], midLon, south, east, midLat, all)
                    && node(quadrants[2], west, midLat, midLon, north, all)
                    && node(quadrants[3], midLon, midLat, east, north, all);
        }

        private boolean leaf(Quad leaf, boolean inside) {
            for (int i = 0; i < leaf.size; i++) {
                double lon = leaf.lons[i];
                double lat = leaf.lats[i];
                if (!inside && !area.contains(lon, lat)) {
                    continue;
                }
                int slot = leaf.slots[i];
                T payload = payloadOf(slot);
                if (!filter.test(payload)) {
                    continue;
                }
                found.add(new LivePosition<>(idOf(slot), lon, lat, payload));
                if (found.size() == limit) {
                    return false;
                }
            }
            return true;
        }
    }

    /** A pyramid block waiting in a best-first search, ranked by its distance from the center. */
    private record PendingBlock(double distance, int level, int index) implements Comparable<PendingBlock> {
        @Override
        public int compareTo(PendingBlock other) {
            return Double.compare(distance, other.distance);
        }
    }

    /** A quadtree node waiting in a best-first search inside one tile, with its rectangle. */
    private record PendingNode(double distance, Quad node, double west, double south, double east, double north)
            implements Comparable<PendingNode> {
        @Override
        public int compareTo(PendingNode other) {
            return Double.compare(distance, other.distance);
        }
    }

    /** One run of a nearest-neighbour or radius query. */
    private final class NearestSearch {

        private final GeoPoint center;
        private final double lon;
        private final double lat;
        private final int k;
        private final double maxMeters;
        private final Predicate<? super T> filter;

        /** The best matches so far, farthest at the head. */
        private final PriorityQueue<NearbyPosition<T>> best = new PriorityQueue<>(
                Comparator.comparingDouble(NearbyPosition<T>::distanceMeters).reversed());

        private NearestSearch(GeoPoint center, int k, double maxMeters, Predicate<? super T> filter) {
            this.center = center;
            this.lon = center.lon();
            this.lat = center.lat();
            this.k = k;
            this.maxMeters = maxMeters;
            this.filter = filter;
        }

        private List<NearbyPosition<T>> run(int level, int[] blocks) {
            PriorityQueue<PendingBlock> frontier = new PriorityQueue<>();
            for (int block : blocks) {
                offer(frontier, level, block);
            }
            while (!frontier.isEmpty()) {
                PendingBlock next = frontier.remove();
                if (next.distance() > bound()) {
                    break;
                }
                if (next.level() == TileGrid.TILE_LEVEL) {
                    tile(next.index(), next.distance());
                } else {
                    for (int child : TileGrid.children(next.level(), next.index())) {
                        offer(frontier, next.level() + 1, child);
                    }
                }
            }
            List<NearbyPosition<T>> sorted = new ArrayList<>(best);
            sorted.sort(Comparator.comparingDouble(NearbyPosition::distanceMeters));
            return sorted;
        }

        /** Matches must be no farther than this: the limit, or once k are found, the k-th best distance. */
        private double bound() {
            NearbyPosition<T> kth = best.peek();
            return best.size() < k || kth == null ? maxMeters : Math.min(maxMeters, kth.distanceMeters());
        }

        private double distanceTo(double west, double south, double east, double north) {
            double distance = Geodesy.distanceToBoxMeters(lon, lat, west, south, east, north);
            return Math.max(0, distance - ROUNDING_SLACK_METERS);
        }

        private void offer(PriorityQueue<PendingBlock> frontier, int level, int index) {
            if (!grid.occupied(level, index)) {
                return;
            }
            double distance = distanceTo(
                    TileGrid.west(level, index),
                    TileGrid.south(level, index),
                    TileGrid.east(level, index),
                    TileGrid.north(level, index));
            if (distance <= bound()) {
                frontier.add(new PendingBlock(distance, level, index));
            }
        }

        private void tile(int index, double distance) {
            Tile tile = grid.tile(index);
            if (tile == null) {
                return;
            }
            long stamp = tile.lock.readLock();
            try {
                PriorityQueue<PendingNode> nodes = new PriorityQueue<>();
                nodes.add(new PendingNode(distance, tile.root, tile.west(), tile.south(), tile.east(), tile.north()));
                while (!nodes.isEmpty()) {
                    PendingNode next = nodes.remove();
                    if (next.distance() > bound()) {
                        break;
                    }
                    Quad[] quadrants = next.node().children;
                    if (quadrants == null) {
                        leaf(next.node());
                    } else {
                        split(nodes, next, quadrants);
                    }
                }
            } finally {
                tile.lock.unlockRead(stamp);
            }
        }

        private void split(PriorityQueue<PendingNode> nodes, PendingNode parent, Quad[] quadrants) {
            double midLon = (parent.west() + parent.east()) / 2;
            double midLat = (parent.south() + parent.north()) / 2;
            for (int q = 0; q < 4; q++) {
                if (quadrants[q].size == 0) {
                    continue;
                }
                double west = (q & 1) == 0 ? parent.west() : midLon;
                double east = (q & 1) == 0 ? midLon : parent.east();
                double south = (q & 2) == 0 ? parent.south() : midLat;
                double north = (q & 2) == 0 ? midLat : parent.north();
                double distance = distanceTo(west, south, east, north);
                if (distance <= bound()) {
                    nodes.add(new PendingNode(distance, quadrants[q], west, south, east, north));
                }
            }
        }

        private void leaf(Quad leaf) {
            // A cheap first cut: no position outside the box around the bound can be within it.
            BoundingBox window = BoundingBox.around(center, bound());
            for (int i = 0; i < leaf.size; i++) {
                if (!window.contains(leaf.lons[i], leaf.lats[i])) {
                    continue;
                }
                double distance = Geodesy.distanceMeters(lon, lat, leaf.lons[i], leaf.lats[i]);
                NearbyPosition<T> kth = best.peek();
                if (distance > maxMeters || (best.size() == k && kth != null && distance >= kth.distanceMeters())) {
                    continue;
                }
                int slot = leaf.slots[i];
                T payload = payloadOf(slot);
                if (!filter.test(payload)) {
                    continue;
                }
                best.add(new NearbyPosition<>(idOf(slot), leaf.lons[i], leaf.lats[i], payload, distance));
                if (best.size() > k) {
                    best.remove();
                    window = BoundingBox.around(center, bound());
                }
            }
        }
    }
}
