package io.sextant.zone;

import io.sextant.shared.features.FeaturePage;
import io.sextant.shared.features.FeatureQuery;
import io.sextant.shared.features.FeatureSource;
import io.sextant.shared.features.TimeInterval;
import io.sextant.shared.geo.BoundingBox;
import io.sextant.shared.geo.GeoJsonGeometries;
import io.sextant.shared.problem.NotFound;
import io.sextant.shared.web.CursorPage;
import io.sextant.shared.web.Cursors;
import io.sextant.shared.web.PageLimits;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.locationtech.jts.geom.Envelope;
import org.locationtech.jts.geom.Geometry;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;

/**
 * The tenant's live zones as GeoJSON features, for GIS clients: through {@link Zones}, so {@code
 * zones:read} and the caller's zone scope hold. A polygon zone's geometry is the one it was given;
 * a circle or corridor is drawn as a polygon ({@link Outlines}), with {@code radiusMeters} or
 * {@code widthMeters} among its properties. A box selects the zones whose geometry, as written,
 * intersects it (the zone list's bbox test refined by JTS); a time interval selects the zones whose
 * current version is valid during part of it (from {@code updatedAt} on).
 */
@Component
class ZoneFeatures implements FeatureSource {

    private final Zones zones;

    ZoneFeatures(Zones zones) {
        this.zones = zones;
    }

    @Override
    public String id() {
        return "zones";
    }

    @Override
    public String title() {
        return "Zones";
    }

    @Override
    public String description() {
        return "The tenant's live zones: polygons as given, circles and corridors drawn as polygons";
    }

    @Override
    public String permission() {
        return "zones:read";
    }

    /** As the zone list's pages: a zone may have 10,000 vertices. */
    @Override
    public int maxPageSize() {
        return PageLimits.MAX;
    }

    @Override
    public FeaturePage page(FeatureQuery query) {
        List<Geometry> boxes = query.bbox() == null ? List.of() : boxes(query.bbox());
        TimeInterval interval = query.interval();
        // One more than the page, so that a next page is announced only when a feature follows.
        int wanted = query.limit() + 1;
        List<Map<String, Object>> kept = new ArrayList<>();
        String cursor = query.cursor();
        while (kept.size() < wanted) {
            CursorPage<Zone> chunk = zones.list(List.of(), null, query.bbox(), cursor, wanted);
            for (Zone zone : chunk.items()) {
                if (interval != null && !interval.intersects(zone.updatedAt(), null)) {
                    continue;
                }
                Geometry outline = outline(zone);
                if (!boxes.isEmpty() && boxes.stream().noneMatch(outline::intersects)) {
                    continue;
                }
                kept.add(feature(zone, outline));
                if (kept.size() == wanted) {
                    break;
                }
            }
            if (chunk.nextCursor() == null) {
                break;
            }
            cursor = chunk.nextCursor();
        }
        if (kept.size() < wanted) {
            return new FeaturePage(kept, null);
        }
        return new FeaturePage(
                kept.subList(0, query.limit()),
                Cursors.encode(String.valueOf(kept.get(query.limit() - 1).get("id"))));
    }

    @Override
    public Optional<Map<String, Object>> feature(String id) {
        UUID zoneId;
        try {
            zoneId = UUID.fromString(id);
        } catch (IllegalArgumentException notOurs) {
            return Optional.empty();
        }
        try {
            Zone zone = zones.get(zoneId);
            return Optional.of(feature(zone, outline(zone)));
        } catch (NotFound absent) {
            return Optional.empty();
        }
    }

    /** The polygon the feature shows, and the box test uses. */
    static Geometry outline(Zone zone) {
        if (zone.geometry() != null) {
            return GeoJsonGeometries.polygonal(zone.geometry(), "geometry", Integer.MAX_VALUE, false);
        }
        if (zone.circle() != null) {
            return ZoneJson.circle(zone.circle(), ZoneLimits.NONE).outline();
        }
        return ZoneJson.corridor(Objects.requireNonNull(zone.corridor()), ZoneLimits.NONE)
                .outline();
    }

    private static Map<String, Object> feature(Zone zone, Geometry outline) {
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put("name", zone.name());
        properties.put("shape", zone.geometry() != null ? "polygon" : zone.circle() != null ? "circle" : "corridor");
        if (zone.circle() != null) {
            properties.put("radiusMeters", number(zone.circle(), "radiusMeters"));
        }
        if (zone.corridor() != null) {
            properties.put("widthMeters", number(zone.corridor(), "widthMeters"));
        }
        properties.put("tags", zone.tags());
        properties.put("attributes", zone.attributes());
        properties.put("version", zone.version());
        properties.put("createdAt", zone.createdAt().toString());
        properties.put("updatedAt", zone.updatedAt().toString());
        Map<String, Object> feature = new LinkedHashMap<>();
        feature.put("type", "Feature");
        feature.put("id", zone.id().toString());
        feature.put("geometry", zone.geometry() != null ? zone.geometry() : GeoJsonGeometries.toJson(outline));
        feature.put("properties", properties);
        return feature;
    }

    private static @Nullable Double number(JsonNode shape, String member) {
        JsonNode value = shape.path(member);
        return value.isNumber() ? value.asDouble() : null;
    }

    /** The box as polygons that do not cross the antimeridian. */
    private static List<Geometry> boxes(BoundingBox box) {
        return Bounds.split(box).stream()
                .map(half -> GeoJsonGeometries.FACTORY.toGeometry(
                        new Envelope(half.west(), half.east(), half.south(), half.north())))
                .toList();
    }
}
