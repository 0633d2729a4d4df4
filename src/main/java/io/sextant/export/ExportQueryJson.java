package io.sextant.export;

import io.sextant.shared.geo.BoundingBox;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** An {@link ExportQuery} as the {@code export.query} column stores it. */
final class ExportQueryJson {

    private ExportQueryJson() {}

    static String write(JsonMapper json, ExportQuery query) {
        ObjectNode node = json.createObjectNode();
        switch (query) {
            case ExportQuery.Track track -> {
                node.put("kind", "track");
                node.put("assetId", track.assetId().toString());
            }
            case ExportQuery.Area area -> {
                node.put("kind", "area");
                BoundingBox box = area.bbox();
                if (box != null) {
                    ArrayNode bbox = node.putArray("bbox");
                    bbox.add(box.west()).add(box.south()).add(box.east()).add(box.north());
                } else {
                    node.set("geometry", area.geometry());
                }
                if (area.type() != null) {
                    node.put("type", area.type());
                }
                ArrayNode tags = node.putArray("tags");
                area.tags().forEach(tags::add);
            }
        }
        node.put("from", query.from().toString());
        node.put("to", query.to().toString());
        return json.writeValueAsString(node);
    }

    static ExportQuery read(JsonMapper json, String text) {
        JsonNode node = json.readTree(text);
        Instant from = Instant.parse(node.get("from").asString());
        Instant to = Instant.parse(node.get("to").asString());
        if (node.get("kind").asString().equals("track")) {
            return new ExportQuery.Track(UUID.fromString(node.get("assetId").asString()), from, to);
        }
        BoundingBox box = null;
        JsonNode bbox = node.get("bbox");
        if (bbox != null) {
            box = new BoundingBox(
                    bbox.get(0).asDouble(),
                    bbox.get(1).asDouble(),
                    bbox.get(2).asDouble(),
                    bbox.get(3).asDouble());
        }
        @Nullable JsonNode geometry = box == null ? node.get("geometry") : null;
        List<String> tags = new ArrayList<>();
        node.path("tags").forEach(tag -> tags.add(tag.asString()));
        String type = node.hasNonNull("type") ? node.get("type").asString() : null;
        return new ExportQuery.Area(box, geometry, from, to, type, tags);
    }
}
