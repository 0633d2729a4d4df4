package io.sextant.identity;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import io.sextant.shared.FailureCounters;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * {@link FailureCounters} in this process: bounded in number ({@code max-tracked}), each key
 * forgotten when its keep runs out. The sign-in throttle's memory when no store is shared, and while
 * the shared one does not answer.
 */
final class LocalFailureCounters implements FailureCounters {

    private final Clock clock;
    private final Cache<String, Entry> entries;

    LocalFailureCounters(Clock clock, int maxTracked) {
        this.clock = clock;
        this.entries = Caffeine.newBuilder()
                .maximumSize(maxTracked)
                .expireAfter(new Expiry<String, Entry>() {
                    @Override
                    public long expireAfterCreate(String key, Entry value, long currentTime) {
                        return untilForgotten(value);
                    }

                    @Override
                    public long expireAfterUpdate(String key, Entry value, long currentTime, long currentDuration) {
                        return untilForgotten(value);
                    }

                    @Override
                    public long expireAfterRead(String key, Entry value, long currentTime, long currentDuration) {
                        return currentDuration;
                    }
                })
                .build();
    }

    @Override
    public boolean shared() {
        return false;
    }

    @Override
    public long increment(String key, Duration keep) {
        Instant now = clock.instant();
        Entry entry = entries.asMap()
                .compute(
                        key,
                        (k, previous) -> previous == null
                                ? new Entry(1, Instant.EPOCH, now.plus(keep))
                                : new Entry(
                                        previous.count() + 1,
                                        previous.until(),
                                        later(previous.forgetAt(), now.plus(keep))));
        return entry == null ? 1 : entry.count();
    }

    @Override
    public void lock(String key, Instant until, Duration keep) {
        Instant now = clock.instant();
        entries.asMap()
                .compute(
                        key,
                        (k, previous) -> previous == null
                                ? new Entry(0, until, now.plus(keep))
                                : new Entry(
                                        previous.count(),
                                        later(previous.until(), until),
                                        later(previous.forgetAt(), now.plus(keep))));
    }

    @Override
    public Instant lockedUntil(String key) {
        @Nullable Entry entry = entries.getIfPresent(key);
        return entry == null ? Instant.EPOCH : entry.until();
    }

    @Override
    public void clear(String key) {
        entries.invalidate(key);
    }

    private long untilForgotten(Entry entry) {
        return Math.max(0, Duration.between(clock.instant(), entry.forgetAt()).toNanos());
    }

    private static Instant later(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }

    /** A key's failures, the end of its lock and when it is forgotten. */
    private record Entry(long count, Instant until, Instant forgetAt) {}
}
