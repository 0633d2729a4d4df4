package io.sextant.tracking;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

class PositionWriterTest {

    private static TrackingProperties properties(Map<String, String> values) {
        return new Binder(new MapConfigurationPropertySource(values))
                .bindOrCreate("sextant.tracking", Bindable.of(TrackingProperties.class));
    }

    private static List<Position> one() {
        return List.of(new Position(
                UUID.randomUUID(),
                UUID.randomUUID(),
                Instant.now(),
                Instant.now(),
                1,
                1,
                null,
                null,
                null,
                null,
                Map.of()));
    }

    @Test
    void a_full_queue_refuses_new_batches_at_once_instead_of_queueing_without_bound() {
        // No writer threads: nothing drains the queue of two.
        TrackingProperties settings = properties(
                Map.of("sextant.tracking.writer.queue-capacity", "2", "sextant.tracking.writer.threads", "0"));
        PositionWriter writer = new PositionWriter(null, null, List.of(), null, settings, new SimpleMeterRegistry());
        writer.start();
        var first = writer.submit(one());
        var second = writer.submit(one());
        assertThatThrownBy(() -> writer.submit(one())).isInstanceOfSatisfying(IngestSaturatedException.class, e -> {
            assertThat(e.getStatusCode().value()).isEqualTo(503);
            assertThat(e.getHeaders().getFirst("Retry-After")).isEqualTo("1");
        });
        assertThat(first).isNotDone();
        assertThat(second).isNotDone();
    }

    @Test
    void an_empty_batch_needs_no_write_and_a_stopped_writer_takes_nothing() {
        PositionWriter writer =
                new PositionWriter(null, null, List.of(), null, properties(Map.of()), new SimpleMeterRegistry());
        assertThat(writer.submit(List.of())).isCompleted();
        assertThatThrownBy(() -> writer.submit(one())).isInstanceOf(IngestSaturatedException.class);
    }

    @Test
    void the_defaults_bind_as_documented() {
        TrackingProperties defaults = properties(Map.of());
        assertThat(defaults.maxBatchPositions()).isEqualTo(10_000);
        assertThat(defaults.writer().queueCapacity()).isEqualTo(256);
        assertThat(defaults.queries().maxWindow()).hasDays(31);
        assertThat(defaults.queries().maxAreaKm2()).isEqualTo(2_500_000);
    }
}
