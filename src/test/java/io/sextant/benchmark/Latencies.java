package io.sextant.benchmark;

import java.util.Arrays;
import java.util.Locale;

/** Latency samples in nanoseconds, with nearest-rank percentiles. */
final class Latencies {

    private long[] samples;
    private int size;

    Latencies(int capacity) {
        samples = new long[Math.max(capacity, 16)];
    }

    synchronized void add(long nanos) {
        if (size == samples.length) {
            samples = Arrays.copyOf(samples, size * 2);
        }
        samples[size++] = nanos;
    }

    synchronized int count() {
        return size;
    }

    /** The nearest-rank percentile {@code p} (0–100) in microseconds. */
    synchronized double percentileMicros(double p) {
        if (size == 0) {
            return Double.NaN;
        }
        long[] sorted = Arrays.copyOf(samples, size);
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(p / 100.0 * size);
        return sorted[Math.max(0, Math.min(size - 1, rank - 1))] / 1000.0;
    }

    synchronized double meanMicros() {
        long sum = 0;
        for (int i = 0; i < size; i++) {
            sum += samples[i];
        }
        return size == 0 ? Double.NaN : sum / 1000.0 / size;
    }

    String p50() {
        return micros(percentileMicros(50));
    }

    String p99() {
        return micros(percentileMicros(99));
    }

    /** Formats microseconds readably: µs below 1 ms, ms with two decimals above. */
    static String micros(double us) {
        if (Double.isNaN(us)) {
            return "n/a";
        }
        return us < 1000 ? String.format(Locale.ROOT, "%.1f µs", us) : String.format(Locale.ROOT, "%.2f ms", us / 1000);
    }
}
