package io.sextant.shared.features;

import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** A page of GeoJSON features, and the cursor of the next page when more features follow. */
public record FeaturePage(
        List<Map<String, Object>> features, @Nullable String nextCursor) {

    public FeaturePage {
        features = List.copyOf(features);
    }
}
