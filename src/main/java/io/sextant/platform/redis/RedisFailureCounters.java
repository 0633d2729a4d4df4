package io.sextant.platform.redis;

import io.lettuce.core.ScriptOutputType;
import io.sextant.shared.FailureCounters;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;

/**
 * {@link FailureCounters} in Redis, shared by every node: one hash per key ({@code
 * <prefix>failures:<key>}, fields {@code count} and {@code until} in epoch milliseconds) whose expiry
 * is pushed out by every change and never pulled in. Each change is one script, so two nodes counting
 * the same key at once both count. A command that fails or outlasts {@link
 * PlatformRedis#COMMAND_TIMEOUT} throws; the caller falls back on its own memory.
 */
final class RedisFailureCounters implements FailureCounters {

    // KEYS[1] the hash; ARGV[1] keep (ms). Returns the new count.
    private static final String INCREMENT = """
            local count = redis.call('HINCRBY', KEYS[1], 'count', 1)
            if redis.call('PTTL', KEYS[1]) < tonumber(ARGV[1]) then
              redis.call('PEXPIRE', KEYS[1], ARGV[1])
            end
            return count""";

    // KEYS[1] the hash; ARGV[1] until (epoch ms); ARGV[2] keep from now (ms).
    private static final String LOCK = """
            local current = tonumber(redis.call('HGET', KEYS[1], 'until') or '0')
            if tonumber(ARGV[1]) > current then
              redis.call('HSET', KEYS[1], 'until', ARGV[1])
            end
            if redis.call('PTTL', KEYS[1]) < tonumber(ARGV[2]) then
              redis.call('PEXPIRE', KEYS[1], ARGV[2])
            end
            return 1""";

    private final PlatformRedis redis;
    private final String prefix;

    RedisFailureCounters(PlatformRedis redis) {
        this.redis = redis;
        this.prefix = redis.keyPrefix() + "failures:";
    }

    @Override
    public boolean shared() {
        return true;
    }

    @Override
    public long increment(String key, Duration keep) {
        Long count = redis.connection()
                .sync()
                .eval(INCREMENT, ScriptOutputType.INTEGER, new byte[][] {bytes(prefix + key)}, bytes(millis(keep)));
        return count == null ? 1 : count;
    }

    @Override
    public void lock(String key, Instant until, Duration keep) {
        redis.connection()
                .sync()
                .eval(
                        LOCK,
                        ScriptOutputType.INTEGER,
                        new byte[][] {bytes(prefix + key)},
                        bytes(Long.toString(until.toEpochMilli())),
                        bytes(millis(keep)));
    }

    @Override
    public Instant lockedUntil(String key) {
        byte[] until = redis.connection().sync().hget(bytes(prefix + key), bytes("until"));
        return until == null
                ? Instant.EPOCH
                : Instant.ofEpochMilli(Long.parseLong(new String(until, StandardCharsets.UTF_8)));
    }

    @Override
    public void clear(String key) {
        redis.connection().sync().del(bytes(prefix + key));
    }

    private static String millis(Duration duration) {
        return Long.toString(Math.max(1, duration.toMillis()));
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
