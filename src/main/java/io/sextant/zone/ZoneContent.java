package io.sextant.zone;

import io.sextant.shared.geo.BoundingBox;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * The content of one version of a zone, validated: the JSON as the client gave it (stored and
 * returned that way) next to its compiled form.
 *
 * @param shapeJson the value of the {@code geometry}, {@code circle} or {@code corridor} member
 * @param bbox the one box (crossing the antimeridian if need be) covering the shape
 */
record ZoneContent(
        String name,
        List<String> tags,
        Map<String, Object> attributes,
        ZoneShape shape,
        JsonNode shapeJson,
        @Nullable ZoneSchedule schedule,
        @Nullable JsonNode scheduleJson,
        FenceSettings settings,
        @Nullable JsonNode fenceJson,
        BoundingBox bbox) {

    /** The request member that holds a shape of this kind. */
    static String memberOf(String kind) {
        return switch (kind) {
            case "polygon" -> "geometry";
            case "circle" -> "circle";
            case "corridor" -> "corridor";
            default -> throw new IllegalArgumentException("unknown shape kind " + kind);
        };
    }
}
