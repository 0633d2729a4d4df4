package io.sextant.jobs;

import static io.sextant.jobs.TestJobHandlers.ENDED;
import static io.sextant.jobs.TestJobHandlers.GATES;
import static io.sextant.jobs.TestJobHandlers.STARTED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.MeterRegistry;
import io.sextant.SextantApplication;
import io.sextant.shared.NodeRoles;
import io.sextant.testing.SextantIT;
import io.sextant.testing.TestDatabases;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.TestPropertySource;
import org.springframework.transaction.support.TransactionTemplate;

@Import(TestJobHandlers.class)
@TestPropertySource(
        properties = {"sextant.jobs.poll-interval=100ms", "sextant.jobs.shutdown-timeout=3s", "sextant.jobs.lease=1s"})
abstract class JobContractIT extends SextantIT {

    @Autowired
    Jobs jobs;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    TransactionTemplate transactions;

    @Autowired
    MeterRegistry meters;

    @Autowired
    JobStore repository;

    @Autowired
    JobHandlers handlers;

    @Autowired
    JobsProperties properties;

    @Autowired
    JobMeters jobMeters;

    @Autowired
    JobRetention retention;

    @Autowired
    DataSource dataSource;

    private static NewJob job(String kind, String payload) {
        return new NewJob(kind, null, payload, Instant.now(), null);
    }

    private static NewJob ordered(String name, String key, boolean fail) {
        return new NewJob(
                TestJobHandlers.ORDERED, null, "{\"name\":\"" + name + "\",\"fail\":" + fail + "}", Instant.now(), key);
    }

    /** The job as the store keeps it (every test job is a system job). */
    JobView row(UUID id) {
        return repository.find(null, id).orElseThrow(() -> new AssertionError("no job " + id));
    }

    private String status(UUID id) {
        return row(id).status().id();
    }

    /** Makes the running job's lease expire now, as if its worker had hung. */
    abstract void forceLeaseIntoPast(UUID id);

    /** A job of kind test.finished that finished {@code ago} in {@code status}. */
    abstract UUID insertFinished(String status, Duration ago);

    /** How many schedules the store keeps for {@code kind}. */
    abstract long schedules(String kind);

    /** A second store on the same backend, as another node would have. */
    abstract JobStore anotherNodesStore();

    /** Properties that put a whole second application on this backend (beyond its database). */
    abstract Map<String, String> backendProperties();

    @Test
    void a_queued_job_runs_once_and_succeeds() {
        UUID id = jobs.enqueue(job(TestJobHandlers.ECHO, "{\"hello\":\"world\"}"));

        await().atMost(Duration.ofSeconds(5)).until(() -> "succeeded".equals(status(id)));
        assertThat(TestJobHandlers.attempts(id)).hasSize(1);
        assertThat(TestJobHandlers.TENANTS.get(id)).isEqualTo("system");
        assertThat(row(id).attempt()).isEqualTo(1);
        assertThat(row(id).finishedAt()).isNotNull();
    }

    @Test
    void a_job_queued_in_a_transaction_exists_only_if_that_transaction_commits() {
        UUID[] rolledBack = new UUID[1];
        transactions.executeWithoutResult(status -> {
            rolledBack[0] = jobs.enqueue(job(TestJobHandlers.ECHO, "{}"));
            status.setRollbackOnly();
        });
        UUID committed = transactions.execute(status -> jobs.enqueue(job(TestJobHandlers.ECHO, "{}")));

        await().atMost(Duration.ofSeconds(5)).until(() -> TestJobHandlers.ran(committed));
        assertThat(repository.find(null, rolledBack[0])).isEmpty();
        assertThat(TestJobHandlers.ran(rolledBack[0])).isFalse();
    }

    /** How many of {@code ids} another thread (outside the caller's transaction) can see. */
    private long countOutside(List<UUID> ids) {
        return CompletableFuture.supplyAsync(() -> ids.stream()
                        .filter(id -> repository.find(null, id).isPresent())
                        .count())
                .join();
    }

    @Test
    void jobs_queued_in_a_batch_within_the_callers_transaction_run_after_it_commits() throws Exception {
        List<UUID> ids = transactions.execute(status -> {
            List<UUID> queued = jobs.enqueue(List.of(job(TestJobHandlers.ECHO, "{}"), job(TestJobHandlers.ECHO, "{}")));
            // Another connection, outside the transaction, must not see them yet.
            assertThat(countOutside(queued)).as("visible before the commit").isZero();
            return queued;
        });

        await().atMost(Duration.ofSeconds(5)).until(() -> ids.stream().allMatch(TestJobHandlers::ran));
    }

