package io.sextant.events;

import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * An event as a CloudEvents 1.0 JSON document (structured mode), the one wire form of an event on
 * every channel: {@code specversion}, {@code id}, {@code source}, {@code type}, {@code subject}
 * (when there is one), {@code time}, {@code datacontenttype}, {@code data}, and the extension
 * attribute {@code tenantid}.
 */
public final class CloudEventJson {

    public static final String MEDIA_TYPE = "application/cloudevents+json";

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private CloudEventJson() {}

    /** The document as compact JSON text, attributes in a fixed order. */
    public static String render(Event event) {
        return JSON.writeValueAsString(toNode(event));
    }

    public static ObjectNode toNode(Event event) {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
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
        node.set("data", event.data());
        return node;
    }
}
