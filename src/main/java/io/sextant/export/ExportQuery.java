package io.sextant.export;

import io.sextant.shared.geo.BoundingBox;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * What an export holds: exactly what the history endpoints answer for the same question and the same
 * caller, every page of it.
 */
public sealed interface ExportQuery {

    /** Inclusive start of the window. */
    Instant from();

    /** Exclusive end of the window. */
    Instant to();

    /** One asset's positions in [from, to), as {@code GET /api/v1/assets/{id}/track?format=points} answers them. */
    record Track(UUID assetId, Instant from, Instant to) implements ExportQuery {}

    /**
     * Every position inside a box or a polygon during [from, to), as {@code GET
     * /api/v1/positions/history} and {@code POST /api/v1/positions/history/search} answer them.
     *
     * @param bbox the box, or null for a polygon
     * @param geometry the GeoJSON Polygon or MultiPolygon as the client sent it, or null for a box
     * @param type only assets of this type, or any
     * @param tags only assets carrying every one of these tags
     */
    record Area(
            @Nullable BoundingBox bbox,
            @Nullable JsonNode geometry,
            Instant from,
            Instant to,
            @Nullable String type,
            List<String> tags)
            implements ExportQuery {

        public Area {
            if ((bbox == null) == (geometry == null)) {
                throw new IllegalArgumentException("an area is a box or a polygon");
            }
            tags = List.copyOf(Objects.requireNonNull(tags));
        }
    }
}
