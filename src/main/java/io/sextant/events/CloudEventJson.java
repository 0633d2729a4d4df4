package io.sextant.events;

import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * An event as a CloudEvents 1.0 JSON document (structured mode), the one format every channel
 * sends: webhook bodies, live-stream messages, Redis Stream entries and the event API.
 */
public final class CloudEventJson {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private CloudEventJson() {}

    public static ObjectNode toNode(Event event) {
        ObjectNode node = JSON.createObjectNode();
        node.put("specversion", "1.0");
        node.put("id", event.id().toString());
        node.put("source", event.source());
        node.put("type", event.type());
        if (event.subject() != null) {
            node.put("subject", event.subject());
        }
        node.put("time", event.time().toString());
        node.put("datacontenttype", "application/json");
        node.put("tenantid", event.tenantId().toString());
        node.put("recordedtime", event.recordedAt().toString());
        node.set("data", event.data());
        return node;
    }

    public static String render(Event event) {
        return JSON.writeValueAsString(toNode(event));
    }
}
