package io.sextant.jobs;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.ToDoubleFunction;
import org.springframework.stereotype.Component;

/**
 * The jobs' metrics: {@code sextant.jobs.completed} (kind, outcome: succeeded, retried, dead),
 * {@code sextant.jobs.wait} (due to started), {@code sextant.jobs.run} (handler duration), and the
 * queue depth per kind, refreshed by the worker every few seconds: {@code sextant.jobs.queued}
 * (every unfinished job: waiting — due, waiting for a retry or scheduled later — or running),
 * {@code sextant.jobs.running} (those of them running now) and {@code sextant.jobs.oldest} (seconds
 * the longest-waiting due job has waited to start: a stuck or saturated queue shows here first).
 */
@Component
class JobMeters {

    static final String SUCCEEDED = "succeeded";
    static final String RETRIED = "retried";
    static final String DEAD = "dead";

    private final MeterRegistry registry;
    private final MultiGauge queued;
    private final MultiGauge running;
    private final MultiGauge oldest;

    JobMeters(MeterRegistry registry) {
        this.registry = registry;
        this.queued = MultiGauge.builder("sextant.jobs.queued")
                .description("Jobs not yet finished (waiting, retrying later, scheduled or running), by kind")
                .register(registry);
        this.running = MultiGauge.builder("sextant.jobs.running")
                .description("Jobs with an attempt running now, by kind")
                .register(registry);
        this.oldest = MultiGauge.builder("sextant.jobs.oldest")
                .description("How long the longest-waiting due job has waited to start, by kind")
                .baseUnit("seconds")
                .register(registry);
    }

    void completed(String kind, String outcome) {
        Counter.builder("sextant.jobs.completed")
                .description("Job attempts finished, by kind and outcome")
                .tags("kind", kind, "outcome", outcome)
                .register(registry)
                .increment();
    }

    void waited(String kind, Duration wait) {
        Timer.builder("sextant.jobs.wait")
                .description("Time from when a job was due to when an attempt started")
                .tag("kind", kind)
                .register(registry)
                .record(wait.isNegative() ? Duration.ZERO : wait);
    }

    void ran(String kind, Duration run) {
        Timer.builder("sextant.jobs.run")
                .description("Time a handler took for one attempt")
                .tag("kind", kind)
                .register(registry)
                .record(run);
    }

    /** Sets the queue depth: {@code depths} per kind, zero for the other {@code knownKinds}. */
    void depth(Map<String, Depth> depths, Collection<String> knownKinds) {
        TreeSet<String> kinds = new TreeSet<>(knownKinds);
        kinds.addAll(depths.keySet());
        queued.register(
                rows(kinds, kind -> depths.getOrDefault(kind, Depth.NONE).unfinished()), true);
        running.register(
                rows(kinds, kind -> depths.getOrDefault(kind, Depth.NONE).running()), true);
        oldest.register(
                rows(
                        kinds,
                        kind -> depths.getOrDefault(kind, Depth.NONE)
                                        .oldestDue()
                                        .toMillis()
                                / 1_000.0),
                true);
    }

    private static List<MultiGauge.Row<?>> rows(Collection<String> kinds, ToDoubleFunction<String> value) {
        return kinds.stream()
                .<MultiGauge.Row<?>>map(kind -> MultiGauge.Row.of(Tags.of("kind", kind), value.applyAsDouble(kind)))
                .toList();
    }

    /**
     * One kind's unfinished jobs.
     *
     * @param waiting queued: due, waiting for a retry or scheduled later
     * @param running with an attempt running now
     * @param oldestDue how long the longest-waiting due job has been due (zero when none is)
     */
    record Depth(long waiting, long running, Duration oldestDue) {

        static final Depth NONE = new Depth(0, 0, Duration.ZERO);

        long unfinished() {
            return waiting + running;
        }
    }
}
