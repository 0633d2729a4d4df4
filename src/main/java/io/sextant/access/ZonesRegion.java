package io.sextant.access;

import io.sextant.shared.access.SpatialRegion;
import io.sextant.shared.geo.BoundingBox;
import io.sextant.zone.ZoneShape;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.Envelope;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.GeometryFactory;
import org.locationtech.jts.geom.prep.PreparedGeometry;
import org.locationtech.jts.geom.prep.PreparedGeometryFactory;

/**
 * A grant's region resolved: the shapes of its zones and its inline polygon. A region whose zones
 * are all gone covers nothing — it never widens into no region at all.
 */
final class ZonesRegion implements SpatialRegion {

    private static final GeometryFactory POINTS = new GeometryFactory();

    private final List<ZoneShape> shapes;
    private final @Nullable PreparedGeometry polygon;
    private final @Nullable Envelope polygonEnvelope;
    private final boolean polygonIsRectangle;
    private final List<BoundingBox> boxes;
    private final String description;

    ZonesRegion(List<ZoneShape> shapes, @Nullable Geometry polygon, String description) {
        this.shapes = List.copyOf(shapes);
        this.polygon = polygon == null ? null : PreparedGeometryFactory.prepare(polygon);
        this.polygonEnvelope = polygon == null ? null : polygon.getEnvelopeInternal();
        this.polygonIsRectangle = polygon != null && polygon.isRectangle();
        this.description = description;
        List<BoundingBox> all = new ArrayList<>();
        shapes.forEach(shape -> all.addAll(shape.bounds()));
        if (polygon != null) {
            for (int i = 0; i < polygon.getNumGeometries(); i++) {
                Envelope e = polygon.getGeometryN(i).getEnvelopeInternal();
                all.add(new BoundingBox(e.getMinX(), e.getMinY(), e.getMaxX(), e.getMaxY()));
            }
        }
        this.boxes = List.copyOf(all);
    }

    @Override
    public boolean covers(double lon, double lat) {
        for (ZoneShape shape : shapes) {
            if (shape.contains(lon, lat)) {
                return true;
            }
        }
        // Queries call this for every candidate: outside the envelope is a no without building a
        // point, and inside an axis-aligned rectangle (a common region) is a yes.
        if (polygon == null || polygonEnvelope == null || !polygonEnvelope.covers(lon, lat)) {
            return false;
        }
        return polygonIsRectangle || polygon.covers(POINTS.createPoint(new Coordinate(lon, lat)));
    }

    @Override
    public List<BoundingBox> boxes() {
        return boxes;
    }

    @Override
    public String describe() {
        return description;
    }
}
