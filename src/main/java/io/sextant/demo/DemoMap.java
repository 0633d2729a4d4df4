package io.sextant.demo;

import java.util.List;
import java.util.stream.Stream;

/**
 * The demo's piece of the world: about 20 × 20 km around Lyon, with its depots, customer sites and
 * one restricted area. Positions inside it are planar metres east ({@code x}) and north ({@code y})
 * of the centre; over 20 km the error of that projection is far below a GPS fix's.
 */
final class DemoMap {

    private static final double CENTER_LON = 4.85;
    private static final double CENTER_LAT = 45.76;
    private static final double METERS_PER_DEGREE_LAT = 111_132.0;
    private static final double METERS_PER_DEGREE_LON = METERS_PER_DEGREE_LAT * Math.cos(Math.toRadians(CENTER_LAT));

    /** A point of the map, in metres from its centre. */
    record Point(double x, double y) {

        double distanceTo(Point other) {
            return Math.hypot(other.x - x, other.y - y);
        }

        /** Degrees from north, clockwise, in [0, 360). */
        double bearingTo(Point other) {
            double degrees = Math.toDegrees(Math.atan2(other.x - x, other.y - y));
            return degrees < 0 ? degrees + 360 : degrees;
        }

        /** The point {@code fraction} of the way to {@code other}. */
        Point towards(Point other, double fraction) {
            return new Point(x + (other.x - x) * fraction, y + (other.y - y) * fraction);
        }

        double lon() {
            return CENTER_LON + x / METERS_PER_DEGREE_LON;
        }

        double lat() {
            return CENTER_LAT + y / METERS_PER_DEGREE_LAT;
        }

        static Point of(double lon, double lat) {
            return new Point((lon - CENTER_LON) * METERS_PER_DEGREE_LON, (lat - CENTER_LAT) * METERS_PER_DEGREE_LAT);
        }
    }

    /** What a place is for; its zone carries the kind's tag. */
    enum Kind {
        DEPOT("depots"),
        SITE("sites"),
        RESTRICTED("restricted");

        final String tag;

        Kind(String tag) {
            this.tag = tag;
        }
    }

    /** How a place's zone is drawn. */
    enum Shape {
        RECTANGLE,
        CIRCLE,
        CORRIDOR
    }

    /**
     * A named place. A rectangle is {@code 2 × halfWidth} by {@code 2 × halfHeight}; a circle has
     * radius {@code halfWidth}; a corridor runs {@code 2 × halfWidth} east-west and is {@code 2 ×
     * halfHeight} wide.
     */
    record Place(String name, Kind kind, Shape shape, Point center, double halfWidth, double halfHeight) {

        static Place rectangle(String name, Kind kind, double lon, double lat, double halfWidth, double halfHeight) {
            return new Place(name, kind, Shape.RECTANGLE, Point.of(lon, lat), halfWidth, halfHeight);
        }

        /** How far from the centre a vehicle parks at most: well inside the zone. */
        double parkingRadius() {
            return Math.min(halfWidth, halfHeight) * 0.4;
        }
    }

    static final List<Place> DEPOTS = List.of(
            Place.rectangle("Depot Gerland", Kind.DEPOT, 4.8330, 45.7290, 220, 160),
            Place.rectangle("Depot Vaulx-en-Velin", Kind.DEPOT, 4.9200, 45.7790, 220, 160),
            Place.rectangle("Depot Vaise", Kind.DEPOT, 4.8040, 45.7760, 200, 150));

    static final List<Place> SITES = List.of(
            new Place("Site Part-Dieu", Kind.SITE, Shape.CIRCLE, Point.of(4.8590, 45.7606), 120, 120),
            Place.rectangle("Site Croix-Rousse", Kind.SITE, 4.8310, 45.7750, 100, 90),
            Place.rectangle("Site Confluence", Kind.SITE, 4.8180, 45.7410, 110, 90),
            Place.rectangle("Site Villeurbanne", Kind.SITE, 4.8800, 45.7665, 100, 100),
            Place.rectangle("Site Bron", Kind.SITE, 4.9130, 45.7370, 120, 100),
            Place.rectangle("Site Vénissieux", Kind.SITE, 4.8820, 45.7050, 110, 100),
            Place.rectangle("Site Oullins", Kind.SITE, 4.8080, 45.7150, 100, 90),
            Place.rectangle("Site Caluire", Kind.SITE, 4.8460, 45.7950, 100, 90),
            Place.rectangle("Site Écully", Kind.SITE, 4.7770, 45.7750, 100, 100),
            Place.rectangle("Site Saint-Priest", Kind.SITE, 4.9400, 45.7000, 120, 100),
            new Place("Site Port Édouard Herriot", Kind.SITE, Shape.CORRIDOR, Point.of(4.8350, 45.7150), 350, 60));

    /** Through the middle of the city: some trips between the sites either side cross it. */
    static final Place RESTRICTED = new Place(
            "Restricted: Presqu'île pedestrian area",
            Kind.RESTRICTED,
            Shape.CIRCLE,
            Point.of(4.8270, 45.7620),
            350,
            350);

    /** Where vehicles go: the depots, then the sites. */
    static final List<Place> STOPS =
            Stream.concat(DEPOTS.stream(), SITES.stream()).toList();

    private DemoMap() {}
}
