package io.sextant.jobs;

import io.sextant.shared.TenantContext;
import io.sextant.testing.ApiClient;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import tools.jackson.databind.JsonNode;

/**
 * Job handlers for the jobs tests, one per behaviour under test. What they saw is kept in static
 * maps keyed by job id (or by a name from the payload), so a test can read it whichever application
 * context ran the job, and tests do not see each other's jobs.
 */
@TestConfiguration(proxyBeanMethods = false)
class TestJobHandlers {

    static final String ECHO = "test.echo";
    static final String FLAKY = "test.flaky";
    static final String PERMANENT = "test.permanent";
    static final String ONCE = "test.fails-once";
    static final String ORDERED = "test.ordered";
    static final String SLOW = "test.slow";
    static final String RECURRING = "test.recurring";
    static final String BATCHED = "test.batched";
    static final String LONG = "test.long";
    /** How long a job of kind {@link #LONG} runs: several of the tests' 1 s leases. */
    static final Duration LONG_RUN = Duration.ofMillis(3_500);

    static final int BATCH_SIZE = 4;

    static final RetryPolicy FLAKY_POLICY =
            new RetryPolicy(List.of(Duration.ofMillis(300), Duration.ofMillis(600)), 0.2);
    static final Duration SLOW_LEASE = Duration.ofMillis(300);
    static final Duration RECURRING_EVERY = Duration.ofMillis(500);

    /** Start instants of every attempt, by job id. */
    static final Map<UUID, List<Instant>> ATTEMPTS = new ConcurrentHashMap<>();
    /** Ids of jobs that completed their handler normally. */
    static final Set<UUID> SUCCEEDED = ConcurrentHashMap.newKeySet();
    /** The tenant in context while each job ran ("system" when none). */
    static final Map<UUID, String> TENANTS = new ConcurrentHashMap<>();
    /** deadLettered calls by job id, with the error each was given. */
    static final Map<UUID, List<String>> DEAD_LETTERED = new ConcurrentHashMap<>();
    /** When each ordered job started, by name. */
    static final Map<String, Instant> STARTED = new ConcurrentHashMap<>();
    /** When each ordered job (by name) or the first attempt of each slow job (by id) ended. */
    static final Map<String, Instant> ENDED = new ConcurrentHashMap<>();
    /** Ordered jobs wait for their gate, if a test set one for their name. */
    static final Map<String, CountDownLatch> GATES = new ConcurrentHashMap<>();

    /** The ids of the jobs of each {@code handleAll} call of the batched handler, in call order. */
    static final List<List<UUID>> BATCHES = new CopyOnWriteArrayList<>();

    static boolean ran(UUID id) {
        return SUCCEEDED.contains(id);
    }

    static List<Instant> attempts(UUID id) {
        return ATTEMPTS.getOrDefault(id, List.of());
    }

    private static void record(Job job) {
        ATTEMPTS.computeIfAbsent(job.id(), k -> new CopyOnWriteArrayList<>()).add(Instant.now());
        TENANTS.put(job.id(), TenantContext.current().map(UUID::toString).orElse("system"));
    }

    private static void recordDeadLetter(Job job, String error) {
        DEAD_LETTERED
                .computeIfAbsent(job.id(), k -> new CopyOnWriteArrayList<>())
                .add(error);
    }

    @Bean
    JobHandler echoHandler() {
        return new JobHandler() {
            @Override
            public String kind() {
                return ECHO;
            }

            @Override
            public void handle(Job job) {
                record(job);
                SUCCEEDED.add(job.id());
            }
        };
    }

    @Bean
    JobHandler flakyHandler() {
        return alwaysFailing(FLAKY, () -> new IllegalStateException("receiver answered 503"));
    }

    @Bean
    JobHandler permanentFailureHandler() {
        return alwaysFailing(PERMANENT, () -> new PermanentJobFailure("the payload names no receiver"));
    }

    /** Fails every attempt with {@code failure}, retrying on {@link #FLAKY_POLICY}. */
    private static JobHandler alwaysFailing(String kind, java.util.function.Supplier<RuntimeException> failure) {
        return new JobHandler() {
            @Override
            public String kind() {
                return kind;
            }

            @Override
            public void handle(Job job) {
                record(job);
                throw failure.get();
            }

            @Override
            public RetryPolicy retryPolicy() {
                return FLAKY_POLICY;
            }

            @Override
            public void deadLettered(Job job, String lastError) {
                recordDeadLetter(job, lastError);
            }
        };
    }

