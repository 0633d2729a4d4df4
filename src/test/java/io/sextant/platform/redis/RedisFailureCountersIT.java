package io.sextant.platform.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.sextant.testing.TestRedis;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The failure counters in a real Redis, as two nodes see them: two stores (two connections, as two
 * processes have) on one Redis count one key together, a later lock stands against an earlier one,
 * keys are forgotten when their keep runs out, and a store whose Redis is down fails fast.
 */
class RedisFailureCountersIT {

    private final String prefix = "test-failures-" + UUID.randomUUID() + ":";
    private final PlatformRedis one = connected(TestRedis.url());
    private final PlatformRedis two = connected(TestRedis.url());

    @AfterEach
    void close() throws Exception {
        one.destroy();
        two.destroy();
    }

    private PlatformRedis connected(String url) {
        PlatformRedis redis = new PlatformRedis(url, prefix);
        await().atMost(Duration.ofSeconds(10)).until(redis::ping);
        return redis;
    }

    @Test
    void two_nodes_count_one_key_together_and_see_each_others_lock() {
        RedisFailureCounters nodeA = new RedisFailureCounters(one);
        RedisFailureCounters nodeB = new RedisFailureCounters(two);

        assertThat(nodeA.increment("sign-in:name:alice", Duration.ofMinutes(1))).isEqualTo(1);
        assertThat(nodeB.increment("sign-in:name:alice", Duration.ofMinutes(1))).isEqualTo(2);
        assertThat(nodeA.increment("sign-in:name:alice", Duration.ofMinutes(1))).isEqualTo(3);
        assertThat(nodeB.increment("sign-in:name:bob", Duration.ofMinutes(1))).isEqualTo(1);

        Instant later = Instant.now().plusSeconds(60).truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
        nodeA.lock("sign-in:name:alice", later, Duration.ofMinutes(5));
        nodeB.lock("sign-in:name:alice", later.minusSeconds(30), Duration.ofMinutes(5));
        assertThat(nodeB.lockedUntil("sign-in:name:alice")).isEqualTo(later);
        assertThat(nodeA.lockedUntil("sign-in:name:bob")).isEqualTo(Instant.EPOCH);

        nodeB.clear("sign-in:name:alice");
        assertThat(nodeA.lockedUntil("sign-in:name:alice")).isEqualTo(Instant.EPOCH);
        assertThat(nodeA.increment("sign-in:name:alice", Duration.ofMinutes(1))).isEqualTo(1);
    }

    @Test
    void a_key_is_forgotten_when_its_keep_runs_out_and_a_lock_keeps_it_longer() throws InterruptedException {
        RedisFailureCounters counters = new RedisFailureCounters(one);
        assertThat(counters.increment("short", Duration.ofMillis(300))).isEqualTo(1);
        assertThat(counters.increment("locked", Duration.ofMillis(300))).isEqualTo(1);
        Instant until = Instant.now().plusSeconds(60).truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
        counters.lock("locked", until, Duration.ofSeconds(60));

        Thread.sleep(800);

        assertThat(counters.increment("short", Duration.ofMinutes(1)))
                .as("forgotten, counted afresh")
                .isEqualTo(1);
        assertThat(counters.lockedUntil("locked")).isEqualTo(until);
        assertThat(counters.increment("locked", Duration.ofMillis(300))).isEqualTo(2);
    }

    @Test
    void a_store_whose_redis_is_down_fails_at_once() throws Exception {
        PlatformRedis down = new PlatformRedis("redis://127.0.0.1:" + TestRedis.freePort(), prefix);
        try {
            RedisFailureCounters counters = new RedisFailureCounters(down);
            long started = System.nanoTime();
            assertThatThrownBy(() -> counters.increment("sign-in:name:alice", Duration.ofMinutes(1)))
                    .isInstanceOf(RuntimeException.class);
            assertThatThrownBy(() -> counters.lockedUntil("sign-in:name:alice")).isInstanceOf(RuntimeException.class);
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(2));
        } finally {
            down.destroy();
        }
    }
}
