package io.sextant.zone;

/** How large a zone may be; a draft beyond a limit is refused naming it. */
record ZoneLimits(int maxVertices, double maxAreaKm2, double maxRadiusMeters, double maxCorridorWidthMeters) {

    /** For zones already stored: they were checked against the limits in force when written. */
    static final ZoneLimits NONE =
            new ZoneLimits(Integer.MAX_VALUE, Double.MAX_VALUE, Double.MAX_VALUE, Double.MAX_VALUE);

    static ZoneLimits of(ZoneProperties properties) {
        return new ZoneLimits(
                properties.maxVertices(),
                properties.maxAreaKm2(),
                properties.maxRadiusMeters(),
                properties.maxCorridorWidthMeters());
    }
}
