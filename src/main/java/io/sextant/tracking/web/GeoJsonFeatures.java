package io.sextant.tracking.web;

import io.sextant.tracking.PositionFeatures;
import io.sextant.tracking.StoredPosition;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * Positions as GeoJSON (RFC 7946): a Point feature per position, or per asset a LineString (a
 * track) or MultiPoint (grouped history) with the times in a parallel {@code times} array (and the
 * positions' attributes in a parallel {@code attributes} array when any has some). Paging
 * members ({@code nextCursor}, {@code truncated}) are foreign members of the collection.
 */
final class GeoJsonFeatures {

    static final String MEDIA_TYPE = "application/geo+json";

    /** The OpenAPI document's schema of what {@link #collection} builds (defined by the platform). */
    static final String COLLECTION_SCHEMA = "#/components/schemas/GeoJsonFeatureCollection";

    private GeoJsonFeatures() {}

    static Map<String, Object> collection(List<Map<String, Object>> features, Map<String, Object> members) {
        Map<String, Object> collection = new LinkedHashMap<>();
        collection.put("type", "FeatureCollection");
        collection.put("features", features);
        members.forEach((key, value) -> {
            if (value != null) {
                collection.put(key, value);
            }
        });
        return collection;
    }

    static Map<String, Object> point(StoredPosition p, @Nullable Double distanceMeters) {
        return distanceMeters == null
                ? PositionFeatures.point(p)
                : PositionFeatures.point(p, Map.of("distance", Math.round(distanceMeters * 100) / 100.0));
    }

    /** A position as a Point feature, as every query and export writes it ({@link PositionFeatures}). */
    static Map<String, Object> point(StoredPosition p) {
        return PositionFeatures.point(p);
    }

    /** One feature per asset, its positions in order as a MultiPoint (or LineString for a track). */
    static List<Map<String, Object>> groupedByAsset(List<StoredPosition> positions, String geometryType) {
        Map<UUID, List<StoredPosition>> groups = new LinkedHashMap<>();
        positions.forEach(p ->
                groups.computeIfAbsent(p.assetId(), id -> new ArrayList<>()).add(p));
        List<Map<String, Object>> features = new ArrayList<>();
        groups.forEach((assetId, group) -> features.add(line(assetId, group, geometryType)));
        return features;
    }

    static Map<String, Object> line(UUID assetId, List<StoredPosition> positions, String geometryType) {
        List<List<Double>> coordinates =
                positions.stream().map(PositionFeatures::coordinates).toList();
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put("assetId", assetId);
        properties.put("count", positions.size());
        properties.put(
                "times", positions.stream().map(p -> p.eventTime().toString()).toList());
        // Parallel to times, like it; left out when no position carries any.
        if (positions.stream().anyMatch(p -> !p.attributes().isEmpty())) {
            properties.put(
                    "attributes",
                    positions.stream().map(StoredPosition::attributes).toList());
        }
        // A LineString needs two positions; a lone position stays a (degenerate) MultiPoint.
        String type = geometryType.equals("LineString") && positions.size() < 2 ? "MultiPoint" : geometryType;
        return feature(assetId.toString(), geometry(type, coordinates), properties);
    }

    private static Map<String, Object> feature(
            String id, Map<String, Object> geometry, Map<String, Object> properties) {
        Map<String, Object> feature = new LinkedHashMap<>();
        feature.put("type", "Feature");
        feature.put("id", id);
        feature.put("geometry", geometry);
        feature.put("properties", properties);
        return feature;
    }

    private static Map<String, Object> geometry(String type, Object coordinates) {
        Map<String, Object> geometry = new LinkedHashMap<>();
        geometry.put("type", type);
        geometry.put("coordinates", coordinates);
        return geometry;
    }
}
