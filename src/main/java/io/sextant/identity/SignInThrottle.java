package io.sextant.identity;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import io.sextant.shared.problem.Throttled;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

/**
 * Slows down password and client-secret guessing: failed attempts are counted per name (a username
 * or client id) and per client address; from the Nth failure on each one locks that name or address
 * out, for twice as long as the one before, up to a maximum. During a lockout every attempt is
 * refused with a 429 before any password is checked, so guessing gains nothing, and the attempt is
 * not counted. A success clears the name's count (not the address's, which an attacker holding one
 * account could otherwise keep clearing). Counts live in this process, bounded in number and
 * forgotten some time after their last failure.
 */
@Component
public class SignInThrottle {

    private final IdentityProperties.SignInThrottle settings;
    private final Clock clock;
    private final Cache<String, Failures> names;
    private final Cache<String, Failures> addresses;

    SignInThrottle(IdentityProperties properties, Clock clock) {
        this.settings = properties.signInThrottle();
        this.clock = clock;
        this.names = newCache();
        this.addresses = newCache();
    }

    /** Refuses ({@code Throttled}, with when to retry) while the name or the address is locked out. */
    void check(@Nullable String name, String address) {
        Duration wait = lockout(name, address);
        if (wait.isPositive()) {
            throw Throttled.signIn(
                    "too many failed sign-in attempts; retry after " + seconds(wait) + " s",
                    Duration.ofSeconds(seconds(wait)));
        }
    }

    /** How long the name or the address is still locked out; zero if neither is. */
    public Duration lockout(@Nullable String name, String address) {
        Instant now = clock.instant();
        Duration byAddress = remaining(addresses.getIfPresent(address), now);
        Duration byName = name == null ? Duration.ZERO : remaining(names.getIfPresent(name), now);
        return byAddress.compareTo(byName) >= 0 ? byAddress : byName;
    }

    /** Whole seconds, rounded up: what {@code Retry-After} says. */
    public static long seconds(Duration wait) {
        return Math.max(1, (wait.toMillis() + 999) / 1000);
    }

    public void failed(@Nullable String name, String address) {
        Instant now = clock.instant();
        addresses.asMap().compute(address, (key, failures) -> next(failures, settings.failuresPerAddress(), now));
        if (name != null) {
            names.asMap().compute(name, (key, failures) -> next(failures, settings.failuresPerName(), now));
        }
    }

    public void succeeded(String name) {
        names.invalidate(name);
    }

    private Failures next(@Nullable Failures previous, int threshold, Instant now) {
        int count = previous == null ? 1 : previous.count() + 1;
        Instant lockedUntil = now;
        if (count >= threshold) {
            // 1, 2, 4, ... times the initial lockout; the shift is capped long before it could overflow.
            Duration lockout = settings.initialLockout().multipliedBy(1L << Math.min(count - threshold, 30));
            lockedUntil = now.plus(lockout.compareTo(settings.maxLockout()) > 0 ? settings.maxLockout() : lockout);
        }
        return new Failures(count, lockedUntil);
    }

    private static Duration remaining(@Nullable Failures failures, Instant now) {
        return failures == null || !failures.lockedUntil().isAfter(now)
                ? Duration.ZERO
                : Duration.between(now, failures.lockedUntil());
    }

    private Cache<String, Failures> newCache() {
        return Caffeine.newBuilder()
                .maximumSize(settings.maxTracked())
                .expireAfter(new Expiry<String, Failures>() {
                    @Override
                    public long expireAfterCreate(String key, Failures value, long currentTime) {
                        return untilForgotten(value);
                    }

                    @Override
                    public long expireAfterUpdate(String key, Failures value, long currentTime, long currentDuration) {
                        return untilForgotten(value);
                    }

                    @Override
                    public long expireAfterRead(String key, Failures value, long currentTime, long currentDuration) {
                        return currentDuration;
                    }
                })
                .build();
    }

    private long untilForgotten(Failures failures) {
        Duration left = Duration.between(clock.instant(), failures.lockedUntil().plus(settings.forgetAfter()));
        return Math.max(0, left.toNanos());
    }

    /** Consecutive failures of one name or address, and the end of its current lockout. */
    private record Failures(int count, Instant lockedUntil) {}
}
