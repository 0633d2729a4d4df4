package io.sextant.export;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.stereotype.Component;

/**
 * The exports' metrics: {@code sextant.exports.completed} (format, outcome: succeeded or failed) and
 * {@code sextant.exports.written} (bytes of content stored, by format).
 */
@Component
class ExportMeters {

    static final String SUCCEEDED = "succeeded";
    static final String FAILED = "failed";

    private final MeterRegistry registry;

    ExportMeters(MeterRegistry registry) {
        this.registry = registry;
    }

    void completed(ExportFormat format, String outcome) {
        Counter.builder("sextant.exports.completed")
                .description("Exports finished, by format and outcome")
                .tags("format", format.id(), "outcome", outcome)
                .register(registry)
                .increment();
    }

    void written(ExportFormat format, long bytes) {
        Counter.builder("sextant.exports.written")
                .description("Bytes of export content stored, by format")
                .baseUnit("bytes")
                .tag("format", format.id())
                .register(registry)
                .increment(bytes);
    }
}
