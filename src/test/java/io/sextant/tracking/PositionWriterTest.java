package io.sextant.tracking;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyBoolean;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.sextant.platform.http.DomainProblems;
import io.sextant.shared.TenantScope;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.jdbc.support.JdbcTransactionManager;

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
        PositionWriter writer =
                new PositionWriter(null, null, null, List.of(), null, null, null, settings, new SimpleMeterRegistry());
        writer.start();
        var first = writer.submit(one());
        var second = writer.submit(one());
        assertThatThrownBy(() -> writer.submit(one())).isInstanceOfSatisfying(IngestSaturatedException.class, e -> {
            assertThat(DomainProblems.status(e).value()).isEqualTo(503);
            assertThat(DomainProblems.headers(e).getFirst("Retry-After")).isEqualTo("1");
        });
        assertThat(first).isNotDone();
        assertThat(second).isNotDone();
    }

    @Test
    void an_empty_batch_needs_no_write_and_a_stopped_writer_takes_nothing() {
        PositionWriter writer = new PositionWriter(
                null, null, null, List.of(), null, null, null, properties(Map.of()), new SimpleMeterRegistry());
        assertThat(writer.submit(List.of())).isCompleted();
        assertThatThrownBy(() -> writer.submit(one())).isInstanceOf(IngestSaturatedException.class);
    }

    @Test
    void a_group_that_fails_because_the_database_went_away_reports_that_failure_not_the_failed_rollback()
            throws Exception {
        SQLException terminated = new SQLException("terminating connection due to administrator command", "57P01");
        Connection connection = mock(Connection.class);
        doThrow(new SQLException("Connection is closed")).when(connection).rollback();
        DataSource dataSource = mock(DataSource.class);
        when(dataSource.getConnection()).thenReturn(connection);
        PositionRepository repository = mock(PositionRepository.class);
        doThrow(terminated).when(repository).copy(any());
        doThrow(terminated).when(repository).stage(any(), anyBoolean());
        PositionWriter writer = new PositionWriter(
                new JdbcTransactionManager(dataSource),
                mock(TenantScope.class),
                repository,
                List.of(),
                mock(PartitionMaintenance.class),
                mock(LatestPositions.class),
                mock(LatestPositionWrites.class),
                properties(Map.of("sextant.tracking.writer.threads", "1")),
                new SimpleMeterRegistry());
        writer.start();
        try {
            assertThatThrownBy(() -> writer.submit(one()).get(10, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class)
                    .cause()
                    .isSameAs(terminated);
            assertThat(terminated.getSuppressed())
                    .extracting(Throwable::getMessage)
                    .containsExactly("Connection is closed");
        } finally {
            writer.stop();
        }
    }

    @Test
    void the_defaults_bind_as_documented() {
        TrackingProperties defaults = properties(Map.of());
        assertThat(defaults.maxBatchPositions()).isEqualTo(10_000);
        assertThat(defaults.writer().queueCapacity()).isEqualTo(256);
        assertThat(defaults.queries().maxWindow()).hasDays(31);
        assertThat(defaults.queries().maxAreaKm2()).isEqualTo(2_500_000);
        assertThat(defaults.latestWriteInterval()).hasSeconds(1);
    }

    @Test
    void a_key_that_two_requests_of_a_group_carry_is_inserted_for_the_first_only() throws Exception {
        Position shared = one().getFirst();
        Position own = one().getFirst();
        var first = new PositionWriter.Pending(List.of(shared), new java.util.concurrent.CompletableFuture<>());
        var second = new PositionWriter.Pending(List.of(shared, own), new java.util.concurrent.CompletableFuture<>());

        PositionWriter.complete(List.of(first, second), Inserted.only(java.util.Set.of(shared.key(), own.key())));

        assertThat(first.done().get().contains(shared.key())).isTrue();
        assertThat(second.done().get().contains(shared.key())).isFalse();
        assertThat(second.done().get().contains(own.key())).isTrue();
    }
}
