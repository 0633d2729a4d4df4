package io.sextant.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

class CloudEventJsonTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Test
    void an_event_renders_as_a_structured_mode_cloudevent_with_the_tenant_and_recorded_time_extensions() {
        UUID id = UUID.fromString("01a2056c-8720-756b-b54a-068b601cfe97");
        UUID tenant = UUID.fromString("01a2056c-78fa-7a05-a7ad-675e27adde82");
        ObjectNode data =
                JsonNodeFactory.instance.objectNode().put("zoneName", "Depot").put("speed", 12.5);
        Event event = new Event(
                id,
                tenant,
                EventTypes.ZONE_ENTERED,
                "/zones/z1",
                "asset-1",
                Instant.parse("2026-11-22T22:42:08.288087Z"),
                Instant.parse("2026-11-22T22:42:09Z"),
                null,
                null,
                List.of(),
                List.of(),
                data,
                new LogPosition(7, 3));

        String text = CloudEventJson.render(event);

        assertThat(text)
                .isEqualTo("{\"specversion\":\"1.0\",\"id\":\"01a2056c-8720-756b-b54a-068b601cfe97\","
                        + "\"source\":\"/zones/z1\",\"type\":\"sextant.zone.entered\",\"subject\":\"asset-1\","
                        + "\"time\":\"2026-11-22T22:42:08.288087Z\",\"datacontenttype\":\"application/json\","
                        + "\"tenantid\":\"01a2056c-78fa-7a05-a7ad-675e27adde82\","
                        + "\"recordedtime\":\"2026-11-22T22:42:09Z\","
                        + "\"data\":{\"zoneName\":\"Depot\",\"speed\":12.5}}");
        assertThat(JSON.readTree(text)).isEqualTo(CloudEventJson.toNode(event));
    }

    @Test
    void an_event_without_a_subject_has_no_subject_attribute() {
        Event event = new Event(
                UUID.randomUUID(),
                UUID.randomUUID(),
                EventTypes.SUBSCRIPTION_DISABLED,
                "/subscriptions/s1",
                null,
                Instant.parse("2026-01-01T00:00:00Z"),
                Instant.parse("2026-01-01T00:00:00Z"),
                null,
                null,
                List.of(),
                List.of(),
                JsonNodeFactory.instance.objectNode(),
                new LogPosition(1, 1));

        JsonNode node = CloudEventJson.toNode(event);

        assertThat(node.has("subject")).isFalse();
        assertThat(node.get("specversion").asString()).isEqualTo("1.0");
        assertThat(node.get("time").asString()).isEqualTo("2026-01-01T00:00:00Z");
    }
}
