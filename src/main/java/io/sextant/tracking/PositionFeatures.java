package io.sextant.tracking;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A stored position as a GeoJSON (RFC 7946) Point feature, the one shape every position query
 * answers with and every export writes: the asset's id as the feature's id, {@code [lon, lat]} (and
 * the altitude when known) as coordinates, and {@code assetId}, {@code time}, {@code receivedAt},
 * the measurements present and the position's {@code attributes} (when it has any) as properties.
 */
public final class PositionFeatures {

    private PositionFeatures() {}

    /** The Point feature of {@code p}. */
    public static Map<String, Object> point(StoredPosition p) {
        return point(p, Map.of());
    }

    /** The Point feature of {@code p} with {@code extra} properties after its own (a query's distance). */
    public static Map<String, Object> point(StoredPosition p, Map<String, Object> extra) {
        Map<String, Object> properties = properties(p);
        properties.putAll(extra);
        Map<String, Object> geometry = new LinkedHashMap<>();
        geometry.put("type", "Point");
        geometry.put("coordinates", coordinates(p));
        Map<String, Object> feature = new LinkedHashMap<>();
        feature.put("type", "Feature");
        feature.put("id", p.assetId().toString());
        feature.put("geometry", geometry);
        feature.put("properties", properties);
        return feature;
    }

    /** {@code [lon, lat]}, or {@code [lon, lat, altitude]} when the altitude is known. */
    public static List<Double> coordinates(StoredPosition p) {
        return p.altitude() == null ? List.of(p.lon(), p.lat()) : List.of(p.lon(), p.lat(), p.altitude());
    }

    private static Map<String, Object> properties(StoredPosition p) {
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put("assetId", p.assetId());
        properties.put("time", p.eventTime().toString());
        properties.put("receivedAt", p.receivedAt().toString());
        putIfPresent(properties, "accuracy", p.accuracy());
        putIfPresent(properties, "speed", p.speed());
        putIfPresent(properties, "heading", p.heading());
        if (!p.attributes().isEmpty()) {
            properties.put("attributes", p.attributes());
        }
        return properties;
    }

    private static void putIfPresent(Map<String, Object> map, String key, @Nullable Object value) {
        if (value != null) {
            map.put(key, value);
        }
    }
}
