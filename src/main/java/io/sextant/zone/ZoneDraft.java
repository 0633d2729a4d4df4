package io.sextant.zone;

import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * A zone as a client sends it, for create and replace, not yet validated. The shape members and
 * the schedule and fence are kept as JSON so that validation can name the exact place of a fault
 * (a ring, a vertex, a window).
 *
 * @param geometry a GeoJSON Polygon or MultiPolygon
 * @param circle {@code {"center": [lon, lat], "radiusMeters": r}}
 * @param corridor {@code {"line": <GeoJSON LineString>, "widthMeters": w}}
 */
public record ZoneDraft(
        @Nullable String name,
        List<String> tags,
        Map<String, Object> attributes,
        @Nullable JsonNode geometry,
        @Nullable JsonNode circle,
        @Nullable JsonNode corridor,
        @Nullable JsonNode schedule,
        @Nullable JsonNode fence) {}
