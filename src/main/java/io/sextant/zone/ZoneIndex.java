package io.sextant.zone;

import io.sextant.shared.geo.BoundingBox;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * The zones of one tenant, indexed by their bounds for point queries: an immutable R-tree (packed by
 * JTS's STRtree) over each zone's {@link ZoneShape#bounds} grown by its fence margin. Built once per
 * change of the tenant's zones; any number of threads may query it at once, without locks or
 * allocation.
 */
public final class ZoneIndex {

    private static final ZoneIndex EMPTY = of(List.of());

    private final Map<UUID, CompiledZone> byId;
    private final CompiledZone[] zoneOfBox;
    private final BoundingBox[][] boxesOfZone;
    private final int[] boxNumber;
    private final PackedTree tree;
    /** The boxes of the tree's items in leaf order ({@link PackedTree#inLeafOrder}). */
    private final double[] leafBoxes;

    private ZoneIndex(Collection<CompiledZone> zones) {
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
        double[] flat = new double[4 * all.size()];
        for (int i = 0; i < all.size(); i++) {
            BoundingBox box = all.get(i);
            flat[4 * i] = box.west();
            flat[4 * i + 1] = box.south();
            flat[4 * i + 2] = box.east();
            flat[4 * i + 3] = box.north();
        }
        this.tree = PackedTree.of(flat);
        this.leafBoxes = tree.inLeafOrder(flat);
    }

    /** An index of {@code zones}, which must have distinct ids. */
    public static ZoneIndex of(Collection<CompiledZone> zones) {
        return new ZoneIndex(zones);
    }

    /** The index of no zones. */
    public static ZoneIndex empty() {
        return EMPTY;
    }

    /**
     * Passes {@code sink} every zone whose bounds, grown by its {@link FenceSettings#marginMeters},
     * hold the point, each once: a superset of the zones that contain the point or have it in their
     * margin band. The caller tests each with {@link ZoneShape#contains} or {@link
     * ZoneShape#boundaryDistanceMeters}. Longitudes -180 and 180 are the same meridian.
     */
    public void candidates(double lon, double lat, Consumer<CompiledZone> sink) {
        double alternativeLon = Math.abs(lon) == 180 ? -lon : lon;
        if (tree.nodeHolds(0, lon, alternativeLon, lat)) {
            visit(0, lon, alternativeLon, lat, sink);
        }
    }

    private void visit(int node, double lon, double alternativeLon, double lat, Consumer<CompiledZone> sink) {
        int from = tree.first[node];
        int to = from + tree.count[node];
        if (!tree.leaf[node]) {
            for (int child = from; child < to; child++) {
                if (tree.nodeHolds(child, lon, alternativeLon, lat)) {
                    visit(child, lon, alternativeLon, lat, sink);
                }
            }
            return;
        }
        for (int i = from; i < to; i++) {
            // The search boxes never cross the antimeridian (split there), so this is BoundingBox.contains.
            if (PackedTree.holds(leafBoxes, i, lon, alternativeLon, lat)) {
                int box = tree.items[i];
                if (boxNumber[box] == 0 || !heldByEarlierBox(boxesOfZone[box], boxNumber[box], lon, lat)) {
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

    /** How many zones the index holds. */
    public int size() {
        return byId.size();
    }

    public Optional<CompiledZone> get(UUID id) {
        return Optional.ofNullable(byId.get(id));
    }

    /** Every zone of the index, in no particular order. */
    public Collection<CompiledZone> zones() {
        return byId.values();
    }

    /** The boxes a zone is found by: its bounds grown by its margin, split at the antimeridian. */
    static List<BoundingBox> searchBounds(CompiledZone zone) {
        return Bounds.grow(zone.shape().bounds(), zone.settings().marginMeters());
    }
}
