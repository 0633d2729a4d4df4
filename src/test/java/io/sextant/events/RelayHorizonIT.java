package io.sextant.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sextant.shared.TenantContext;
import io.sextant.testing.SextantIT;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.TestPropertySource;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The relay reads the log only below the oldest transaction still running, so an event committed
 * while an older transaction is open waits for it. The commit that releases it may append no event
 * (an ingest group without transitions, a delivery being recorded) and so wakes no relay: the relay
 * must look again by itself, soon — here the poll interval is 30 s, far longer than the test waits.
 */
@Import(RelayHorizonIT.Recording.class)
@TestPropertySource(properties = "sextant.events.relay-poll-interval=30s")
class RelayHorizonIT extends SextantIT {

    @Autowired
    EventLog eventLog;

    @Autowired
    TransactionTemplate transactions;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    Recorder recorder;

    @TestConfiguration
    static class Recording {
        @Bean
        Recorder horizonRecorder() {
            return new Recorder();
        }
    }

    /** A durable consumer and a live listener that remember the ids of what they were handed. */
    static class Recorder implements EventConsumer, LiveEventListener {
        final List<UUID> durable = new CopyOnWriteArrayList<>();
        final List<UUID> live = new CopyOnWriteArrayList<>();

        @Override
        public String name() {
            return "horizon-recorder";
        }

        @Override
        public void consume(List<Event> events) {
            events.forEach(e -> durable.add(e.id()));
        }

        @Override
        public void onEvents(List<Event> events) {
            events.forEach(e -> live.add(e.id()));
        }
    }

    @Test
    void an_event_held_back_by_an_older_transaction_is_relayed_soon_after_it_commits_without_an_event()
            throws Exception {
        UUID tenantId = UUID.fromString(newTenant().id());
        CountDownLatch holding = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        // An older transaction with a transaction id, open across the event's commit; it appends no event.
        CompletableFuture<Void> older = CompletableFuture.runAsync(() -> transactions.executeWithoutResult(status -> {
            jdbc.sql("select pg_current_xact_id()").query().singleRow();
            holding.countDown();
            try {
                assertThat(release.await(30, TimeUnit.SECONDS)).isTrue();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }));
        assertThat(holding.await(10, TimeUnit.SECONDS)).isTrue();

        UUID event = TenantContext.callAs(
                tenantId,
                () -> transactions.execute(status -> eventLog.append(new NewEvent(
                        tenantId,
                        EventTypes.ZONE_ENTERED,
                        "/test",
                        null,
                        Instant.now(),
                        null,
                        null,
                        List.of(),
                        List.of(),
                        Map.of()))));

        // Held back while the older transaction runs: nothing may be relayed past it.
        Thread.sleep(500);
        assertThat(recorder.durable).doesNotContain(event);
        assertThat(recorder.live).doesNotContain(event);

        release.countDown();
        older.get(10, TimeUnit.SECONDS);
        await().atMost(Duration.ofSeconds(3))
                .pollInterval(Duration.ofMillis(20))
                .untilAsserted(() -> {
                    assertThat(recorder.durable).contains(event);
                    assertThat(recorder.live).contains(event);
                });
    }
}
