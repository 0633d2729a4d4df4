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
import java.util.concurrent.CompletableFuture;
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

    /** What the first group's history write does once it started, before it returns. */
    @FunctionalInterface
    private interface HeldUp {
        void run(TwoGroups groups) throws Exception;
    }

    /**
     * Two single-position groups on a writer of two threads over mocks, the second submitted once
     * the first one's history write has started, which {@code heldUp} then holds up; the groups the
     * observer sees are recorded.
     */
    private static final class TwoGroups {
        static final Instant T1 = Instant.parse("2026-12-07T03:00:00Z");
        static final Instant T2 = T1.plusSeconds(1);

        final CountDownLatch secondCopied = new CountDownLatch(1);
        final CountDownLatch secondObserved = new CountDownLatch(1);
        final List<Instant> observed = new CopyOnWriteArrayList<>();
        final SimpleMeterRegistry meters = new SimpleMeterRegistry();
        CompletableFuture<Inserted> first;
        CompletableFuture<Inserted> second;

        /** Runs both groups to their end, of whatever kind, within ten seconds each. */
        TwoGroups run(String orderWait, UUID firstAsset, UUID secondAsset, HeldUp heldUp) throws Exception {
            CountDownLatch firstCopying = new CountDownLatch(1);
            AtomicInteger copies = new AtomicInteger();
            PositionRepository repository = mock(PositionRepository.class);
            doAnswer(invocation -> {
                        if (copies.incrementAndGet() == 1) {
                            firstCopying.countDown();
                            heldUp.run(this);
                        } else {
                            secondCopied.countDown();
                        }
                        return null;
                    })
                    .when(repository)
                    .copy(any());
            PositionObserver recording = stored -> {
                Instant time = stored.positions().getFirst().eventTime();
                observed.add(time);
                if (time.equals(T2)) {
                    secondObserved.countDown();
                }
                return PositionObserver.Observation.NONE;
            };
            PositionWriter writer = new PositionWriter(
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
            UUID tenantId = UUID.randomUUID();
            writer.start();
            try {
                first = writer.submit(List.of(of(tenantId, firstAsset, T1)));
                assertThat(firstCopying.await(10, TimeUnit.SECONDS)).isTrue();
                second = writer.submit(List.of(of(tenantId, secondAsset, T2)));
                for (CompletableFuture<Inserted> group : List.of(second, first)) {
                    group.handle((inserted, failure) -> null).get(10, TimeUnit.SECONDS);
                }
            } finally {
                writer.stop();
            }
            return this;
        }

        double unordered() {
            return meters.counter("sextant.ingest.unordered").count();
        }
    }

    private static Position of(UUID tenantId, UUID assetId, Instant time) {
        return new Position(tenantId, assetId, time, Instant.now(), 1, 1, null, null, null, null, Map.of());
    }

    @Test
    void an_assets_positions_reach_the_observers_in_queue_order_when_the_later_group_is_written_first()
            throws Exception {
        UUID assetId = UUID.randomUUID();
        TwoGroups groups = new TwoGroups().run("10s", assetId, assetId, two -> {
            // The first group's history write is slow: the second one, on the other writer,
            // finishes its write well before it.
            assertThat(two.secondCopied.await(10, TimeUnit.SECONDS)).isTrue();
            Thread.sleep(300);
        });
        assertThat(groups.first).isCompleted();
        assertThat(groups.second).isCompleted();
        assertThat(groups.observed).containsExactly(TwoGroups.T1, TwoGroups.T2);
        assertThat(groups.unordered()).isZero();
    }

    @Test
    void a_group_goes_to_the_observers_out_of_turn_once_an_earlier_group_took_longer_than_the_order_wait()
            throws Exception {
        UUID assetId = UUID.randomUUID();
        TwoGroups groups = new TwoGroups().run("200ms", assetId, assetId, two -> {
            // Held up until the later group has been observed (as by a key it holds).
            assertThat(two.secondObserved.await(10, TimeUnit.SECONDS)).isTrue();
        });
        assertThat(groups.first).isCompleted();
        assertThat(groups.second).isCompleted();
        assertThat(groups.observed).containsExactly(TwoGroups.T2, TwoGroups.T1);
        assertThat(groups.unordered()).isEqualTo(1);
    }

    @Test
    void a_group_that_fails_before_its_observers_lets_the_next_one_go_at_once() throws Exception {
        UUID assetId = UUID.randomUUID();
        // An order wait far beyond the test's patience: the second group must not need it.
        TwoGroups groups = new TwoGroups().run("1h", assetId, assetId, two -> {
            assertThat(two.secondCopied.await(10, TimeUnit.SECONDS)).isTrue();
            throw new SQLException("the first group's write failed", "XX000");
        });
        assertThat(groups.second).isCompleted();
        assertThatThrownBy(() -> groups.first.get()).isInstanceOf(ExecutionException.class);
        assertThat(groups.observed).containsExactly(TwoGroups.T2);
        assertThat(groups.unordered()).isZero();
    }

    @Test
    void a_group_of_other_assets_does_not_wait_for_an_earlier_group_still_writing() throws Exception {
        // An order wait far beyond the test's patience: the second group must not need it.
        TwoGroups groups = new TwoGroups().run("1h", UUID.randomUUID(), UUID.randomUUID(), two -> {
            assertThat(two.secondObserved.await(10, TimeUnit.SECONDS)).isTrue();
        });
        assertThat(groups.first).isCompleted();
        assertThat(groups.second).isCompleted();
        assertThat(groups.observed).containsExactly(TwoGroups.T2, TwoGroups.T1);
        assertThat(groups.unordered()).isZero();
    }
}
