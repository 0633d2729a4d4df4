package io.sextant.platform.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.sextant.testing.SextantIT;
import io.sextant.testing.SseClient;
import io.sextant.testing.TestRedis;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

/**
 * Another node's commit reaches this node's live streams when that node signals it through Redis,
 * not at this node's next poll: the poll here is a minute, the event is written straight into the
 * log (as another node's transaction would), and the signal comes from a second set of cluster
 * signals on the same Redis, as another process would send it.
 */
@TestPropertySource(properties = "sextant.events.relay-poll-interval=60s")
class ClusterSignalsIT extends SextantIT {

    private static final String PREFIX = TestRedis.prefix("cluster-signals");

    @Value("${sextant.db.url}")
    String databaseUrl;

    @DynamicPropertySource
    static void redis(DynamicPropertyRegistry registry) {
        registry.add("sextant.redis.url", TestRedis::url);
        registry.add("sextant.redis.key-prefix", () -> PREFIX);
    }

    @Test
    void another_nodes_signal_wakes_this_nodes_relay_for_the_event_it_committed() throws Exception {
        String tenantId = api.get("/api/v1/me")
                .bearer(adminToken)
                .send()
                .json()
                .get("tenantId")
                .asString();
        PlatformRedis redis = new PlatformRedis(TestRedis.url(), PREFIX);
        RedisClusterSignals otherNode = new RedisClusterSignals(redis);
        try (SseClient stream = SseClient.open(api.baseUrl() + "/api/v1/events/stream", adminToken, null)) {
            assertThat(stream.nextComment(Duration.ofSeconds(5))).isEqualTo("connected");
            // this node's relay subscribes as it starts, in the background: wait until a signal
            // reaches it, which the relay shows by handing on an event committed without a wake
            UUID first = commitAsAnotherNode(tenantId);
            List<SseClient.Message> woken = List.of();
            for (int attempt = 0; attempt < 20 && woken.isEmpty(); attempt++) {
                otherNode.publish("events");
                woken = stream.take(1, Duration.ofMillis(500));
            }
            assertThat(woken).as("a signal reached this node within 10 s").hasSize(1);
            assertThat(woken.getFirst().data().get("id").asString()).isEqualTo(first.toString());

            UUID second = commitAsAnotherNode(tenantId);
            assertThat(stream.take(1, Duration.ofMillis(1500)))
                    .as("without a signal the event waits for the minute's poll")
                    .isEmpty();
            otherNode.publish("events");
            List<SseClient.Message> signalled = stream.take(1, Duration.ofSeconds(2));
            assertThat(signalled).hasSize(1);
            assertThat(signalled.getFirst().data().get("id").asString()).isEqualTo(second.toString());
        } finally {
            otherNode.destroy();
            redis.destroy();
        }
    }

    /** An event written into the log in a transaction of its own, as another node writes one. */
    private UUID commitAsAnotherNode(String tenantId) throws Exception {
        UUID id = UUID.randomUUID();
        try (Connection connection = DriverManager.getConnection(databaseUrl);
                PreparedStatement insert =
                        connection.prepareStatement("insert into event (id, tenant_id, type, source, time, data)"
                                + " values (?, ?, 'sextant.asset.registered', '/assets', now(), '{}'::jsonb)")) {
            insert.setObject(1, id);
            insert.setObject(2, UUID.fromString(tenantId));
            insert.executeUpdate();
        }
        return id;
    }
}
