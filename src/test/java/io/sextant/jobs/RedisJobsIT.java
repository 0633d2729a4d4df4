package io.sextant.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.lettuce.core.RedisClient;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import io.sextant.platform.redis.PlatformRedis;
import io.sextant.testing.TestRedis;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

/** The job contract on the Redis store: Streams, a consumer group, Lua state changes. */
@TestPropertySource(properties = {"sextant.jobs.backend=redis", "sextant.jobs.visibility-timeout=1s"})
class RedisJobsIT extends JobContractIT {

    private static final String PREFIX = TestRedis.prefix("jobs");

    private static RedisClient client;
    private static StatefulRedisConnection<String, String> redis;

    @Autowired
    PlatformRedis platformRedis;

    @Autowired
    JobOutboxRepository outbox;

    @DynamicPropertySource
    static void redis(DynamicPropertyRegistry registry) {
        registry.add("sextant.redis.url", TestRedis::url);
        registry.add("sextant.redis.key-prefix", () -> PREFIX);
    }

    @BeforeAll
    static void connect() {
        client = RedisClient.create(TestRedis.url());
        redis = client.connect();
    }

    @AfterAll
    static void cleanUp() {
        var keys = redis.sync().keys(PREFIX + "*");
        if (!keys.isEmpty()) {
            redis.sync().del(keys.toArray(String[]::new));
        }
        redis.close();
        client.shutdown();
    }

    private String jobs() {
        return PREFIX + "jobs:";
    }

    @Test
    void a_due_job_read_by_a_worker_that_died_before_starting_it_is_reclaimed_and_runs_once() {
        UUID id = UUID.randomUUID();
        String ready = jobs() + "ready";
        // Queued for later (so no worker sees it yet), then made due and read at once by a worker that
        // dies, in one script, so no live worker can read it first (the script takes every undelivered
        // entry: recurring jobs are reclaimed along with it).
        ((RedisJobStore) repository)
                .enqueue(
                        List.of(id),
                        List.of(new NewJob(
                                TestJobHandlers.ECHO, null, "{}", Instant.now().plusSeconds(3600), null)),
                        List.of(1));
        redis.sync()
                .eval(
                        """
                        redis.call('ZREM', KEYS[3], ARGV[3])
                        redis.call('HSET', KEYS[1], 'runAt', ARGV[2])
                        redis.call('XADD', KEYS[2], '*', 'id', ARGV[3], 'kind', ARGV[1])
                        return redis.call('XREADGROUP', 'GROUP', 'workers', 'dead-worker', 'COUNT', 1000, 'STREAMS', KEYS[2], '>')
                        """,
                        ScriptOutputType.MULTI,
                        new String[] {jobs() + "job:" + id, ready, jobs() + "delayed"},
                        TestJobHandlers.ECHO,
                        Long.toString(Instant.now().toEpochMilli()),
                        id.toString());
        assertThat(redis.sync().xpending(ready, "workers").getCount()).isPositive();

        await().atMost(Duration.ofSeconds(10)).until(() -> TestJobHandlers.ran(id));
        await().atMost(Duration.ofSeconds(5))
                .until(() -> "succeeded".equals(row(id).status().id()));
        assertThat(TestJobHandlers.attempts(id)).hasSize(1);
        assertThat(row(id).attempt()).isEqualTo(1);
    }

    @Test
    void a_job_forwarded_from_the_outbox_twice_runs_once() {
        UUID id = UUID.randomUUID();
        NewJob job = new NewJob(TestJobHandlers.ECHO, null, "{}", Instant.now(), null);
        // A forwarder moved it to Redis, then failed to delete it from the outbox: it is forwarded again.
        ((RedisJobStore) repository).enqueue(List.of(id), List.of(job), List.of(1));
        outbox.insert(List.of(id), List.of(job), List.of(1));
        outbox.committed();

        await().atMost(Duration.ofSeconds(5))
                .until(() -> jdbc.sql("select count(*) from job_outbox where id = :id")
                                .param("id", id)
                                .query(Long.class)
                                .single()
                        == 0);
        await().atMost(Duration.ofSeconds(5))
                .until(() -> "succeeded".equals(row(id).status().id()));
        await().during(Duration.ofMillis(500))
                .atMost(Duration.ofSeconds(2))
                .until(() -> TestJobHandlers.attempts(id).size() == 1);
    }

    @Test
    void a_worker_takes_up_a_redis_that_lost_the_job_stream_and_its_consumer_group() {
        // A new Redis, or one emptied or restarted without persistence: no stream, no group.
        redis.sync().del(jobs() + "ready");

        // Reclaiming comes first in every poll: it must not fail for want of the group.
        assertThat(((RedisJobStore) repository).takeExpired("a-worker", 10)).isEmpty();
        UUID id = jobs.enqueue(new NewJob(TestJobHandlers.ECHO, null, "{}", Instant.now(), null));

        await().atMost(Duration.ofSeconds(10)).until(() -> TestJobHandlers.ran(id));
        await().atMost(Duration.ofSeconds(5))
                .until(() -> "succeeded".equals(row(id).status().id()));
    }

    @Override
    void forceLeaseIntoPast(UUID id) {
        long past = Instant.now().minusSeconds(1).toEpochMilli();
        redis.sync().hset(jobs() + "job:" + id, "deadline", Long.toString(past));
        redis.sync().zadd(jobs() + "leases", past, id.toString());
    }

    /** As the store leaves a finished job, with its finish time moved {@code ago} into the past. */
    @Override
    UUID insertFinished(String status, Duration ago) {
        UUID id = UUID.randomUUID();
        long finished = Instant.now().minus(ago).toEpochMilli();
        long seq = redis.sync().incr(jobs() + "seq");
        redis.sync()
                .hset(
                        jobs() + "job:" + id,
                        Map.of(
                                "kind", "test.finished",
                                "tenant", "",
                                "payload", "{}",
                                "status", status,
                                "attempt", "1",
                                "max", "1",
                                "okey", "",
                                "runAt", Long.toString(finished),
                                "createdAt", Long.toString(finished),
                                "finishedAt", Long.toString(finished)));
        redis.sync().hset(jobs() + "job:" + id, "seq", Long.toString(seq));
        redis.sync().zadd(jobs() + "list:system", seq, id.toString());
        redis.sync().zadd(jobs() + "list:system:" + status, seq, id.toString());
        redis.sync().hincrby(jobs() + "counts:system", "test.finished\t" + status, 1);
        redis.sync().zadd(jobs() + "finished:" + status, finished, id.toString());
        return id;
    }

    @Override
    long schedules(String kind) {
        return redis.sync().exists(jobs() + "schedule:" + kind);
    }

    @Override
    JobStore anotherNodesStore() {
        if (!(repository instanceof RedisJobStore)) {
            throw new AssertionError("expected the Redis store, the store is " + repository);
        }
        return new RedisJobStore(platformRedis, outbox, properties.visibilityTimeout());
    }

    @Override
    Map<String, String> backendProperties() {
        return Map.of(
                "sextant.jobs.backend",
                "redis",
                "sextant.redis.url",
                TestRedis.url(),
                "sextant.redis.key-prefix",
                TestRedis.prefix("jobs-restart"));
    }
}
