package io.sextant.zone;

import io.sextant.shared.geo.BoundingBox;
import io.sextant.shared.geo.GeoPoint;
import io.sextant.shared.geo.Geodesy;
import java.util.List;

/**
 * Every point within a great-circle distance of a center. Exact on the sphere of {@link Geodesy}
 * (the haversine), so correct across the antimeridian and at the poles: a circle around a pole
 * holds all longitudes.
 */
public final class CircleShape implements ZoneShape {

    private final GeoPoint center;
    private final double radiusMeters;
    private final List<BoundingBox> bounds;

    /** @throws IllegalArgumentException if the radius is not a positive finite number */
    public CircleShape(GeoPoint center, double radiusMeters) {
        if (!(radiusMeters > 0 && Double.isFinite(radiusMeters))) {
            throw new IllegalArgumentException("radius must be a positive number of metres, was " + radiusMeters);
        }
        this.center = center;
        this.radiusMeters = radiusMeters;
        this.bounds = Bounds.split(BoundingBox.around(center, radiusMeters));
    }

    public GeoPoint center() {
        return center;
    }

    public double radiusMeters() {
        return radiusMeters;
    }

    /** A polygon that draws the circle, for GeoJSON clients ({@link Outlines#circle}). */
    public org.locationtech.jts.geom.Geometry outline() {
        return Outlines.circle(center, radiusMeters);
    }

    @Override
    public boolean contains(double lon, double lat) {
        return Geodesy.distanceMeters(center.lon(), center.lat(), lon, lat) <= radiusMeters;
    }

    /** Exact: the distance to the center less the radius, or the other way round. */
    @Override
    public double boundaryDistanceMeters(double lon, double lat) {
        return Math.abs(Geodesy.distanceMeters(center.lon(), center.lat(), lon, lat) - radiusMeters);
    }

    @Override
    public List<BoundingBox> bounds() {
        return bounds;
    }

    @Override
    public String kind() {
        return "circle";
    }

    @Override
    public String toString() {
        return "CircleShape[center=" + center + ", radiusMeters=" + radiusMeters + "]";
    }
}
