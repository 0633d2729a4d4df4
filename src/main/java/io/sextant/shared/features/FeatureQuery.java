package io.sextant.shared.features;

import io.sextant.shared.geo.BoundingBox;
import org.jspecify.annotations.Nullable;

/**
 * What a page of features is asked for.
 *
 * @param bbox only features whose geometry intersects the box (edges included; west greater than
 *     east crosses the antimeridian); null for anywhere
 * @param interval only features whose time intersects the interval; null for any time
 * @param cursor where the previous page ended, as its source handed it out; null for the first page
 * @param limit the most features the page may hold, at least 1
 */
public record FeatureQuery(
        @Nullable BoundingBox bbox,
        @Nullable TimeInterval interval,
        @Nullable String cursor,
        int limit) {

    public FeatureQuery {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1, was " + limit);
        }
    }
}
