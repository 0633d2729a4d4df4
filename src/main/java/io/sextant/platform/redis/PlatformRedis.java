package io.sextant.platform.redis;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.DisposableBean;

/**
 * The Redis connection of the platform's own features (rate limits shared across nodes, the health
 * check) when {@code SEXTANT_REDIS_URL} is set. It is opened on first use, so Sextant starts while
 * Redis is down, and Lettuce reconnects it by itself. While it is disconnected a command fails at
 * once instead of waiting in Lettuce's queue, and a command on a live connection gives up after
 * {@link #COMMAND_TIMEOUT}: a caller that can do without Redis falls back rather than holding a
 * request. After a failed connect, the next attempt waits {@link #RECONNECT_PAUSE}.
 */
public final class PlatformRedis implements DisposableBean {

    /** How long one command may take before its caller falls back. */
    public static final Duration COMMAND_TIMEOUT = Duration.ofMillis(500);

    static final Duration RECONNECT_PAUSE = Duration.ofSeconds(2);

    private final RedisURI uri;
    private final String keyPrefix;
    private @Nullable RedisClient client;
    private @Nullable StatefulRedisConnection<byte[], byte[]> connection;
    private long nextAttemptNanos;

    public PlatformRedis(String url, String keyPrefix) {
        this.uri = RedisURI.create(url);
        this.uri.setTimeout(COMMAND_TIMEOUT);
        this.keyPrefix = keyPrefix;
    }

    /** What every key Sextant writes starts with ({@code SEXTANT_REDIS_KEY_PREFIX}). */
    public String keyPrefix() {
        return keyPrefix;
    }

    /**
     * The shared connection (thread-safe); {@link io.lettuce.core.RedisException} when Redis cannot
     * be reached now.
     */
    public synchronized StatefulRedisConnection<byte[], byte[]> connection() {
        StatefulRedisConnection<byte[], byte[]> current = connection;
        if (current != null && current.isOpen()) {
            return current;
        }
        if (System.nanoTime() - nextAttemptNanos < 0) {
            throw new io.lettuce.core.RedisConnectionException("Redis at " + uri + " was unreachable a moment ago");
        }
        RedisClient redis = client;
        if (redis == null) {
            redis = RedisClient.create(uri);
            redis.setOptions(ClientOptions.builder()
                    .autoReconnect(true)
                    .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                    .timeoutOptions(TimeoutOptions.enabled(COMMAND_TIMEOUT))
                    .build());
            client = redis;
        }
        try {
            current = redis.connect(ByteArrayCodec.INSTANCE);
        } catch (RuntimeException e) {
            nextAttemptNanos = System.nanoTime() + RECONNECT_PAUSE.toNanos();
            throw e;
        }
        connection = current;
        return current;
    }

    /** Whether Redis answers a PING now. */
    public boolean ping() {
        try {
            return "PONG".equals(connection().sync().ping());
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** The server's address, for logs and health details (no password). */
    public String address() {
        return uri.getHost() + ":" + uri.getPort();
    }

    @Override
    public synchronized void destroy() {
        if (connection != null) {
            connection.close();
        }
        if (client != null) {
            client.shutdown(0, 2, TimeUnit.SECONDS);
        }
    }
}