    @Test
    void a_failing_job_is_retried_on_its_schedule_then_dead_lettered_once() {
        UUID id = jobs.enqueue(job(TestJobHandlers.FLAKY, "{}"));

        await().atMost(Duration.ofSeconds(10)).until(() -> "dead".equals(status(id)));
        List<Instant> attempts = TestJobHandlers.attempts(id);
        assertThat(attempts).hasSize(3);
        List<Duration> delays = TestJobHandlers.FLAKY_POLICY.delays();
        double jitter = TestJobHandlers.FLAKY_POLICY.jitter();
        for (int i = 1; i < attempts.size(); i++) {
            Duration gap = Duration.between(attempts.get(i - 1), attempts.get(i));
            assertThat(gap).as("gap before attempt %d", i + 1).isGreaterThanOrEqualTo(Duration.ofNanos((long)
                    (delays.get(i - 1).toNanos() * (1 - jitter))));
        }
        assertThat(TestJobHandlers.DEAD_LETTERED.get(id))
                .containsExactly("IllegalStateException: receiver answered 503");
        assertThat(row(id).attempt()).isEqualTo(3);
        assertThat(row(id).maxAttempts()).isEqualTo(3);
        assertThat(row(id).lastError()).isEqualTo("IllegalStateException: receiver answered 503");
        assertThat(meters.get("sextant.jobs.completed")
                        .tags("kind", TestJobHandlers.FLAKY, "outcome", "retried")
                        .counter()
                        .count())
                .isGreaterThanOrEqualTo(2);
        assertThat(meters.get("sextant.jobs.completed")
                        .tags("kind", TestJobHandlers.FLAKY, "outcome", "dead")
                        .counter()
                        .count())
                .isGreaterThanOrEqualTo(1);
    }

    @Test
    void jobs_of_a_batching_kind_due_together_are_handled_together_and_each_outcome_is_recorded_on_its_own() {
        Instant due = Instant.now().plusSeconds(1);
        List<UUID> ids = transactions.execute(status -> Stream.iterate(0, i -> i + 1)
                .limit(6)
                .map(i -> jobs.enqueue(
                        new NewJob(TestJobHandlers.BATCHED, null, "{\"fail\":" + (i == 2) + "}", due, null)))
                .toList());
        UUID failing = ids.get(2);

        await().atMost(Duration.ofSeconds(10)).until(() -> ids.stream().allMatch(id -> "succeeded".equals(status(id))));
        List<List<UUID>> calls = TestJobHandlers.BATCHES.stream()
                .filter(call -> ids.containsAll(call))
                .toList();
        assertThat(calls).allSatisfy(call -> assertThat(call).hasSizeBetween(1, TestJobHandlers.BATCH_SIZE));
        assertThat(calls)
                .as("six jobs due at the same instant")
                .anySatisfy(call -> assertThat(call).hasSizeGreaterThan(1));
        for (UUID id : ids) {
            int expected = id.equals(failing) ? 2 : 1;
            assertThat(TestJobHandlers.attempts(id)).as("attempts of %s", id).hasSize(expected);
            assertThat(row(id).attempt()).isEqualTo(expected);
            assertThat(row(id).finishedAt()).isNotNull();
        }
        assertThat(row(failing).lastError()).isEqualTo("IllegalStateException: receiver answered 503");
    }

    @Test
    void a_permanent_failure_goes_to_the_dead_letter_at_once() {
        UUID id = jobs.enqueue(job(TestJobHandlers.PERMANENT, "{}"));

        await().atMost(Duration.ofSeconds(5)).until(() -> "dead".equals(status(id)));
        assertThat(TestJobHandlers.attempts(id)).hasSize(1);
        assertThat(TestJobHandlers.DEAD_LETTERED.get(id)).containsExactly("the payload names no receiver");
        assertThat(row(id).attempt()).isEqualTo(1);
        assertThat(row(id).lastError()).isEqualTo("the payload names no receiver");
    }

    @Test
    void a_job_of_a_kind_without_a_handler_is_dead_with_a_clear_error() {
        UUID id = jobs.enqueue(job("test.nobody-handles-this", "{}"));

        await().atMost(Duration.ofSeconds(5)).until(() -> "dead".equals(status(id)));
        assertThat(row(id).lastError()).contains("no handler").contains("test.nobody-handles-this");
    }

