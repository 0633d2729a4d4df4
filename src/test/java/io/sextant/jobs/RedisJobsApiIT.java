package io.sextant.jobs;

import io.sextant.testing.TestRedis;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

/** The jobs API on the Redis store: the same visibility, filters, pages, counts and retry as on PostgreSQL. */
@TestPropertySource(properties = "sextant.jobs.backend=redis")
class RedisJobsApiIT extends JobsApiIT {

    private static final String PREFIX = TestRedis.prefix("jobs-api");

    @DynamicPropertySource
    static void redis(DynamicPropertyRegistry registry) {
        registry.add("sextant.redis.url", TestRedis::url);
        registry.add("sextant.redis.key-prefix", () -> PREFIX);
    }
}
