/**
 * The platform's own Redis connection and its health check, when Redis is configured; other
 * modules (jobs) open connections of their own through {@link io.sextant.platform.redis.PlatformRedis}.
 */
@NamedInterface("redis")
@NullMarked
package io.sextant.platform.redis;

import org.jspecify.annotations.NullMarked;
import org.springframework.modulith.NamedInterface;
