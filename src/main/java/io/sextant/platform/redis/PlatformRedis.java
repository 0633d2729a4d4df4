package io.sextant.platform.redis;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisConnectionException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.protocol.CommandType;
import io.lettuce.core.protocol.ProtocolKeyword;
import io.lettuce.core.protocol.RedisCommand;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;

/**
 * The Redis connection of the platform's own features (rate limits shared across nodes, cluster
 * signals, the health check) when {@code SEXTANT_REDIS_URL} is set. It is opened in the background
 * — at start, and again after a failed attempt, at most every {@link #RECONNECT_PAUSE} — so neither
 * Sextant's start nor a caller ever waits for Redis to answer a connect; once open, Lettuce reconnects
 * it by itself. While it is not connected {@link #connection()} fails at once and a command is
 * rejected at once (not queued), and a command on a live connection gives up after {@link
 * #COMMAND_TIMEOUT}: a caller that can do without Redis falls back rather than holding a request or
 * a commit.
 */
public final class PlatformRedis implements DisposableBean {

    /** How long one command may take before its caller falls back. */
    public static final Duration COMMAND_TIMEOUT = Duration.ofMillis(500);

    /**
     * The longest {@code BLOCK} a caller may ask of a stream read: such a read may take this long
     * plus {@link #COMMAND_TIMEOUT} (a read that timed out on the client would leave what Redis
     * handed it unread until it is reclaimed).
     */
    public static final Duration LONGEST_BLOCK = Duration.ofSeconds(2);

    static final Duration RECONNECT_PAUSE = Duration.ofSeconds(2);

    private static final Logger log = LoggerFactory.getLogger(PlatformRedis.class);

    private final RedisURI uri;
    private final String keyPrefix;
    private final RedisClient client;
    private final AtomicBoolean connecting = new AtomicBoolean();
    private volatile @Nullable StatefulRedisConnection<byte[], byte[]> connection;
    private volatile boolean closed;

    public PlatformRedis(String url, String keyPrefix) {
        this.uri = RedisURI.create(url);
        this.uri.setTimeout(COMMAND_TIMEOUT);
        this.keyPrefix = keyPrefix;
        this.client = RedisClient.create(uri);
        this.client.setOptions(ClientOptions.builder()
                .autoReconnect(true)
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .timeoutOptions(TimeoutOptions.builder()
                        .timeoutSource(new BlockingReadsWaitLonger())
                        .build())
                .socketOptions(
                        SocketOptions.builder().connectTimeout(COMMAND_TIMEOUT).build())
                .build());
        connectInBackground();
    }

    /** What every key Sextant writes starts with ({@code SEXTANT_REDIS_KEY_PREFIX}). */
    public String keyPrefix() {
        return keyPrefix;
    }

    /**
     * The shared connection (thread-safe); {@link RedisConnectionException} at once while it is not
     * open yet (a connect is then under way in the background).
     */
    public StatefulRedisConnection<byte[], byte[]> connection() {
        StatefulRedisConnection<byte[], byte[]> current = connection;
        if (current != null) {
            return current;
        }
        connectInBackground();
        throw new RedisConnectionException("not connected to Redis at " + address() + " (yet)");
    }

    private void connectInBackground() {
        if (closed || !connecting.compareAndSet(false, true)) {
            return;
        }
        Thread.ofVirtual().name("redis-connect").start(() -> {
            try {
                connection = client.connect(ByteArrayCodec.INSTANCE);
                log.info("Connected to Redis at {}", address());
            } catch (RuntimeException e) {
                log.debug("Redis at {} not reached: {}", address(), e.toString());
                try {
                    Thread.sleep(RECONNECT_PAUSE.toMillis());
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                }
            } finally {
                connecting.set(false);
            }
        });
    }

    /**
     * A pub/sub connection of its own, on the same client and options; a blocking connect that
     * throws when Redis cannot be reached (call it off the request path).
     */
    StatefulRedisPubSubConnection<String, String> connectPubSub() {
        return client.connectPubSub();
    }

    /**
     * A connection of its own with {@code codec}, on the same client and options (reconnecting by
     * itself, rejecting commands while disconnected, {@link #COMMAND_TIMEOUT}): for a feature that
     * needs its own encoding or issues blocking reads. A blocking connect that throws when Redis
     * cannot be reached; call it off the request path.
     */
    public <K, V> StatefulRedisConnection<K, V> connect(RedisCodec<K, V> codec) {
        return client.connect(codec);
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

    /** {@link #COMMAND_TIMEOUT} for every command but stream reads, which may block. */
    private static final class BlockingReadsWaitLonger extends TimeoutOptions.TimeoutSource {

        @Override
        public long getTimeout(RedisCommand<?, ?, ?> command) {
            ProtocolKeyword type = command.getType();
            boolean blockingRead = type == CommandType.XREADGROUP || type == CommandType.XREAD;
            return (blockingRead ? LONGEST_BLOCK.plus(COMMAND_TIMEOUT) : COMMAND_TIMEOUT).toMillis();
        }

        @Override
        public TimeUnit getTimeUnit() {
            return TimeUnit.MILLISECONDS;
        }
    }

    @Override
    public void destroy() {
        closed = true;
        StatefulRedisConnection<byte[], byte[]> current = connection;
        if (current != null) {
            current.close();
        }
        client.shutdown(0, 2, TimeUnit.SECONDS);
    }
}
