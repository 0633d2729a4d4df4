package io.sextant.shared.access;

import java.util.List;
import java.util.Map;
import java.util.UUID;

/** What a grant may look at to decide whether an asset is reached: its registry row. */
public record AssetFacts(
        UUID id,
        String externalId,
        String type,
        List<String> tags,
        String classification,
        Map<String, Object> attributes) {

    public AssetFacts {
        tags = List.copyOf(tags);
        // Not Map.copyOf: a JSON null attribute is a value a condition can test.
        attributes = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(attributes));
    }
}
