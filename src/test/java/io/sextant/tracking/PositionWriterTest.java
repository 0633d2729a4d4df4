package io.sextant.tracking;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyBoolean;
import static org.mockito.Mockito.doAnswer;
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
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.jdbc.support.JdbcTransactionManager;
import org.springframework.transaction.PlatformTransactionManager;

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

    /** A writer with {@code threads} threads over mocks, whose copies run {@code copy}; observed groups are recorded. */
    private static PositionWriter writer(
            PositionRepository repository,
            String orderWait,
            List<List<Position>> observed,
            SimpleMeterRegistry meters) {
        PositionObserver recording = stored -> {
            observed.add(stored.positions());
            return PositionObserver.Observation.NONE;
        };
        return new PositionWriter(
                mock(PlatformTransactionManager.class),
                mock(TenantScope.class),
                repository,
                List.of(recording),
                mock(PartitionMaintenance.class),
                mock(LatestPositions.class),
                mock(LatestPositionWrites.class),
                properties(Map.of(
                        "sextant.tracking.writer.threads", "2", "sextant.tracking.writer.order-wait", orderWait)),
                meters);
    }

    private static Position of(UUID tenantId, UUID assetId, Instant time) {
        return new Position(tenantId, assetId, time, Instant.now(), 1, 1, null, null, null, null, Map.of());
    }

    @Test
    void an_assets_positions_reach_the_observers_in_queue_order_when_the_later_group_is_written_first()
            throws Exception {
        UUID tenantId = UUID.randomUUID();
        UUID assetId = UUID.randomUUID();
        Instant t1 = Instant.parse("2026-12-07T03:00:00Z");
        Instant t2 = t1.plusSeconds(1);
        CountDownLatch firstCopying = new CountDownLatch(1);
        CountDownLatch secondCopied = new CountDownLatch(1);
        AtomicInteger copies = new AtomicInteger();
        PositionRepository repository = mock(PositionRepository.class);
        doAnswer(invocation -> {
                    if (copies.incrementAndGet() == 1) {
                        // The first group's history write is slow: the second one, on the other
                        // writer, finishes its write well before it.
                        firstCopying.countDown();
                        assertThat(secondCopied.await(10, TimeUnit.SECONDS)).isTrue();
                        Thread.sleep(300);
                    } else {
                        secondCopied.countDown();
                    }
                    return null;
                })
                .when(repository)
                .copy(any());
        List<List<Position>> observed = new CopyOnWriteArrayList<>();
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        PositionWriter writer = writer(repository, "10s", observed, meters);
        writer.start();
        try {
            var first = writer.submit(List.of(of(tenantId, assetId, t1)));
            assertThat(firstCopying.await(10, TimeUnit.SECONDS)).isTrue();
            var second = writer.submit(List.of(of(tenantId, assetId, t2)));
            first.get(10, TimeUnit.SECONDS);
            second.get(10, TimeUnit.SECONDS);
        } finally {
            writer.stop();
        }
        assertThat(observed).extracting(group -> group.getFirst().eventTime()).containsExactly(t1, t2);
        assertThat(meters.counter("sextant.ingest.unordered").count()).isZero();
    }

    @Test
    void a_group_goes_to_the_observers_out_of_turn_once_an_earlier_group_took_longer_than_the_order_wait()
            throws Exception {
        UUID tenantId = UUID.randomUUID();
        UUID assetId = UUID.randomUUID();
        Instant t1 = Instant.parse("2026-12-07T03:00:00Z");
        Instant t2 = t1.plusSeconds(1);
        CountDownLatch firstCopying = new CountDownLatch(1);
        CountDownLatch secondObserved = new CountDownLatch(1);
        AtomicInteger copies = new AtomicInteger();
        PositionRepository repository = mock(PositionRepository.class);
        doAnswer(invocation -> {
                    if (copies.incrementAndGet() == 1) {
                        // Held up until the later group has been observed (as by a key it holds).
                        firstCopying.countDown();
                        assertThat(secondObserved.await(10, TimeUnit.SECONDS)).isTrue();
                    }
                    return null;
                })
                .when(repository)
                .copy(any());
        List<List<Position>> observed = new CopyOnWriteArrayList<>() {
            @Override
            public boolean add(List<Position> group) {
                boolean added = super.add(group);
                if (group.getFirst().eventTime().equals(t2)) {
                    secondObserved.countDown();
                }
                return added;
            }
        };
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        PositionWriter writer = writer(repository, "200ms", observed, meters);
        writer.start();
        try {
            var first = writer.submit(List.of(of(tenantId, assetId, t1)));
            assertThat(firstCopying.await(10, TimeUnit.SECONDS)).isTrue();
            var second = writer.submit(List.of(of(tenantId, assetId, t2)));
            second.get(10, TimeUnit.SECONDS);
            first.get(10, TimeUnit.SECONDS);
        } finally {
            writer.stop();
        }
        assertThat(observed).extracting(group -> group.getFirst().eventTime()).containsExactly(t2, t1);
        assertThat(meters.counter("sextant.ingest.unordered").count()).isEqualTo(1);
    }

    @Test
    void a_group_that_fails_before_its_observers_lets_the_next_one_go_at_once() throws Exception {
        UUID tenantId = UUID.randomUUID();
        UUID assetId = UUID.randomUUID();
        Instant t1 = Instant.parse("2026-12-07T03:00:00Z");
        Instant t2 = t1.plusSeconds(1);
        CountDownLatch firstCopying = new CountDownLatch(1);
        CountDownLatch secondCopied = new CountDownLatch(1);
        AtomicInteger copies = new AtomicInteger();
        PositionRepository repository = mock(PositionRepository.class);
        doAnswer(invocation -> {
                    if (copies.incrementAndGet() == 1) {
                        firstCopying.countDown();
                        assertThat(secondCopied.await(10, TimeUnit.SECONDS)).isTrue();
                        throw new SQLException("the first group's write failed", "XX000");
                    }
                    secondCopied.countDown();
                    return null;
                })
                .when(repository)
                .copy(any());
        List<List<Position>> observed = new CopyOnWriteArrayList<>();
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        // An order wait far beyond the test's patience: the second group must not need it.
        PositionWriter writer = writer(repository, "1h", observed, meters);
        writer.start();
        try {
            var first = writer.submit(List.of(of(tenantId, assetId, t1)));
            assertThat(firstCopying.await(10, TimeUnit.SECONDS)).isTrue();
            var second = writer.submit(List.of(of(tenantId, assetId, t2)));
            second.get(10, TimeUnit.SECONDS);
            assertThatThrownBy(() -> first.get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class);
        } finally {
            writer.stop();
        }
        assertThat(observed).extracting(group -> group.getFirst().eventTime()).containsExactly(t2);
        assertThat(meters.counter("sextant.ingest.unordered").count()).isZero();
    }

    @Test
    void a_group_of_other_assets_does_not_wait_for_an_earlier_group_still_writing() throws Exception {
        UUID tenantId = UUID.randomUUID();
        Instant t1 = Instant.parse("2026-12-07T03:00:00Z");
        Instant t2 = t1.plusSeconds(1);
        CountDownLatch firstCopying = new CountDownLatch(1);
        CountDownLatch secondObserved = new CountDownLatch(1);
        AtomicInteger copies = new AtomicInteger();
        PositionRepository repository = mock(PositionRepository.class);
        doAnswer(invocation -> {
                    if (copies.incrementAndGet() == 1) {
                        firstCopying.countDown();
                        assertThat(secondObserved.await(10, TimeUnit.SECONDS)).isTrue();
                    }
                    return null;
                })
                .when(repository)
                .copy(any());
        List<List<Position>> observed = new CopyOnWriteArrayList<>() {
            @Override
            public boolean add(List<Position> group) {
                boolean added = super.add(group);
                if (group.getFirst().eventTime().equals(t2)) {
                    secondObserved.countDown();
                }
                return added;
            }
        };
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        // An order wait far beyond the test's patience: the second group must not need it.
        PositionWriter writer = writer(repository, "1h", observed, meters);
        writer.start();
        try {
            var first = writer.submit(List.of(of(tenantId, UUID.randomUUID(), t1)));
            assertThat(firstCopying.await(10, TimeUnit.SECONDS)).isTrue();
            var second = writer.submit(List.of(of(tenantId, UUID.randomUUID(), t2)));
            second.get(10, TimeUnit.SECONDS);
            first.get(10, TimeUnit.SECONDS);
        } finally {
            writer.stop();
        }
        assertThat(observed).extracting(group -> group.getFirst().eventTime()).containsExactly(t2, t1);
        assertThat(meters.counter("sextant.ingest.unordered").count()).isZero();
    }
}
