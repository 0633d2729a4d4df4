package io.sextant.zone;

import io.sextant.shared.geo.Geodesy;

/**
 * Line segments in a plane with the nearest-point search the zone shapes measure distances with:
 * branch and bound over a packed R-tree, as JTS's {@code IndexedFacetDistance} does, but without its
 * per-call tree of the query geometry and its synchronized tree access, so that it is cheap and
 * lock-free for per-position calls from many threads.
 */
final class PlanarSegments {

    /** Segment {@code i} runs from (xy[4i], xy[4i+1]) to (xy[4i+2], xy[4i+3]). */
    private final double[] xy;

    private final PackedTree tree;

    PlanarSegments(double[] xy) {
        if (xy.length == 0 || xy.length % 4 != 0) {
            throw new IllegalArgumentException("need at least one segment");
        }
        this.xy = xy.clone();
        double[] boxes = new double[xy.length];
        for (int i = 0; i < xy.length; i += 4) {
            boxes[i] = Math.min(xy[i], xy[i + 2]);
            boxes[i + 1] = Math.min(xy[i + 1], xy[i + 3]);
            boxes[i + 2] = Math.max(xy[i], xy[i + 2]);
            boxes[i + 3] = Math.max(xy[i + 1], xy[i + 3]);
        }
        this.tree = PackedTree.of(boxes);
    }

    /**
     * The great-circle distance in metres from a point to the segments drawn in {@code plane}: the
     * nearest point is found in the plane, then measured to on the sphere, which keeps the scale
     * error of the plane out of the result (it can only pick a slightly wrong nearest point, an error
     * of second order).
     */
    double distanceMeters(LocalPlane plane, double lon, double lat) {
        double x = plane.x(lon);
        double y = plane.y(lat);
        Nearest best = new Nearest();
        search(0, x, y, best);
        int s = 4 * best.segment;
        double t = projection(s, x, y);
        double nearestX = xy[s] + t * (xy[s + 2] - xy[s]);
        double nearestY = xy[s + 1] + t * (xy[s + 3] - xy[s + 1]);
        return Geodesy.distanceMeters(lon, lat, plane.lon(nearestX), plane.lat(nearestY));
    }

    /** The distance in the plane from (x, y) to the nearest segment. */
    double planarDistance(double x, double y) {
        Nearest best = new Nearest();
        search(0, x, y, best);
        return Math.sqrt(best.distanceSquared);
    }

    private void search(int node, double x, double y, Nearest best) {
        int from = tree.first[node];
        int to = from + tree.count[node];
        if (tree.leaf[node]) {
            for (int i = from; i < to; i++) {
                int segment = tree.items[i];
                double distance = distanceSquared(4 * segment, x, y);
                if (distance < best.distanceSquared) {
                    best.distanceSquared = distance;
                    best.segment = segment;
                }
            }
            return;
        }
        // Nearest box first, so that a close candidate is found early and prunes the rest. The
        // children are at most a node's capacity (8), so a bit mask tracks the ones visited.
        int visited = 0;
        while (true) {
            int next = -1;
            double nextDistance = best.distanceSquared;
            for (int child = from; child < to; child++) {
                if ((visited & (1 << (child - from))) == 0) {
                    double distance = tree.nodeDistanceSquared(child, x, y);
                    if (distance < nextDistance) {
                        nextDistance = distance;
                        next = child;
                    }
                }
            }
            if (next < 0) {
                return;
            }
            visited |= 1 << (next - from);
            search(next, x, y, best);
        }
    }

    /** Where along segment {@code s} (0 at its start, 1 at its end) the point's foot lies. */
    private double projection(int s, double x, double y) {
        double dx = xy[s + 2] - xy[s];
        double dy = xy[s + 3] - xy[s + 1];
        double lengthSquared = dx * dx + dy * dy;
        if (lengthSquared == 0) {
            return 0;
        }
        return Math.clamp(((x - xy[s]) * dx + (y - xy[s + 1]) * dy) / lengthSquared, 0.0, 1.0);
    }

    private double distanceSquared(int s, double x, double y) {
        double t = projection(s, x, y);
        double dx = xy[s] + t * (xy[s + 2] - xy[s]) - x;
        double dy = xy[s + 1] + t * (xy[s + 3] - xy[s + 1]) - y;
        return dx * dx + dy * dy;
    }

    private static final class Nearest {
        double distanceSquared = Double.POSITIVE_INFINITY;
        int segment;
    }
}
