package io.sextant.delivery;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Locale;
import org.springframework.stereotype.Component;

/**
 * Delivery metrics: {@code sextant.delivery.attempts} (counter, tagged {@code channel} and {@code
 * outcome}: delivered, failed, refused, skipped) and {@code sextant.delivery.latency} (timer, tagged
 * {@code channel}: from the event's recording to its successful delivery, retries included).
 */
@Component
class DeliveryMetrics {

    private final MeterRegistry registry;

    DeliveryMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    void attempted(String channel, AttemptOutcome.Result result) {
        count(channel, result.name().toLowerCase(Locale.ROOT));
    }

    void skipped(String channel) {
        count(channel, "skipped");
    }

    void delivered(String channel, Duration sinceRecorded) {
        Timer.builder("sextant.delivery.latency")
                .description("From an event's recording to its delivery")
                .tag("channel", channel)
                .register(registry)
                .record(sinceRecorded.isNegative() ? Duration.ZERO : sinceRecorded);
    }

    private void count(String channel, String outcome) {
        Counter.builder("sextant.delivery.attempts")
                .description("Delivery attempts by channel and outcome")
                .tag("channel", channel)
                .tag("outcome", outcome)
                .register(registry)
                .increment();
    }
}
