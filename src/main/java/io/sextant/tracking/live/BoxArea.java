package io.sextant.tracking.live;

import io.sextant.shared.geo.BoundingBox;

/** A {@link BoundingBox} as the region of a query. */
record BoxArea(BoundingBox bounds) implements QueryArea {

    @Override
    public Overlap overlap(double west, double south, double east, double north, int entries) {
        if (!TileGrid.touches(bounds, west, south, east, north)) {
            return Overlap.NONE;
        }
        boolean latitudesInside = south >= bounds.south() && north <= bounds.north();
        boolean longitudesInside = bounds.crossesAntimeridian()
                ? west >= bounds.west() || east <= bounds.east()
                : west >= bounds.west() && east <= bounds.east();
        return latitudesInside && longitudesInside ? Overlap.ALL : Overlap.PARTIAL;
    }

    @Override
    public boolean contains(double lon, double lat) {
        return bounds.contains(lon, lat);
    }
}