    /** Fails permanently the first time it sees a job, succeeds from then on: for retry by hand. */
    @Bean
    JobHandler failsOnceHandler() {
        return new JobHandler() {
            @Override
            public String kind() {
                return ONCE;
            }

            @Override
            public void handle(Job job) {
                record(job);
                if (attempts(job.id()).size() == 1) {
                    throw new PermanentJobFailure("first time fails");
                }
                SUCCEEDED.add(job.id());
            }
        };
    }

    /**
     * Payload {@code {"name": "...", "fail": false}}: records when the named job starts and ends,
     * waits for the name's gate if there is one, and fails permanently if asked to.
     */
    @Bean
    JobHandler orderedHandler() {
        return new JobHandler() {
            @Override
            public String kind() {
                return ORDERED;
            }

            @Override
            public void handle(Job job) throws InterruptedException {
                JsonNode payload = ApiClient.JSON.readTree(job.payload());
                String name = payload.get("name").asString();
                record(job);
                STARTED.put(name, Instant.now());
                try {
                    CountDownLatch gate = GATES.get(name);
                    if (gate != null && !gate.await(20, TimeUnit.SECONDS)) {
                        throw new IllegalStateException("gate of " + name + " never opened");
                    }
                    if (payload.path("fail").asBoolean(false)) {
                        throw new PermanentJobFailure(name + " fails");
                    }
                    SUCCEEDED.add(job.id());
                } finally {
                    ENDED.put(name, Instant.now());
                }
            }
        };
    }

    /** Outlives its short lease on the first attempt; the second attempt is quick. */
    @Bean
    JobHandler slowHandler() {
        return new JobHandler() {
            @Override
            public String kind() {
                return SLOW;
            }

            @Override
            public void handle(Job job) throws InterruptedException {
                record(job);
                if (job.attempt() == 1) {
                    Thread.sleep(2_000);
                    ENDED.put(job.id().toString(), Instant.now());
                    return;
                }
                SUCCEEDED.add(job.id());
            }

            @Override
            public Duration timeout() {
                return SLOW_LEASE;
            }

            @Override
            public RetryPolicy retryPolicy() {
                return new RetryPolicy(List.of(Duration.ofMillis(100)), 0);
            }
        };
    }

    @Bean
    JobHandler recurringHandler() {
        return new JobHandler() {
            @Override
            public String kind() {
                return RECURRING;
            }

            @Override
            public void handle(Job job) {
                record(job);
                SUCCEEDED.add(job.id());
            }

            @Override
            public Duration every() {
                return RECURRING_EVERY;
            }
        };
    }

    /**
     * Takes up to {@link #BATCH_SIZE} jobs per call; a job whose payload says {@code "fail": true}
     * fails its first attempt (retried on {@link #FLAKY_POLICY}), every other job succeeds.
     */
    @Bean
    JobHandler batchedHandler() {
        return new JobHandler() {
            @Override
            public String kind() {
                return BATCHED;
            }

            @Override
            public void handle(Job job) {
                throw new AssertionError("the worker hands every job of a batching kind to handleAll");
            }

            @Override
            public int batchSize() {
                return BATCH_SIZE;
            }

            @Override
            public Map<UUID, Exception> handleAll(List<Job> batch) {
                BATCHES.add(batch.stream().map(Job::id).toList());
                Map<UUID, Exception> failures = new java.util.HashMap<>();
                for (Job job : batch) {
                    record(job);
                    if (job.attempt() == 1
                            && ApiClient.JSON
                                    .readTree(job.payload())
                                    .path("fail")
                                    .asBoolean(false)) {
                        failures.put(job.id(), new IllegalStateException("receiver answered 503"));
                    } else {
                        SUCCEEDED.add(job.id());
                    }
                }
                return failures;
            }

            @Override
            public RetryPolicy retryPolicy() {
                return FLAKY_POLICY;
            }
        };
    }

    /** Runs {@link #LONG_RUN}, well past the lease but well within its 30 s timeout, then succeeds. */
    @Bean
    JobHandler longHandler() {
        return new JobHandler() {
            @Override
            public String kind() {
                return LONG;
            }

            @Override
            public void handle(Job job) throws InterruptedException {
                record(job);
                Thread.sleep(LONG_RUN.toMillis());
                SUCCEEDED.add(job.id());
            }

            @Override
            public Duration timeout() {
                return Duration.ofSeconds(30);
            }

            @Override
            public RetryPolicy retryPolicy() {
                return FLAKY_POLICY;
            }
        };
    }
}
