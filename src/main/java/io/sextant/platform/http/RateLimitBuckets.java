package io.sextant.platform.http;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.distributed.ExpirationAfterWriteStrategy;
import io.github.bucket4j.distributed.proxy.ProxyManager;
import io.github.bucket4j.redis.lettuce.Bucket4jLettuce;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.sextant.platform.redis.PlatformRedis;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The token buckets of the rate limit, one per key (a principal, or a client address): in this
 * process, or in Redis and so shared by every node. A shared bucket is a Bucket4j proxy over Lettuce
 * (one compare-and-swap round trip per request); when Redis does not answer within {@link
 * PlatformRedis#COMMAND_TIMEOUT} — or is known to be down — the request is decided by this node's
 * bucket for the key instead (each node then allows the whole rate: the limit loosens, requests are
 * never refused or held because Redis is away), counted in {@code
 * sextant.http.rate_limit.fallbacks} and logged at most once a minute.
 */
abstract sealed class RateLimitBuckets {

    private static final Logger log = LoggerFactory.getLogger(RateLimitBuckets.class);

    final BucketConfiguration configuration;
    private final Cache<String, io.github.bucket4j.Bucket> local = Caffeine.newBuilder()
            .expireAfterAccess(Duration.ofMinutes(10))
            .maximumSize(100_000)
            .build();

    RateLimitBuckets(HttpProperties.RateLimit settings) {
        this.configuration = BucketConfiguration.builder()
                .addLimit(Bandwidth.builder()
                        .capacity(settings.capacity())
                        .refillGreedy(settings.refillPerSecond(), Duration.ofSeconds(1))
                        .build())
                .build();
    }

    /** Takes one token from the key's bucket. */
    abstract ConsumptionProbe consume(String key);

    final ConsumptionProbe consumeLocally(String key) {
        return local.get(
                        key,
                        k -> io.github.bucket4j.Bucket.builder()
                                .addLimit(configuration.getBandwidths()[0])
                                .build())
                .tryConsumeAndReturnRemaining(1);
    }

    static RateLimitBuckets inProcess(HttpProperties.RateLimit settings) {
        return new InProcess(settings);
    }

    static RateLimitBuckets shared(HttpProperties.RateLimit settings, PlatformRedis redis, MeterRegistry meters) {
        return new Shared(settings, redis, meters);
    }

    /** Buckets in this process only (no Redis configured). */
    static final class InProcess extends RateLimitBuckets {

        InProcess(HttpProperties.RateLimit settings) {
            super(settings);
        }

        @Override
        ConsumptionProbe consume(String key) {
            return consumeLocally(key);
        }
    }

    /** Buckets in Redis, shared by every node, with this node's buckets while Redis is away. */
    static final class Shared extends RateLimitBuckets {

        private final PlatformRedis redis;
        private final String prefix;
        private final Counter fallbacks;
        private volatile @Nullable ProxyManager<byte[]> proxies;
        private volatile long lastWarningNanos =
                System.nanoTime() - Duration.ofMinutes(2).toNanos();

        Shared(HttpProperties.RateLimit settings, PlatformRedis redis, MeterRegistry meters) {
            super(settings);
            this.redis = redis;
            this.prefix = redis.keyPrefix() + "rate-limit:";
            this.fallbacks = Counter.builder("sextant.http.rate_limit.fallbacks")
                    .description("Requests whose rate limit was decided by this node because Redis did not answer")
                    .register(meters);
        }

        @Override
        ConsumptionProbe consume(String key) {
            try {
                return proxies()
                        .builder()
                        .build((prefix + key).getBytes(StandardCharsets.UTF_8), () -> configuration)
                        .tryConsumeAndReturnRemaining(1);
            } catch (RuntimeException e) {
                fallbacks.increment();
                long now = System.nanoTime();
                if (now - lastWarningNanos > Duration.ofMinutes(1).toNanos()) {
                    lastWarningNanos = now;
                    log.warn(
                            "Redis at {} did not answer a rate-limit check ({}): this node decides rate limits on"
                                    + " its own until it does (logged once a minute)",
                            redis.address(),
                            e.toString());
                }
                return consumeLocally(key);
            }
        }

        private ProxyManager<byte[]> proxies() {
            ProxyManager<byte[]> current = proxies;
            if (current == null) {
                synchronized (this) {
                    current = proxies;
                    if (current == null) {
                        current = Bucket4jLettuce.casBasedBuilder(redis.connection())
                                // a bucket's key lives until it would be full again, then Redis drops it
                                .expirationAfterWrite(ExpirationAfterWriteStrategy.basedOnTimeForRefillingBucketUpToMax(
                                        Duration.ofSeconds(10)))
                                .build();
                        proxies = current;
                    }
                }
            }
            return current;
        }
    }
}
