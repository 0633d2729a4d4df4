package io.sextant.tracking.live;

import io.sextant.shared.geo.BoundingBox;
import org.locationtech.jts.algorithm.locate.PointOnGeometryLocator;
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.Envelope;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.Location;
import org.locationtech.jts.geom.Polygonal;
import org.locationtech.jts.geom.prep.PreparedPolygon;

/**
 * A polygonal JTS geometry in longitude/latitude degrees as the region of a query, prepared once per query.
 *
 * <p>Single positions are located with the prepared polygon's indexed point-in-area locator, which puts points on
 * the boundary on the boundary rather than outside. Grid rectangles holding many entries are first compared with the
 * whole polygon, so that a rectangle inside it is taken without testing each entry and one outside it is skipped.
 */
final class PolygonArea implements QueryArea {

    /** Below this many entries, testing each costs less than comparing the rectangle with the polygon. */
    private static final int ENTRIES_WORTH_COMPARING = 32;

    private final Geometry geometry;
    private final PreparedPolygon prepared;
    private final PointOnGeometryLocator locator;
    private final BoundingBox bounds;

    /** The geometry must be polygonal and reach into [-180, 180] × [-90, 90]. */
    PolygonArea(Geometry polygonal) {
        this.geometry = polygonal;
        this.prepared = new PreparedPolygon((Polygonal) polygonal);
        this.locator = prepared.getPointLocator();
        Envelope envelope = polygonal.getEnvelopeInternal();
        this.bounds = new BoundingBox(
                Math.max(-180, envelope.getMinX()),
                Math.max(-90, envelope.getMinY()),
                Math.min(180, envelope.getMaxX()),
                Math.min(90, envelope.getMaxY()));
    }

    @Override
    public BoundingBox bounds() {
        return bounds;
    }

    @Override
    public Overlap overlap(double west, double south, double east, double north, int entries) {
        if (!TileGrid.touches(bounds, west, south, east, north)) {
            return Overlap.NONE;
        }
        // Only a rectangle inside the polygon's envelope can lie wholly inside the polygon; comparing larger ones,
        // such as the blocks of the pyramid above a city-sized polygon, would cost much and rarely skip anything.
        boolean withinEnvelope =
                west >= bounds.west() && east <= bounds.east() && south >= bounds.south() && north <= bounds.north();
        if (entries < ENTRIES_WORTH_COMPARING || !withinEnvelope) {
            return Overlap.PARTIAL;
        }
        Geometry rectangle = geometry.getFactory().toGeometry(new Envelope(west, east, south, north));
        if (prepared.covers(rectangle)) {
            return Overlap.ALL;
        }
        // Entries at longitude 180 are filed at -180: a polygon touching 180 can hold them though it misses the
        // rectangle at -180.
        if (west > -180 && !prepared.intersects(rectangle)) {
            return Overlap.NONE;
        }
        return Overlap.PARTIAL;
    }

    @Override
    public boolean contains(double lon, double lat) {
        return covers(lon, lat) || (Math.abs(lon) == 180 && covers(-lon, lat));
    }

    private boolean covers(double lon, double lat) {
        return locator.locate(new Coordinate(lon, lat)) != Location.EXTERIOR;
    }
}
