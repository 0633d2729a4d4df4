package io.sextant.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sextant.events.EventLog;
import io.sextant.events.NewEvent;
import io.sextant.shared.TenantContext;
import io.sextant.testing.ApiClient.Response;
import io.sextant.testing.SextantIT;
import io.sextant.testing.TestRedis;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;

/**
 * Base of the delivery integration tests: one shared context with Redis, loopback webhook targets
 * allowed, and a short retry schedule (200 ms then 400 ms: three attempts), so a dead letter takes
 * well under a second. Events are appended to the log the way producers do; the event relay hands
 * them to the dispatcher.
 */
@TestPropertySource(
        properties = {
            "sextant.delivery.webhook.allowed-networks=127.0.0.1/32",
            "sextant.delivery.webhook.retry-delays=200ms,400ms",
            "sextant.delivery.webhook.retry-jitter=0.1",
            "sextant.delivery.disable-after-dead-letters=2",
            "sextant.delivery.max-replay-events=20",
        })
abstract class DeliveryIT extends SextantIT {

    static final String SUBSCRIPTIONS = "/api/v1/subscriptions";
    static final Duration PATIENCE = Duration.ofSeconds(30);

    @Autowired
    EventLog eventLog;

    @Autowired
    TransactionTemplate transactions;

    private static final String REDIS_PREFIX = TestRedis.prefix("delivery");

    @DynamicPropertySource
    static void redis(DynamicPropertyRegistry registry) {
        registry.add("sextant.redis.url", TestRedis::url);
        registry.add("sextant.redis.key-prefix", () -> REDIS_PREFIX);
    }

    /** Appends one event to the tenant's log in a transaction of its own; returns its id. */
    UUID append(String tenantId, String type, @Nullable UUID assetId, Instant time) {
        UUID tenant = UUID.fromString(tenantId);
        return TenantContext.callAs(
                tenant,
                () -> transactions.execute(status -> eventLog.append(new NewEvent(
                        tenant,
                        type,
                        "/test",
                        assetId == null ? null : assetId.toString(),
                        time,
                        assetId,
                        null,
                        List.of(),
                        List.of(),
                        Map.of("note", "appended by a test")))));
    }

    JsonNode subscribe(String token, Map<String, Object> body) {
        Response response = api.post(SUBSCRIPTIONS).bearer(token).json(body).send();
        assertThat(response.status()).as(response.toString()).isEqualTo(201);
        return response.json();
    }

    JsonNode webhook(String token, String url, Map<String, Object> filter) {
        return subscribe(
                token,
                Map.of(
                        "name",
                        "hook " + UUID.randomUUID(),
                        "filter",
                        filter,
                        "channel",
                        Map.of("type", "webhook", "url", url, "timeoutMs", 2000)));
    }

    /** The subscription's delivery log (newest first), once {@code until} holds for it. */
    List<JsonNode> deliveries(String token, String subscriptionId, Predicate<List<JsonNode>> until) {
        return await().atMost(PATIENCE)
                .pollInterval(Duration.ofMillis(100))
                .until(() -> deliveries(token, subscriptionId), until);
    }

    List<JsonNode> deliveries(String token, String subscriptionId) {
        Response response = api.get(SUBSCRIPTIONS + "/" + subscriptionId + "/deliveries?limit=500")
                .bearer(token)
                .send();
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        return response.json().get("items").valueStream().toList();
    }

    static Predicate<List<JsonNode>> allFinal(int count) {
        return items -> items.size() == count
                && items.stream()
                        .allMatch(d -> List.of("delivered", "dead", "skipped")
                                .contains(d.get("status").asString()));
    }
}
