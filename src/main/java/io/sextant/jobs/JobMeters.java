package io.sextant.jobs;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.TreeSet;
import org.springframework.stereotype.Component;

/**
 * The jobs' metrics: {@code sextant.jobs.completed} (kind, outcome: succeeded, retried, dead),
 * {@code sextant.jobs.wait} (due to started), {@code sextant.jobs.run} (handler duration) and the
 * queue depth {@code sextant.jobs.queued} per kind, refreshed by the worker every few seconds.
 */
@Component
class JobMeters {

    static final String SUCCEEDED = "succeeded";
    static final String RETRIED = "retried";
    static final String DEAD = "dead";

    private final MeterRegistry registry;
    private final MultiGauge queued;

    JobMeters(MeterRegistry registry) {
        this.registry = registry;
        this.queued = MultiGauge.builder("sextant.jobs.queued")
                .description("Jobs waiting to run (retries and future jobs included), by kind")
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

    /** Sets the queue depth: {@code counts} per kind, zero for the other {@code knownKinds}. */
    void queued(Map<String, Long> counts, Collection<String> knownKinds) {
        TreeSet<String> kinds = new TreeSet<>(knownKinds);
        kinds.addAll(counts.keySet());
        queued.register(
                kinds.stream()
                        .map(kind -> MultiGauge.Row.of(Tags.of("kind", kind), counts.getOrDefault(kind, 0L)))
                        .toList(),
                true);
    }
}
