package io.sextant.tracking.live;

import io.sextant.shared.geo.BoundingBox;

/** The region of a box or polygon query, as the {@link LiveIndex} walks its grid and quadtrees. */
sealed interface QueryArea permits BoxArea, PolygonArea {

    /** How much of a grid rectangle lies in the area. */
    enum Overlap {
        NONE,
        /** Some, or not known: each entry must be tested. */
        PARTIAL,
        ALL
    }

    /** A box, not crossing the antimeridian unless the area does, outside which no position lies in the area. */
    BoundingBox bounds();

    /**
     * How a rectangle of the grid relates to the area. The rectangle never crosses the antimeridian, and entries at
     * longitude 180 are filed in rectangles whose west edge is -180. {@code entries} says how many entries the
     * rectangle holds, for areas where an exact answer costs more than testing a few entries one by one.
     */
    Overlap overlap(double west, double south, double east, double north, int entries);

    /** Whether a position lies in the area, boundary included. */
    boolean contains(double lon, double lat);
}
