package io.sextant.platform.redis;

import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.sextant.shared.ClusterSignals;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;

/**
 * {@link ClusterSignals} over Redis pub/sub: a topic is the channel {@code <prefix>signal:<topic>},
 * and a message names the node that sent it, so that a node is not signalled by itself. Publishing
 * goes over the platform's connection, asynchronously, and a failure is dropped (a signal is a
 * hint). Receiving uses a pub/sub connection on the platform's client, opened by a daemon thread
 * that retries until Redis answers; Lettuce then reconnects it and subscribes again by itself.
 */
final class RedisClusterSignals implements ClusterSignals, DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(RedisClusterSignals.class);

    private final PlatformRedis redis;
    private final String node = UUID.randomUUID().toString();
    private final Map<String, List<Runnable>> receivers = new ConcurrentHashMap<>();
    private volatile @Nullable StatefulRedisPubSubConnection<String, String> subscriptions;
    private volatile boolean closed;

    RedisClusterSignals(PlatformRedis redis) {
        this.redis = redis;
    }

    @Override
    public void publish(String topic) {
        try {
            redis.connection()
                    .async()
                    .publish(channel(topic).getBytes(StandardCharsets.UTF_8), node.getBytes(StandardCharsets.UTF_8));
        } catch (RuntimeException e) {
            log.debug("signal {} not published: {}", topic, e.toString());
        }
    }

    @Override
    public synchronized void subscribe(String topic, Runnable receiver) {
        boolean first = receivers.isEmpty();
        receivers
                .computeIfAbsent(channel(topic), c -> new CopyOnWriteArrayList<>())
                .add(receiver);
        StatefulRedisPubSubConnection<String, String> connection = subscriptions;
        if (connection != null) {
            connection.async().subscribe(channel(topic));
        } else if (first) {
            Thread.ofPlatform().daemon().name("redis-signals").start(this::connect);
        }
    }

    private void connect() {
        while (!closed) {
            try {
                StatefulRedisPubSubConnection<String, String> connection = redis.connectPubSub();
                connection.addListener(new RedisPubSubAdapter<>() {
                    @Override
                    public void message(String channel, String sender) {
                        if (!node.equals(sender)) {
                            receivers.getOrDefault(channel, List.of()).forEach(Runnable::run);
                        }
                    }
                });
                synchronized (this) {
                    subscriptions = connection;
                    connection.sync().subscribe(receivers.keySet().toArray(String[]::new));
                }
                log.info("Receiving signals from the other nodes through Redis at {}", redis.address());
                return;
            } catch (RuntimeException e) {
                log.debug("Redis signals not connected yet: {}", e.toString());
                try {
                    Thread.sleep(PlatformRedis.RECONNECT_PAUSE.toMillis());
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    private String channel(String topic) {
        return redis.keyPrefix() + "signal:" + topic;
    }

    @Override
    public synchronized void destroy() {
        closed = true;
        StatefulRedisPubSubConnection<String, String> connection = subscriptions;
        if (connection != null) {
            connection.close();
        }
    }
}
