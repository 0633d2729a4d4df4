package io.sextant.shared.access;

import io.sextant.shared.geo.BoundingBox;
import java.util.List;

/**
 * The area a grant reaches: the union of some zones' shapes and inline polygons, boundaries
 * included. {@link #boxes()} hold every point it {@link #covers}, so SQL can prefilter by them and
 * memory refine exactly.
 */
public interface SpatialRegion {

    boolean covers(double lon, double lat);

    /** Boxes (none crossing the antimeridian) that together hold the whole region. */
    List<BoundingBox> boxes();

    /** What the region is made of, for explanations: {@code zones [depot-north], polygon}. */
    String describe();
}
