package io.sextant.zone;

import io.sextant.shared.geo.BoundingBox;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * The zones of one tenant, indexed by their bounds for point queries: an immutable R-tree (packed by
 * JTS's STRtree) over each zone's {@link ZoneShape#bounds} grown by its fence margin. Any number of
 * threads may query it at once, without locks or allocation.
 *
 * <p>A change makes a new index that shares the packed tree: the changed zone joins a short list of
 * recent zones, tested one by one, and hides its older version in the tree. Packing takes some 5 ms
 * at 10,000 zones and 40 ms at 50,000, so packing again on every change made bulk loads quadratic
 * ({@code scripts/diagnostics/zone-index-changes.sh}); the tree is packed again once more than
 * {@value #MOST_RECENT} zones have changed since, or when {@link #packed()} is asked for.
 */
public final class ZoneIndex {

    /** Most changed zones an index tests one by one before a change packs the tree again. */
    static final int MOST_RECENT = 64;

    private static final ZoneIndex EMPTY = of(List.of());

    private final Packed tree;
    /** Ids of zones in the tree that changed or went since it was packed. */
    private final Set<UUID> hidden;
    /** Zones changed since the tree was packed, each once, by id. */
    private final Map<UUID, CompiledZone> recent;
    /** The search boxes of the recent zones, box i at 4i (west, south, east, north); a zone's boxes in a row. */
    private final double[] recentBoxes;
    /** The zone of each box in {@link #recentBoxes}. */
    private final CompiledZone[] zoneOfRecentBox;

    private ZoneIndex(Packed tree, Set<UUID> hidden, Map<UUID, CompiledZone> recent) {
        this.tree = tree;
        this.hidden = hidden;
        this.recent = recent;
        List<CompiledZone> owners = new ArrayList<>();
        List<BoundingBox> boxes = new ArrayList<>();
        for (CompiledZone zone : recent.values()) {
            for (BoundingBox box : searchBounds(zone)) {
                owners.add(zone);
                boxes.add(box);
            }
        }
        this.zoneOfRecentBox = owners.toArray(CompiledZone[]::new);
        this.recentBoxes = flat(boxes);
    }

    /** An index of {@code zones}, which must have distinct ids, packed. */
    public static ZoneIndex of(Collection<CompiledZone> zones) {
        return new ZoneIndex(new Packed(zones), Set.of(), Map.of());
    }

    /** The index of no zones. */
    public static ZoneIndex empty() {
        return EMPTY;
    }

    /** This index with {@code zone} in place of any zone of the same id. */
    public ZoneIndex with(CompiledZone zone) {
        Map<UUID, CompiledZone> nextRecent = new HashMap<>(recent);
        nextRecent.put(zone.id(), zone);
        return changed(hide(zone.id()), nextRecent);
    }

    /** This index without the zone {@code id}; this index itself if it has no such zone. */
    public ZoneIndex without(UUID id) {
        if (get(id).isEmpty()) {
            return this;
        }
        Map<UUID, CompiledZone> nextRecent = new HashMap<>(recent);
        nextRecent.remove(id);
        return changed(hide(id), nextRecent);
    }

    /** The same zones with every one in the packed tree: this index if none changed since packing. */
    public ZoneIndex packed() {
        return isPacked() ? this : of(zones());
    }

    /** Whether every zone is in the packed tree (no change since packing). */
    boolean isPacked() {
        return recent.isEmpty() && hidden.isEmpty();
    }

    private Set<UUID> hide(UUID id) {
        if (!tree.byId.containsKey(id) || hidden.contains(id)) {
            return hidden;
        }
        Set<UUID> next = new HashSet<>(hidden);
        next.add(id);
        return next;
    }

    private ZoneIndex changed(Set<UUID> nextHidden, Map<UUID, CompiledZone> nextRecent) {
        ZoneIndex next =
                new ZoneIndex(tree, Collections.unmodifiableSet(nextHidden), Collections.unmodifiableMap(nextRecent));
        return nextHidden.size() + nextRecent.size() > MOST_RECENT ? next.packed() : next;
    }

    /**
     * Passes {@code sink} every zone whose bounds, grown by its {@link FenceSettings#marginMeters},
     * hold the point, each once: a superset of the zones that contain the point or have it in their
     * margin band. The caller tests each with {@link ZoneShape#contains} or {@link
     * ZoneShape#boundaryDistanceMeters}. Longitudes -180 and 180 are the same meridian.
     */
    public void candidates(double lon, double lat, Consumer<CompiledZone> sink) {
        double alternativeLon = Math.abs(lon) == 180 ? -lon : lon;
        if (tree.tree.nodeHolds(0, lon, alternativeLon, lat)) {
            tree.visit(0, lon, alternativeLon, lat, hidden, sink);
        }
        CompiledZone last = null;
        for (int i = 0; i < zoneOfRecentBox.length; i++) {
            // A zone's boxes are consecutive: the first that holds the point reports it.
            if (zoneOfRecentBox[i] != last && PackedTree.holds(recentBoxes, i, lon, alternativeLon, lat)) {
                last = zoneOfRecentBox[i];
                sink.accept(last);
            }
        }
    }

    /** How many zones the index holds. */
    public int size() {
        return tree.byId.size() - hidden.size() + recent.size();
    }

    public Optional<CompiledZone> get(UUID id) {
        CompiledZone changed = recent.get(id);
        if (changed != null || hidden.contains(id)) {
            return Optional.ofNullable(changed);
        }
        return Optional.ofNullable(tree.byId.get(id));
    }

    /** Every zone of the index, in no particular order. */
    public Collection<CompiledZone> zones() {
        if (isPacked()) {
            return tree.byId.values();
        }
        List<CompiledZone> zones = new ArrayList<>(size());
        for (CompiledZone zone : tree.byId.values()) {
            if (!hidden.contains(zone.id())) {
                zones.add(zone);
            }
        }
        zones.addAll(recent.values());
        return Collections.unmodifiableList(zones);
    }

    /** The boxes a zone is found by: its bounds grown by its margin, split at the antimeridian. */
    static List<BoundingBox> searchBounds(CompiledZone zone) {
        return Bounds.grow(zone.shape().bounds(), zone.settings().marginMeters());
    }

    private static double[] flat(List<BoundingBox> boxes) {
        double[] flat = new double[4 * boxes.size()];
        for (int i = 0; i < boxes.size(); i++) {
            BoundingBox box = boxes.get(i);
            flat[4 * i] = box.west();
            flat[4 * i + 1] = box.south();
            flat[4 * i + 2] = box.east();
            flat[4 * i + 3] = box.north();
        }
        return flat;
    }

    /** Zones packed into an R-tree of their search boxes: built once, then only read. */
    private static final class Packed {

        private final Map<UUID, CompiledZone> byId;
        private final CompiledZone[] zoneOfBox;
        private final BoundingBox[][] boxesOfZone;
        private final int[] boxNumber;
        private final PackedTree tree;
        /** The boxes of the tree's items in leaf order ({@link PackedTree#inLeafOrder}). */
        private final double[] leafBoxes;

        private Packed(Collection<CompiledZone> zones) {
            Map<UUID, CompiledZone> ids = new HashMap<>();
            for (CompiledZone zone : zones) {
                if (ids.putIfAbsent(zone.id(), zone) != null) {
                    throw new IllegalArgumentException("zone " + zone.id() + " is given twice");
                }
            }
            this.byId = Map.copyOf(ids);
            List<CompiledZone> owners = new ArrayList<>();
            List<BoundingBox[]> boxSets = new ArrayList<>();
            List<Integer> numbers = new ArrayList<>();
            List<BoundingBox> all = new ArrayList<>();
            for (CompiledZone zone : zones) {
                BoundingBox[] boxes = searchBounds(zone).toArray(BoundingBox[]::new);
                for (int i = 0; i < boxes.length; i++) {
                    owners.add(zone);
                    boxSets.add(boxes);
                    numbers.add(i);
                    all.add(boxes[i]);
                }
            }
            this.zoneOfBox = owners.toArray(CompiledZone[]::new);
            this.boxesOfZone = boxSets.toArray(BoundingBox[][]::new);
            this.boxNumber = numbers.stream().mapToInt(Integer::intValue).toArray();
            double[] boxes = flat(all);
            this.tree = PackedTree.of(boxes);
            this.leafBoxes = tree.inLeafOrder(boxes);
        }

        private void visit(
                int node,
                double lon,
                double alternativeLon,
                double lat,
                Set<UUID> hidden,
                Consumer<CompiledZone> sink) {
            int from = tree.first[node];
            int to = from + tree.count[node];
            if (!tree.leaf[node]) {
                for (int child = from; child < to; child++) {
                    if (tree.nodeHolds(child, lon, alternativeLon, lat)) {
                        visit(child, lon, alternativeLon, lat, hidden, sink);
                    }
                }
                return;
            }
            for (int i = from; i < to; i++) {
                // The search boxes never cross the antimeridian (split there), so this is BoundingBox.contains.
                if (PackedTree.holds(leafBoxes, i, lon, alternativeLon, lat)) {
                    int box = tree.items[i];
                    if ((boxNumber[box] == 0 || !heldByEarlierBox(boxesOfZone[box], boxNumber[box], lon, lat))
                            && (hidden.isEmpty() || !hidden.contains(zoneOfBox[box].id()))) {
                        sink.accept(zoneOfBox[box]);
                    }
                }
            }
        }

        /** A zone with several boxes is reported by the first that holds the point only. */
        private static boolean heldByEarlierBox(BoundingBox[] boxes, int number, double lon, double lat) {
            for (int i = 0; i < number; i++) {
                if (boxes[i].contains(lon, lat)) {
                    return true;
                }
            }
            return false;
        }
    }
}
