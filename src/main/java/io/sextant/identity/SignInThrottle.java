package io.sextant.identity;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.sextant.shared.FailureCounters;
import io.sextant.shared.problem.Throttled;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Slows down password and client-secret guessing: failed attempts are counted per name (a username
 * or client id) and per client address; from the Nth failure on each one locks that name or address
 * out, for twice as long as the one before, up to a maximum. During a lockout every attempt is
 * refused with a 429 before any password is checked, so guessing gains nothing, and the attempt is
 * not counted. A success clears the name's count (not the address's, which an attacker holding one
 * account could otherwise keep clearing). A count is forgotten {@code forget-after} after its last
 * failure or lockout.
 *
 * <p>The counts are shared by every node through {@link FailureCounters} when Redis is configured,
 * so spreading guesses over the nodes does not multiply them; otherwise, and while Redis does not
 * answer, they live in this process (bounded by {@code max-tracked}) — a sign-in never fails
 * because Redis is away. Falling back is counted in {@code sextant.auth.sign_in_throttle.fallbacks}
 * and logged at most once a minute.
 */
@Component
public class SignInThrottle {

    private static final Logger log = LoggerFactory.getLogger(SignInThrottle.class);

    private final IdentityProperties.SignInThrottle settings;
    private final Clock clock;
    private final LocalFailureCounters local;
    private final @Nullable FailureCounters shared;
    private final Counter fallbacks;
    private final AtomicLong lastWarning =
            new AtomicLong(System.nanoTime() - Duration.ofMinutes(2).toNanos());

    SignInThrottle(IdentityProperties properties, Clock clock, FailureCounters counters, MeterRegistry meters) {
        this.settings = properties.signInThrottle();
        this.clock = clock;
        this.local = new LocalFailureCounters(clock, settings.maxTracked());
        this.shared = counters.shared() ? counters : null;
        this.fallbacks = Counter.builder("sextant.auth.sign_in_throttle.fallbacks")
                .description(
                        "Sign-in throttle checks and counts made in this node's memory because Redis did not answer")
                .register(meters);
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
        Duration byAddress = remaining(lockedUntil(addressKey(address)), now);
        Duration byName = name == null ? Duration.ZERO : remaining(lockedUntil(nameKey(name)), now);
        return byAddress.compareTo(byName) >= 0 ? byAddress : byName;
    }

    /** Whole seconds, rounded up: what {@code Retry-After} says. */
    public static long seconds(Duration wait) {
        return Math.max(1, (wait.toMillis() + 999) / 1000);
    }

    public void failed(@Nullable String name, String address) {
        fail(addressKey(address), settings.failuresPerAddress());
        if (name != null) {
            fail(nameKey(name), settings.failuresPerName());
        }
    }

    public void succeeded(String name) {
        String key = nameKey(name);
        local.clear(key);
        if (shared != null) {
            try {
                shared.clear(key);
            } catch (RuntimeException e) {
                fellBack(e);
            }
        }
    }

    private void fail(String key, int threshold) {
        FailureCounters counters = shared == null ? local : shared;
        try {
            count(counters, key, threshold);
        } catch (RuntimeException e) {
            fellBack(e);
            count(local, key, threshold);
        }
    }

    private void count(FailureCounters counters, String key, int threshold) {
        long count = counters.increment(key, settings.forgetAfter());
        if (count >= threshold) {
            // 1, 2, 4, ... times the initial lockout; the shift is capped long before it could overflow.
            Duration lockout = settings.initialLockout().multipliedBy(1L << Math.min(count - threshold, 30));
            Duration capped = lockout.compareTo(settings.maxLockout()) > 0 ? settings.maxLockout() : lockout;
            counters.lock(key, clock.instant().plus(capped), capped.plus(settings.forgetAfter()));
        }
    }

    /** The later of the shared lock and this node's own (kept while Redis was away). */
    private Instant lockedUntil(String key) {
        Instant own = local.lockedUntil(key);
        if (shared == null) {
            return own;
        }
        try {
            Instant everyone = shared.lockedUntil(key);
            return everyone.isAfter(own) ? everyone : own;
        } catch (RuntimeException e) {
            fellBack(e);
            return own;
        }
    }

    private void fellBack(RuntimeException e) {
        fallbacks.increment();
        long now = System.nanoTime();
        long last = lastWarning.get();
        if (now - last > Duration.ofMinutes(1).toNanos() && lastWarning.compareAndSet(last, now)) {
            log.warn(
                    "The shared sign-in throttle did not answer ({}): this node counts failed sign-ins on its own"
                            + " until it does (logged once a minute)",
                    e.toString());
        }
    }

    private static Duration remaining(Instant lockedUntil, Instant now) {
        return lockedUntil.isAfter(now) ? Duration.between(now, lockedUntil) : Duration.ZERO;
    }

    private static String nameKey(String name) {
        return "sign-in:name:" + name;
    }

    private static String addressKey(String address) {
        return "sign-in:address:" + address;
    }
}
