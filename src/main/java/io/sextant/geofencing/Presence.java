package io.sextant.geofencing;

/**
 * Where one fix lies relative to one zone, with the zone's margin applied: clearly inside, clearly
 * outside, or too close to the boundary to tell. The band is what keeps a fix jittering along the
 * boundary from flapping between enter and exit; with a margin of zero there is no band.
 */
public enum Presence {
    /** Inside the zone and at least the margin away from its boundary. */
    INSIDE,
    /** Outside the zone and at least the margin away from its boundary. */
    OUTSIDE,
    /** Within the margin of the boundary, on either side. */
    BAND;

    /**
     * Classifies a fix from whether it lies in the zone and how far it is from the zone's boundary.
     *
     * @throws IllegalArgumentException if the distance or the margin is negative or not a number
     */
    public static Presence classify(boolean inZone, double distanceToBoundaryMeters, double marginMeters) {
        if (!(distanceToBoundaryMeters >= 0)) {
            throw new IllegalArgumentException(
                    "distance to the boundary must be a non-negative number, was " + distanceToBoundaryMeters);
        }
        if (!(marginMeters >= 0)) {
            throw new IllegalArgumentException("margin must be a non-negative number, was " + marginMeters);
        }
        if (distanceToBoundaryMeters < marginMeters) {
            return BAND;
        }
        return inZone ? INSIDE : OUTSIDE;
    }

    /** Whether a fix here decides a side, which a fix in the band never does. */
    public boolean isDecisive() {
        return this != BAND;
    }
}
