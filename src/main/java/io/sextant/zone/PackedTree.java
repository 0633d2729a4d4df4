package io.sextant.zone;

import java.util.ArrayList;
import java.util.List;
import org.locationtech.jts.geom.Envelope;
import org.locationtech.jts.index.strtree.AbstractNode;
import org.locationtech.jts.index.strtree.Boundable;
import org.locationtech.jts.index.strtree.ItemBoundable;
import org.locationtech.jts.index.strtree.STRtree;

/**
 * An R-tree of numbered boxes, packed by JTS's {@link STRtree} and then copied into plain arrays.
 * STRtree enters a monitor on every query (its lazy {@code build()} is synchronized), which ingest
 * threads querying the same tree would contend on; the copy is immutable, so queries take no lock
 * and allocate nothing.
 *
 * <p>Node {@code n} has bounds {@code bounds[4n..4n+3]} (minX, minY, maxX, maxY) and children
 * {@code first[n] .. first[n] + count[n] - 1}: node numbers for inner nodes, item numbers for
 * leaves. Node 0 is the root.
 */
final class PackedTree {

    private static final int NODE_CAPACITY = 8;

    final double[] bounds;
    final int[] first;
    final int[] count;
    final boolean[] leaf;
    final int[] items;

    private PackedTree(double[] bounds, int[] first, int[] count, boolean[] leaf, int[] items) {
        this.bounds = bounds;
        this.first = first;
        this.count = count;
        this.leaf = leaf;
        this.items = items;
    }

    /** Packs items {@code 0..n-1} whose boxes are {@code boxes[4i..4i+3]} (minX, minY, maxX, maxY). */
    static PackedTree of(double[] boxes) {
        int n = boxes.length / 4;
        STRtree packer = new STRtree(NODE_CAPACITY);
        for (int i = 0; i < n; i++) {
            packer.insert(new Envelope(boxes[4 * i], boxes[4 * i + 2], boxes[4 * i + 1], boxes[4 * i + 3]), i);
        }
        packer.build();
        List<AbstractNode> nodes = new ArrayList<>();
        List<Integer> firstChild = new ArrayList<>();
        List<Integer> itemNumbers = new ArrayList<>();
        nodes.add(packer.getRoot());
        // Breadth first, so each node's children get consecutive numbers.
        for (int i = 0; i < nodes.size(); i++) {
            List<?> children = nodes.get(i).getChildBoundables();
            boolean holdsItems = !children.isEmpty() && children.getFirst() instanceof ItemBoundable;
            firstChild.add(holdsItems ? itemNumbers.size() : nodes.size());
            for (Object child : children) {
                if (child instanceof ItemBoundable item) {
                    itemNumbers.add((Integer) item.getItem());
                } else {
                    nodes.add((AbstractNode) child);
                }
            }
        }
        int size = nodes.size();
        double[] nodeBounds = new double[4 * size];
        int[] first = new int[size];
        int[] count = new int[size];
        boolean[] leaf = new boolean[size];
        for (int i = 0; i < size; i++) {
            Boundable node = nodes.get(i);
            Envelope envelope = (Envelope) node.getBounds();
            List<?> children = nodes.get(i).getChildBoundables();
            first[i] = firstChild.get(i);
            count[i] = children.size();
            leaf[i] = children.isEmpty() || children.getFirst() instanceof ItemBoundable;
            if (envelope == null) {
                // The root of an empty tree: a box nothing is inside.
                nodeBounds[4 * i] = Double.POSITIVE_INFINITY;
                nodeBounds[4 * i + 1] = Double.POSITIVE_INFINITY;
                nodeBounds[4 * i + 2] = Double.NEGATIVE_INFINITY;
                nodeBounds[4 * i + 3] = Double.NEGATIVE_INFINITY;
            } else {
                nodeBounds[4 * i] = envelope.getMinX();
                nodeBounds[4 * i + 1] = envelope.getMinY();
                nodeBounds[4 * i + 2] = envelope.getMaxX();
                nodeBounds[4 * i + 3] = envelope.getMaxY();
            }
        }
        return new PackedTree(
                nodeBounds,
                first,
                count,
                leaf,
                itemNumbers.stream().mapToInt(Integer::intValue).toArray());
    }

    /** Whether node {@code n}'s box holds x or {@code alternativeX}, and y. */
    boolean nodeHolds(int n, double x, double alternativeX, double y) {
        return holds(bounds, n, x, alternativeX, y);
    }

    /** Whether box {@code i} of {@code boxes} (minX, minY, maxX, maxY at 4i) holds x or {@code alternativeX}, and y. */
    static boolean holds(double[] boxes, int i, double x, double alternativeX, double y) {
        int b = 4 * i;
        return y >= boxes[b + 1]
                && y <= boxes[b + 3]
                && ((x >= boxes[b] && x <= boxes[b + 2]) || (alternativeX >= boxes[b] && alternativeX <= boxes[b + 2]));
    }

    /**
     * The items' boxes in leaf order: the box of {@code items[i]} at {@code 4i}, so a leaf's items are
     * tested from one stretch of memory rather than one object each.
     */
    double[] inLeafOrder(double[] boxes) {
        double[] ordered = new double[4 * items.length];
        for (int i = 0; i < items.length; i++) {
            System.arraycopy(boxes, 4 * items[i], ordered, 4 * i, 4);
        }
        return ordered;
    }

    /** Whether node {@code n}'s box meets the ray from (x, y) towards positive x. */
    boolean reachesRay(int n, double x, double y) {
        int b = 4 * n;
        return y >= bounds[b + 1] && y <= bounds[b + 3] && x <= bounds[b + 2];
    }

    /** The squared distance from a point to node {@code n}'s box; zero inside. */
    double nodeDistanceSquared(int n, double x, double y) {
        int b = 4 * n;
        double dx = Math.max(0, Math.max(bounds[b] - x, x - bounds[b + 2]));
        double dy = Math.max(0, Math.max(bounds[b + 1] - y, y - bounds[b + 3]));
        return dx * dx + dy * dy;
    }
}
