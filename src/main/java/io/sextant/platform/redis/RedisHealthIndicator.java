package io.sextant.platform.redis;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * {@code redis} in {@code /actuator/health} when Redis is configured: up when it answers a PING
 * within {@link PlatformRedis#COMMAND_TIMEOUT}. It is not part of readiness: without Redis a node
 * still accepts and serves requests (rate limits fall back to per-node buckets), so it stays in
 * rotation while the health endpoint shows the degradation.
 */
final class RedisHealthIndicator implements HealthIndicator {

    private final PlatformRedis redis;

    RedisHealthIndicator(PlatformRedis redis) {
        this.redis = redis;
    }

    @Override
    public Health health() {
        return redis.ping()
                ? Health.up().withDetail("address", redis.address()).build()
                : Health.down()
                        .withDetail("address", redis.address())
                        .withDetail("effect", "rate limits are per node until Redis answers again")
                        .build();
    }
}
