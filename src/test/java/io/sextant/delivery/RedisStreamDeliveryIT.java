package io.sextant.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.lettuce.core.Range;
import io.lettuce.core.RedisClient;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.sextant.events.EventTypes;
import io.sextant.testing.ApiClient;
import io.sextant.testing.TestRedis;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Redis Streams delivery against a real Redis; each test writes a stream of its own and deletes it. */
class RedisStreamDeliveryIT extends DeliveryIT {

    private RedisClient client;
    private StatefulRedisConnection<String, String> connection;
    private RedisCommands<String, String> redis;
    private final String stream = "sextant-test-" + UUID.randomUUID();

    @BeforeEach
    void connectToRedis() {
        client = RedisClient.create(TestRedis.url());
        connection = client.connect();
        redis = connection.sync();
    }

    @AfterEach
    void deleteTheStream() {
        redis.del(stream);
        connection.close();
        client.shutdown();
    }

    @Test
    void each_event_is_appended_in_order_with_its_id_type_tenant_and_cloudevent() {
        TenantFixture tenant = newTenant();
        String id = redisStream(tenant.adminToken(), 1000).get("id").asString();

        List<UUID> events = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            events.add(append(
                    tenant.id(), i % 2 == 0 ? EventTypes.ZONE_ENTERED : EventTypes.ZONE_EXITED, null, Instant.now()));
        }
        deliveries(tenant.adminToken(), id, allFinal(5));

        List<StreamMessage<String, String>> entries = redis.xrange(stream, Range.create("-", "+"));
        assertThat(entries)
                .extracting(e -> e.getBody().get("id"))
                .containsExactlyElementsOf(events.stream().map(UUID::toString).toList());
        StreamMessage<String, String> first = entries.getFirst();
        assertThat(first.getBody()).containsOnlyKeys("id", "type", "tenant", "event");
        assertThat(first.getBody().get("type")).isEqualTo(EventTypes.ZONE_ENTERED);
        assertThat(first.getBody().get("tenant")).isEqualTo(tenant.id());
        JsonNode cloudEvent = ApiClient.JSON.readTree(first.getBody().get("event"));
        assertThat(cloudEvent.get("specversion").asString()).isEqualTo("1.0");
        assertThat(cloudEvent.get("id").asString()).isEqualTo(events.getFirst().toString());
        assertThat(cloudEvent.get("tenantid").asString()).isEqualTo(tenant.id());
        assertThat(deliveries(tenant.adminToken(), id))
                .allMatch(d -> d.get("status").asString().equals("delivered") && !d.has("lastStatusCode"));
    }

    @Test
    void the_stream_is_trimmed_to_about_its_max_len() {
        TenantFixture tenant = newTenant();
        String id = redisStream(tenant.adminToken(), 10).get("id").asString();

        UUID last = null;
        for (int i = 0; i < 300; i++) {
            last = append(tenant.id(), EventTypes.ASSET_STALE, null, Instant.now());
        }
        UUID newest = last;
        await().atMost(PATIENCE).until(() -> {
            List<StreamMessage<String, String>> tail =
                    redis.xrevrange(stream, Range.create("-", "+"), io.lettuce.core.Limit.from(1));
            return !tail.isEmpty() && tail.getFirst().getBody().get("id").equals(newest.toString());
        });

        // MAXLEN ~ trims whole internal nodes (100 entries by default): never below 10, far below 300.
        assertThat(redis.xlen(stream)).isBetween(10L, 200L);
    }

    private JsonNode redisStream(String token, long maxLen) {
        return subscribe(
                token,
                Map.of(
                        "name",
                        "stream " + stream,
                        "channel",
                        Map.of("type", "redis-stream", "stream", stream, "maxLen", maxLen)));
    }
}
