package io.sextant.shared.features;

import java.util.Map;
import java.util.Optional;

/**
 * A collection of GeoJSON features a module publishes (its zones, the latest positions of its
 * assets) for adapters that serve features to geospatial clients. Implementations call their
 * module's application services, so the caller's permission and grant scope hold as they do for
 * every other adapter: a caller without {@link #permission()} is refused, and a feature out of the
 * caller's reach is neither listed nor found.
 */
public interface FeatureSource {

    /** The collection's identifier in URLs: lower case letters, digits and hyphens. */
    String id();

    String title();

    String description();

    /** The permission reading this collection requires; adapters list only collections the caller may read. */
    String permission();

    /**
     * The most features one page may hold: a client asking for more is served this many. The
     * default suits small features; a collection of large geometries (zones of thousands of
     * vertices) keeps its pages to what its own list allows.
     */
    default int maxPageSize() {
        return 1000;
    }

    /**
     * Features in the collection's own stable order that meet the query, at most {@link
     * FeatureQuery#limit()}, and the cursor of the next page when more may follow.
     *
     * @throws io.sextant.shared.problem.InvalidInput for a cursor this source did not hand out
     */
    FeaturePage page(FeatureQuery query);

    /** One feature by its id (the {@code id} member of its GeoJSON), if it exists and the caller may see it. */
    Optional<Map<String, Object>> feature(String id);
}