    @Test
    void jobs_sharing_an_ordering_key_run_one_at_a_time_in_queue_order_and_other_keys_are_not_blocked() {
        String key = "key-" + UUID.randomUUID();
        String first = key + "-first";
        String second = key + "-second";
        String other = "other-" + UUID.randomUUID();
        CountDownLatch gate = new CountDownLatch(1);
        GATES.put(first, gate);

        jobs.enqueue(ordered(first, key, false));
        jobs.enqueue(ordered(second, key, false));
        jobs.enqueue(ordered(other, "another-key-" + UUID.randomUUID(), false));

        await().atMost(Duration.ofSeconds(5)).until(() -> STARTED.containsKey(first) && ENDED.containsKey(other));
        // Several polls pass while the first job of the key is running: the second must wait.
        await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2)).until(() -> !STARTED.containsKey(second));
        gate.countDown();
        await().atMost(Duration.ofSeconds(5)).until(() -> ENDED.containsKey(second));
        assertThat(STARTED.get(second)).isAfterOrEqualTo(ENDED.get(first));
    }

    @Test
    void a_dead_job_no_longer_blocks_its_ordering_key() {
        String key = "key-" + UUID.randomUUID();
        String head = key + "-head";
        String next = key + "-next";
        CountDownLatch gate = new CountDownLatch(1);
        GATES.put(head, gate);
        UUID headId = jobs.enqueue(ordered(head, key, true));
        jobs.enqueue(ordered(next, key, false));

        await().atMost(Duration.ofSeconds(5)).until(() -> STARTED.containsKey(head));
        assertThat(STARTED).doesNotContainKey(next);
        gate.countDown();

        await().atMost(Duration.ofSeconds(5)).until(() -> ENDED.containsKey(next));
        assertThat(status(headId)).isEqualTo("dead");
        assertThat(STARTED.get(next)).isAfterOrEqualTo(ENDED.get(head));
    }

    @Test
    void a_retry_waiting_for_its_delay_keeps_its_place_at_the_head_of_its_key() {
        String key = "key-" + UUID.randomUUID();
        UUID head = jobs.enqueue(new NewJob(TestJobHandlers.FLAKY, null, "{}", Instant.now(), key));
        String behind = key + "-behind";
        jobs.enqueue(ordered(behind, key, false));

        await().atMost(Duration.ofSeconds(10)).until(() -> ENDED.containsKey(behind));
        assertThat(status(head)).isEqualTo("dead");
        List<Instant> headAttempts = TestJobHandlers.attempts(head);
        assertThat(STARTED.get(behind)).isAfter(headAttempts.getLast());
    }

    @Test
    void a_job_whose_lease_expires_is_reclaimed_and_its_attempt_counts_as_failed() {
        UUID id = jobs.enqueue(job(TestJobHandlers.SLOW, "{}"));

        await().atMost(Duration.ofSeconds(5)).until(() -> TestJobHandlers.ran(id));
        await().atMost(Duration.ofSeconds(5)).until(() -> "succeeded".equals(status(id)));
        assertThat(row(id).attempt()).isEqualTo(2);
        assertThat(row(id).lastError()).isEqualTo("lease expired");
        List<Instant> attempts = TestJobHandlers.attempts(id);
        assertThat(Duration.between(attempts.get(0), attempts.get(1)))
                .isGreaterThanOrEqualTo(TestJobHandlers.SLOW_LEASE);

        // The first attempt finishes late: its outcome is discarded, the job stays as attempt 2 left it.
        await().atMost(Duration.ofSeconds(5)).until(() -> ENDED.containsKey(id.toString()));
        await().during(Duration.ofMillis(300))
                .atMost(Duration.ofSeconds(2))
                .until(() -> "succeeded".equals(status(id)));
        assertThat(row(id).attempt()).isEqualTo(2);
    }

    @Test
    void a_worker_renews_the_lease_of_an_attempt_that_outlasts_it_so_the_attempt_is_not_taken_over() {
        UUID id = jobs.enqueue(job(TestJobHandlers.LONG, "{}"));

        await().atMost(Duration.ofSeconds(10)).until(() -> "succeeded".equals(status(id)));
        assertThat(properties.lease()).isLessThan(TestJobHandlers.LONG_RUN.dividedBy(3));
        assertThat(TestJobHandlers.attempts(id)).hasSize(1);
        assertThat(row(id).attempt()).isEqualTo(1);
        assertThat(row(id).lastError()).isNull();
    }

    @Test
    void a_running_job_whose_lease_was_forced_into_the_past_is_reclaimed() {
        String key = "key-" + UUID.randomUUID();
        String name = key + "-stuck";
        CountDownLatch gate = new CountDownLatch(1);
        GATES.put(name, gate);
        UUID id = jobs.enqueue(ordered(name, key, false));
        await().atMost(Duration.ofSeconds(5)).until(() -> STARTED.containsKey(name));

        forceLeaseIntoPast(id);

        // The ordered kind has no retries: a lost lease is its last attempt.
        await().atMost(Duration.ofSeconds(5)).until(() -> "dead".equals(status(id)));
        assertThat(row(id).lastError()).isEqualTo("lease expired");
        gate.countDown();
        await().atMost(Duration.ofSeconds(5)).until(() -> ENDED.containsKey(name));
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).until(() -> "dead".equals(status(id)));
    }

    @Test
    void a_recurring_job_runs_once_per_interval_even_with_two_workers_on_the_database() throws Exception {
        JobWorker second = new JobWorker(
                anotherNodesStore(), handlers, new JobSignal(), properties, transactions, jobMeters, NodeRoles.ALL);
        Instant from = Instant.now();
        second.start();
        try {
            Thread.sleep(3_000);
        } finally {
            second.stop();
        }

        List<Instant> slots = repository.page(null, null, TestJobHandlers.RECURRING, null, 1_000).stream()
                .map(listed -> listed.view().runAt())
                .filter(runAt -> !runAt.isBefore(from))
                .sorted()
                .toList();
        assertThat(slots).hasSizeGreaterThanOrEqualTo(3);
        for (int i = 1; i < slots.size(); i++) {
            assertThat(Duration.between(slots.get(i - 1), slots.get(i)))
                    .as("time between scheduled runs %d and %d", i - 1, i)
                    .isGreaterThanOrEqualTo(TestJobHandlers.RECURRING_EVERY);
        }
        assertThat(schedules(TestJobHandlers.RECURRING)).isOne();
    }

    @Test
    void retention_deletes_finished_jobs_past_their_retention_and_keeps_the_rest() {
        UUID oldSucceeded = insertFinished("succeeded", Duration.ofDays(2));
        UUID recentSucceeded = insertFinished("succeeded", Duration.ofHours(1));
        UUID oldDead = insertFinished("dead", Duration.ofDays(15));
        UUID recentDead = insertFinished("dead", Duration.ofDays(3));

        retention.handle(
                new Job(UUID.randomUUID(), JobRetention.KIND, null, "{}", 1, Instant.now(), Instant.now(), null));

        List<UUID> left = Stream.of(oldSucceeded, recentSucceeded, oldDead, recentDead)
                .filter(id -> repository.find(null, id).isPresent())
                .toList();
        assertThat(left).containsExactlyInAnyOrder(recentSucceeded, recentDead);
        assertThat(schedules(JobRetention.KIND)).isOne();
    }

    @Test
    void a_job_queued_before_the_application_stops_runs_once_it_is_started_again() {
        String url = TestDatabases.create();
        UUID id;
        // The first application only queues: it stops with the job queued and due.
        Map<String, String> backend = backendProperties();
        try (ConfigurableApplicationContext first = start(url, backend, "sextant.jobs.worker-enabled=false")) {
            id = first.getBean(Jobs.class).enqueue(job(TestJobHandlers.ECHO, "{}"));
            await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).until(() -> !TestJobHandlers.ran(id));
            assertThat(first.getBean(JobStore.class)
                            .find(null, id)
                            .orElseThrow()
                            .status())
                    .isEqualTo(JobStatus.QUEUED);
        }

        // A long poll: only the durable queue and the wake-up on commit can make these jobs run soon.
        try (ConfigurableApplicationContext second = start(url, backend, "sextant.jobs.poll-interval=30s")) {
            await().atMost(Duration.ofSeconds(10)).until(() -> TestJobHandlers.ran(id));

            Jobs restarted = second.getBean(Jobs.class);
            UUID queuedNow = second.getBean(TransactionTemplate.class)
                    .execute(status -> restarted.enqueue(job(TestJobHandlers.ECHO, "{}")));
            await().atMost(Duration.ofSeconds(3)).until(() -> TestJobHandlers.ran(queuedNow));
        }
    }

    /** A whole second application on {@code databaseUrl}; {@code overrides} as "key=value". */
    private static ConfigurableApplicationContext start(
            String databaseUrl, Map<String, String> backend, String... overrides) {
        Map<String, String> properties = new LinkedHashMap<>(backend);
        properties.put("sextant.db.url", databaseUrl);
        properties.put("server.port", "0");
        properties.put("sextant.http.shutdown-drain", "0s");
        properties.put("sextant.auth.issuer", ISSUER);
        properties.put("sextant.auth.bootstrap.admin-password", ADMIN_PASSWORD);
        properties.put("sextant.jobs.poll-interval", "100ms");
        properties.put("logging.level.root", "WARN");
        for (String override : overrides) {
            properties.put(override.substring(0, override.indexOf('=')), override.substring(override.indexOf('=') + 1));
        }
        // As command-line arguments: they take precedence over application.yml.
        String[] args = properties.entrySet().stream()
                .map(e -> "--" + e.getKey() + "=" + e.getValue())
                .toArray(String[]::new);
        return new SpringApplicationBuilder(SextantApplication.class, TestJobHandlers.class).run(args);
    }
}
