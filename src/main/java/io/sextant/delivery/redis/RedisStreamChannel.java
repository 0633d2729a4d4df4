package io.sextant.delivery.redis;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.XAddArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.sextant.delivery.AttemptOutcome;
import io.sextant.delivery.ChannelSpec;
import io.sextant.delivery.DeliveryChannel;
import io.sextant.events.CloudEventJson;
import io.sextant.events.Event;
import io.sextant.shared.problem.InvalidInput;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

/**
 * Appends each event to a Redis stream: {@code XADD <stream> MAXLEN ~ <maxLen> * id <event id> type
 * <type> tenant <tenant id> event <CloudEvents JSON>}. Readers use their own consumer groups; an
 * entry may appear twice (an attempt whose answer was lost is retried), so they deduplicate on
 * {@code id}. Without {@code SEXTANT_REDIS_URL} the channel refuses to be configured.
 */
@Component
public class RedisStreamChannel implements DeliveryChannel, DisposableBean {

    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(5);

    private final RedisProperties properties;
    private @Nullable RedisClient client;
    private @Nullable StatefulRedisConnection<String, String> connection;

    RedisStreamChannel(RedisProperties properties) {
        this.properties = properties;
    }

    @Override
    public String type() {
        return ChannelSpec.REDIS_STREAM;
    }

    @Override
    public void check(ChannelSpec spec) {
        if (!properties.configured()) {
            throw new InvalidInput(
                    "channel.type",
                    "Redis is not configured on this server (SEXTANT_REDIS_URL), so no redis-stream channel");
        }
    }

    @Override
    public AttemptOutcome deliver(Event event, ChannelSpec spec, @Nullable String secret) {
        ChannelSpec.RedisStream stream = (ChannelSpec.RedisStream) spec;
        long started = System.nanoTime();
        if (!properties.configured()) {
            return AttemptOutcome.failed(null, 0, "Redis is not configured on this server (SEXTANT_REDIS_URL)");
        }
        Map<String, String> entry = new LinkedHashMap<>();
        entry.put("id", event.id().toString());
        entry.put("type", event.type());
        entry.put("tenant", event.tenantId().toString());
        entry.put("event", CloudEventJson.render(event));
        try {
            connection()
                    .sync()
                    .xadd(
                            stream.stream(),
                            new XAddArgs().maxlen(stream.maxLen()).approximateTrimming(),
                            entry);
            return AttemptOutcome.delivered(null, millisSince(started));
        } catch (RuntimeException e) {
            return AttemptOutcome.failed(
                    null, millisSince(started), e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    /** One shared, thread-safe connection, opened on first use so Sextant starts while Redis is down. */
    private synchronized StatefulRedisConnection<String, String> connection() {
        StatefulRedisConnection<String, String> current = connection;
        if (current != null && current.isOpen()) {
            return current;
        }
        RedisClient redis = client;
        if (redis == null) {
            RedisURI uri = RedisURI.create(properties.url());
            uri.setTimeout(COMMAND_TIMEOUT);
            redis = RedisClient.create(uri);
            client = redis;
        }
        current = redis.connect();
        connection = current;
        return current;
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

    private static long millisSince(long startedNanos) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedNanos);
    }
}
