package io.sextant.tracking;

import java.util.ArrayList;
import java.util.List;
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.GeometryFactory;
import org.locationtech.jts.simplify.DouglasPeuckerSimplifier;

/**
 * Douglas–Peucker simplification of a track with a tolerance in meters. The points are projected
 * to a local equirectangular plane around the track's mean latitude (longitudes unwrapped first,
 * so a track across the antimeridian stays continuous); the simplification keeps a subset of the
 * original positions, untouched, and always the first and the last.
 */
final class TrackSimplifier {

    private static final double EARTH_RADIUS_METERS = 6_371_008.8;
    private static final GeometryFactory PLANE = new GeometryFactory();

    private TrackSimplifier() {}

    static List<StoredPosition> simplify(List<StoredPosition> track, double toleranceMeters) {
        if (track.size() < 3 || toleranceMeters <= 0) {
            return track;
        }
        double meanLat =
                track.stream().mapToDouble(StoredPosition::lat).average().orElse(0);
        double cos = Math.cos(Math.toRadians(meanLat));
        Coordinate[] projected = new Coordinate[track.size()];
        double previousLon = track.getFirst().lon();
        double unwrapped = previousLon;
        for (int i = 0; i < track.size(); i++) {
            double lon = track.get(i).lon();
            double delta = lon - previousLon;
            if (delta > 180) {
                delta -= 360;
            } else if (delta < -180) {
                delta += 360;
            }
            unwrapped += i == 0 ? 0 : delta;
            previousLon = lon;
            // z carries the index back to the original position.
            projected[i] = new Coordinate(
                    Math.toRadians(unwrapped) * EARTH_RADIUS_METERS * cos,
                    Math.toRadians(track.get(i).lat()) * EARTH_RADIUS_METERS,
                    i);
        }
        Coordinate[] kept = DouglasPeuckerSimplifier.simplify(PLANE.createLineString(projected), toleranceMeters)
                .getCoordinates();
        List<StoredPosition> result = new ArrayList<>(kept.length);
        for (Coordinate coordinate : kept) {
            result.add(track.get((int) coordinate.getZ()));
        }
        return result;
    }
}
