package io.sextant.delivery.redis;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The Redis server Sextant may use.
 *
 * @param url a Redis URI ({@code redis://host:6379/0}, {@code rediss://…} for TLS); empty: no Redis,
 *     and Redis-backed features are unavailable ({@code SEXTANT_REDIS_URL})
 */
@ConfigurationProperties("sextant.redis")
public record RedisProperties(@DefaultValue("") String url) {

    public boolean configured() {
        return !url.isBlank();
    }
}
