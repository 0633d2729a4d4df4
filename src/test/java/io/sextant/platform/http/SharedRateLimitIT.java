package io.sextant.platform.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.sextant.platform.redis.PlatformRedis;
import io.sextant.testing.ApiClient.Response;
import io.sextant.testing.SextantIT;
import io.sextant.testing.TestRedis;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * With Redis configured the service keeps its rate-limit buckets there: what one node spends, another
 * node sees (the other node here is a second set of shared buckets on the same Redis, as another
 * process would have), and the health endpoint shows Redis as a component of its own.
 */
@TestPropertySource(properties = {"sextant.http.rate-limit.capacity=5", "sextant.http.rate-limit.refill-per-second=1"})
class SharedRateLimitIT extends SextantIT {

    private static final String PREFIX = TestRedis.prefix("rate-limit");

    @DynamicPropertySource
    static void redis(DynamicPropertyRegistry registry) {
        registry.add("sextant.redis.url", TestRedis::url);
        registry.add("sextant.redis.key-prefix", () -> PREFIX);
    }

    @Test
    void a_burst_spent_on_this_node_is_spent_for_another_node_too() {
        Response created = api.post("/api/v1/api-keys")
                .bearer(adminToken)
                .json(Map.of("name", "shared", "permissions", List.of("assets:read")))
                .send();
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        String key = created.json().get("token").asString();
        // /me spends the first token and names the principal the bucket is kept for.
        String subject =
                api.get("/api/v1/me").bearer(key).send().json().get("subject").asString();

        PlatformRedis redis = new PlatformRedis(TestRedis.url(), PREFIX);
        try {
            org.awaitility.Awaitility.await()
                    .atMost(java.time.Duration.ofSeconds(10))
                    .until(redis::ping);
            RateLimitBuckets otherNode =
                    RateLimitBuckets.shared(new HttpProperties.RateLimit(true, 5, 1), redis, new SimpleMeterRegistry());
            assertThat(otherNode.consume(subject).isConsumed()).isTrue();
            assertThat(otherNode.consume(subject).isConsumed()).isTrue();

            // 5 - 1 (/me) - 2 (the other node): about two left here, refilled at one a second
            int served = 0;
            Response response;
            while ((response = api.get("/api/v1/assets").bearer(key).send()).status() == 200) {
                served++;
                assertThat(served).as("a 429 should have come").isLessThan(5);
            }
            assertThat(response.status()).as(response.toString()).isEqualTo(429);
            assertThat(served).isBetween(2, 4);
            assertThat(otherNode.consume(subject).isConsumed())
                    .as("what this node spent is spent for the other")
                    .isFalse();
        } finally {
            redis.destroy();
        }
    }

    @Test
    void the_health_endpoint_shows_redis() {
        Response health = api.get("/actuator/health").send();
        JsonNode redis = health.json().path("components").path("redis");
        assertThat(redis.path("status").asString()).as(health.toString()).isEqualTo("UP");
    }
}
