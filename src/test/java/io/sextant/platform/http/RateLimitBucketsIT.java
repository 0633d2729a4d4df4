package io.sextant.platform.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.RedisClient;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.sextant.platform.redis.PlatformRedis;
import io.sextant.testing.TestRedis;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import redis.embedded.RedisServer;

/**
 * Rate-limit buckets in a real Redis: two nodes draw on one bucket per key, and a node whose Redis
 * is gone decides on its own bucket, at once, and shares again when Redis is back.
 */
class RateLimitBucketsIT {

    /** Five requests at once, then one a second. */
    private static final HttpProperties.RateLimit FIVE = new HttpProperties.RateLimit(true, 5, 1);

    private final String prefix = "test-" + UUID.randomUUID() + ":";
    private final List<PlatformRedis> opened = new ArrayList<>();

    @AfterEach
    void cleanUp() throws Exception {
        opened.forEach(PlatformRedis::destroy);
        RedisClient client = RedisClient.create(TestRedis.url());
        try (StatefulRedisConnection<String, String> connection = client.connect()) {
            List<String> keys = connection
                    .sync()
                    .scan(ScanArgs.Builder.matches(prefix + "*"))
                    .getKeys();
            if (!keys.isEmpty()) {
                connection.sync().del(keys.toArray(String[]::new));
            }
        } finally {
            client.shutdown();
        }
    }

    @Test
    void two_nodes_draw_on_one_bucket_per_key() {
        RateLimitBuckets nodeA = shared(TestRedis.url());
        RateLimitBuckets nodeB = shared(TestRedis.url());

        assertThat(IntStream.range(0, 3).allMatch(i -> nodeA.consume("user:1").isConsumed()))
                .isTrue();
        assertThat(IntStream.range(0, 2).allMatch(i -> nodeB.consume("user:1").isConsumed()))
                .isTrue();
        assertThat(nodeB.consume("user:1").isConsumed())
                .as("the sixth, on either node")
                .isFalse();
        assertThat(nodeA.consume("user:1").isConsumed()).isFalse();
        assertThat(nodeA.consume("user:2").isConsumed())
                .as("another key, its own bucket")
                .isTrue();

        // Buckets per process would have let each node take the key's whole burst.
        RateLimitBuckets alone = RateLimitBuckets.inProcess(FIVE);
        assertThat(IntStream.range(0, 5).allMatch(i -> alone.consume("user:1").isConsumed()))
                .isTrue();
    }

    @Test
    void a_node_decides_on_its_own_while_redis_is_down_and_shares_again_when_it_is_back() throws IOException {
        int port = TestRedis.freePort();
        RedisServer server = TestRedis.server(port);
        server.start();
        try {
            SimpleMeterRegistry meters = new SimpleMeterRegistry();
            RateLimitBuckets node = shared("redis://127.0.0.1:" + port, meters);
            SimpleMeterRegistry otherMeters = new SimpleMeterRegistry();
            RateLimitBuckets other = shared("redis://127.0.0.1:" + port, otherMeters);
            assertThat(IntStream.range(0, 5)
                            .allMatch(i -> other.consume("user:1").isConsumed()))
                    .isTrue();
            assertThat(node.consume("user:1").isConsumed())
                    .as("the other node took the burst")
                    .isFalse();

            server.stop();
            long started = System.nanoTime();
            // This node's own bucket: a full burst, then refusals; never an error, never a wait
            // for Redis's command timeout on each request.
            assertThat(IntStream.range(0, 5)
                            .allMatch(i -> node.consume("user:1").isConsumed()))
                    .isTrue();
            assertThat(node.consume("user:1").isConsumed()).isFalse();
            assertThat((System.nanoTime() - started) / 1_000_000)
                    .as("six decisions without Redis, in ms")
                    .isLessThan(6 * PlatformRedis.COMMAND_TIMEOUT.toMillis());
            assertThat(meters.counter("sextant.http.rate_limit.fallbacks").count())
                    .isEqualTo(6);

            server.start();
            // Lettuce reconnects by itself; the buckets are shared again (the server restarted
            // empty, so the key's bucket is new and full) once both nodes have reconnected — each
            // on its own schedule, so each is waited for.
            awaitShared(node, meters);
            awaitShared(other, otherMeters);
            assertThat(IntStream.range(0, 5)
                            .allMatch(i -> other.consume("user:3").isConsumed()))
                    .isTrue();
            assertThat(node.consume("user:3").isConsumed()).as("shared again").isFalse();
        } finally {
            server.stop();
        }
    }

    /** Until a decision of {@code buckets} is taken in Redis again, not by its own fallback bucket. */
    private static void awaitShared(RateLimitBuckets buckets, SimpleMeterRegistry meters) {
        org.awaitility.Awaitility.await()
                .atMost(java.time.Duration.ofSeconds(30))
                .until(() -> {
                    double before =
                            meters.counter("sextant.http.rate_limit.fallbacks").count();
                    buckets.consume("user:back");
                    return meters.counter("sextant.http.rate_limit.fallbacks").count() == before;
                });
    }

    private RateLimitBuckets shared(String url) {
        return shared(url, new SimpleMeterRegistry());
    }

    private RateLimitBuckets shared(String url, SimpleMeterRegistry meters) {
        PlatformRedis redis = new PlatformRedis(url, prefix);
        opened.add(redis);
        // it connects in the background, and decides alone until it has
        org.awaitility.Awaitility.await()
                .atMost(java.time.Duration.ofSeconds(10))
                .until(redis::ping);
        return RateLimitBuckets.shared(FIVE, redis, meters);
    }
}
