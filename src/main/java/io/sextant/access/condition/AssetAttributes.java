package io.sextant.access.condition;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * What a condition may read of one asset, the same columns the SQL form reads from the {@code asset}
 * table. {@code attributes} holds the asset's JSON attributes as parsed: strings, numbers, booleans,
 * {@code null} for a JSON null, lists and maps for arrays and objects.
 */
public record AssetAttributes(
        UUID id,
        String externalId,
        String type,
        List<String> tags,
        String classification,
        Map<String, @Nullable Object> attributes) {

    public AssetAttributes {
        tags = List.copyOf(tags);
        // JSON null is a value here, so Map.copyOf (which refuses nulls) will not do.
        attributes = Collections.unmodifiableMap(new LinkedHashMap<>(attributes));
    }
}
