package io.sextant.shared;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Lets a warning through at most once per interval for each key, and says how many were held back
 * in between: a device resending a bad message every few seconds must not flood the log.
 */
public final class WarningThrottle {

    private final long intervalNanos;
    private final LongSupplier nanoTime;
    private final Map<String, Window> windows = new ConcurrentHashMap<>();

    /** The last warning let through for a key, and the ones held back since. */
    private record Window(long loggedAt, long suppressed) {}

    public WarningThrottle(Duration interval, LongSupplier nanoTime) {
        this.intervalNanos = interval.toNanos();
        this.nanoTime = nanoTime;
    }

    /**
     * Whether to log a warning for {@code key} now: -1 if not (it is counted instead), else how
     * many were held back since the last one let through.
     */
    public long suppressedBefore(String key) {
        long now = nanoTime.getAsLong();
        long[] result = {-1};
        windows.compute(key, (k, window) -> {
            if (window == null || now - window.loggedAt() >= intervalNanos) {
                result[0] = window == null ? 0 : window.suppressed();
                return new Window(now, 0);
            }
            return new Window(window.loggedAt(), window.suppressed() + 1);
        });
        return result[0];
    }
}
