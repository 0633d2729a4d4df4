package io.sextant.zone;

import io.sextant.shared.geo.BoundingBox;
import java.util.List;

/**
 * The area of a zone, in WGS 84 longitude/latitude degrees. Implementations are immutable and safe
 * to share between threads; their methods do no I/O and allocate little, as the fence engine calls
 * them for every position near a zone.
 */
public sealed interface ZoneShape permits PolygonShape, CircleShape, CorridorShape {

    /** Whether the point lies in the zone; a point on the boundary counts as inside. */
    boolean contains(double lon, double lat);

    /**
     * The distance in metres from the point to the zone's boundary, unsigned: the same whether the
     * point is inside or outside. Each implementation states its accuracy.
     */
    double boundaryDistanceMeters(double lon, double lat);

    /**
     * Boxes that together hold every point the zone {@link #contains}: one, or two when the zone
     * crosses the antimeridian (split there, so no box has {@code west > east}).
     */
    List<BoundingBox> bounds();

    /** {@code polygon}, {@code circle} or {@code corridor}. */
    String kind();
}
