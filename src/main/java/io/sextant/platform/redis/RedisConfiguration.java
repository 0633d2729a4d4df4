package io.sextant.platform.redis;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Redis for the platform's features (and the cluster signals), only when {@code SEXTANT_REDIS_URL} is set. */
@Configuration(proxyBeanMethods = false)
@ConditionalOnExpression("!'${sextant.redis.url:}'.isBlank()")
class RedisConfiguration {

    @Bean
    PlatformRedis platformRedis(
            @Value("${sextant.redis.url}") String url, @Value("${sextant.redis.key-prefix:sextant:}") String prefix) {
        return new PlatformRedis(url, prefix);
    }

    @Bean
    RedisHealthIndicator redisHealthIndicator(PlatformRedis redis) {
        return new RedisHealthIndicator(redis);
    }
}
