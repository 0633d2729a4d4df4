package io.sextant.platform.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.sextant.testing.ApiClient.Response;
import io.sextant.testing.PackagedJar;
import io.sextant.testing.SextantIT;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * Redis configured but not there (nothing listens on its port): the service starts, serves and rate
 * limits requests on its own buckets without waiting on Redis, stays ready, and its health shows
 * Redis down.
 */
class RedisDownIT extends SextantIT {

    @DynamicPropertySource
    static void redis(DynamicPropertyRegistry registry) {
        int nobody = PackagedJar.freePort();
        registry.add("sextant.redis.url", () -> "redis://127.0.0.1:" + nobody);
    }

    @Test
    void requests_are_served_and_limited_by_the_node_while_health_shows_redis_down() {
        for (int i = 0; i < 20; i++) {
            Response response = api.get("/api/v1/assets").bearer(adminToken).send();
            assertThat(response.status()).as(response.toString()).isEqualTo(200);
            assertThat(response.header("RateLimit-Limit"))
                    .as("the node's own bucket answers")
                    .isNotNull();
        }

        Response readiness = api.get("/actuator/health/readiness").send();
        assertThat(readiness.status()).as(readiness.toString()).isEqualTo(200);

        Response health = api.get("/actuator/health").send();
        JsonNode redis = health.json().path("components").path("redis");
        assertThat(redis.path("status").asString()).as(health.toString()).isEqualTo("DOWN");
    }
}
