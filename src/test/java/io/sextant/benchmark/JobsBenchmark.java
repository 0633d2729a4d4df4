package io.sextant.benchmark;

import io.lettuce.core.Consumer;
import io.lettuce.core.RedisBusyException;
import io.lettuce.core.RedisClient;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XGroupCreateArgs;
import io.lettuce.core.XReadArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.sextant.SextantApplication;
import io.sextant.jobs.Job;
import io.sextant.jobs.JobHandler;
import io.sextant.jobs.Jobs;
import io.sextant.jobs.NewJob;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The jobs benchmark of docs/benchmarks.md ("Jobs"), run by {@code scripts/benchmark-jobs.sh}: for
 * each store (Redis Streams, PostgreSQL), in one run, (1) jobs per second through Sextant's job
 * queue — producers queue with {@code Jobs.enqueue} while the node's worker runs a no-op handler —
 * beside a raw loop of the store's own primitives with the same payload, producers and consumers
 * (Redis: XADD / XREADGROUP / XACK; PostgreSQL: INSERT / UPDATE … SKIP LOCKED / UPDATE), and the
 * ratio; (2) enqueue-to-start latency p50/p99 at a steady rate well under saturation. Sextant runs
 * in this JVM (a Spring context with every role) on a fresh database; every figure is measured here.
 */
public final class JobsBenchmark {

    static final String KIND = "bench.noop";
    /** A webhook delivery job's payload has this shape and size. */
    static final String PAYLOAD = "{\"subscriptionId\":\"" + UUID.randomUUID() + "\",\"eventId\":\"" + UUID.randomUUID()
            + "\",\"deliveryId\":\"" + UUID.randomUUID() + "\"}";

    static final AtomicLong DONE = new AtomicLong();
    static final ConcurrentLinkedQueue<Long> LATENCIES_MICROS = new ConcurrentLinkedQueue<>();
    static volatile boolean recordLatency;

    private JobsBenchmark() {}

    /** The handler: counts, and records how long after its enqueue a job started. */
    @Configuration(proxyBeanMethods = false)
    public static class BenchmarkHandler {

        @Bean
        JobHandler benchmarkNoop() {
            return new JobHandler() {
                @Override
                public String kind() {
                    return KIND;
                }

                @Override
                public void handle(Job job) {
                    if (recordLatency) {
                        LATENCIES_MICROS.add(
                                Duration.between(job.runAt(), Instant.now()).toNanos() / 1_000);
                    }
                    DONE.incrementAndGet();
                }
            };
        }
    }

    record Options(
            String dbUrl, String redisUrl, int jobs, int producers, int consumers, int rate, int seconds, Path out) {

        static Options parse(String[] args) {
            Map<String, String> values = new LinkedHashMap<>();
            for (int i = 0; i + 1 < args.length; i += 2) {
                values.put(args[i].replaceFirst("^--", ""), args[i + 1]);
            }
            return new Options(
                    values.getOrDefault("db-url", "jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres"),
                    values.getOrDefault("redis-url", "redis://127.0.0.1:6379"),
                    Integer.parseInt(values.getOrDefault("jobs", "20000")),
                    Integer.parseInt(values.getOrDefault("producers", "4")),
                    Integer.parseInt(values.getOrDefault("consumers", "16")),
                    Integer.parseInt(values.getOrDefault("rate", "200")),
                    Integer.parseInt(values.getOrDefault("seconds", "10")),
                    Path.of(values.getOrDefault("out", "target/benchmark-jobs")));
        }
    }

    public static void main(String[] args) throws Exception {
        Options options = Options.parse(args);
        Files.createDirectories(options.out());
        StringBuilder report = new StringBuilder();
        report.append("# Jobs benchmark\n\n").append(machine(options)).append('\n');
        report.append("| store | Sextant jobs/s | raw loop /s | ratio | enqueue→start p50 | p99 | at |\n");
        report.append("|---|---|---|---|---|---|---|\n");
        for (String backend : List.of("redis", "postgres")) {
            String database = "sextant_jobs_bench_" + backend;
            recreate(options.dbUrl(), database);
            String prefix = "jobs-bench-" + UUID.randomUUID() + ":";
            try (ConfigurableApplicationContext context = start(options, database, backend, prefix)) {
                Jobs jobs = context.getBean(Jobs.class);
                int n = backend.equals("redis") ? options.jobs() : Math.max(options.jobs() / 4, 1_000);
                // Warm-up: the code paths, the connection pools.
                throughput(jobs, Math.min(2_000, n), options.producers());
                double sextant = throughput(jobs, n, options.producers());
                double raw = backend.equals("redis")
                        ? rawRedis(options.redisUrl(), prefix, n, options.producers(), options.consumers())
                        : rawPostgres(
                                withDatabase(options.dbUrl(), database), n, options.producers(), options.consumers());
                long[] latency = latency(jobs, options.rate(), options.seconds());
                String line = String.format(
                        Locale.ROOT,
                        "| %s | %,.0f | %,.0f | **%.2f** | %.1f ms | %.1f ms | %d/s × %d s |%n",
                        backend,
                        sextant,
                        raw,
                        sextant / raw,
                        latency[0] / 1000.0,
                        latency[1] / 1000.0,
                        options.rate(),
                        options.seconds());
                System.out.print(line);
                report.append(line);
            } finally {
                cleanRedis(options.redisUrl(), prefix);
                drop(options.dbUrl(), database);
            }
        }
        report.append("\nJobs: ")
                .append(options.jobs())
                .append(" through Redis (a quarter, at least 1,000, through PostgreSQL), ")
                .append(options.producers())
                .append(" producer threads calling `Jobs.enqueue` outside a transaction, the node's ")
                .append(options.consumers())
                .append(" worker slots; the raw loop: the same producers and ")
                .append(options.consumers())
                .append(" consumer threads over the same payload (")
                .append(PAYLOAD.length())
                .append(" bytes).\n");
        Files.writeString(options.out().resolve("report.md"), report.toString());
        System.out.println("Report: " + options.out().resolve("report.md"));
        System.exit(0);
    }

    private static ConfigurableApplicationContext start(
            Options options, String database, String backend, String prefix) {
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("sextant.db.url", withDatabase(options.dbUrl(), database));
        properties.put("server.port", "0");
        properties.put("sextant.auth.bootstrap.admin-password", "benchmark-admin-password");
        properties.put("sextant.redis.url", options.redisUrl());
        properties.put("sextant.redis.key-prefix", prefix);
        properties.put("sextant.jobs.backend", backend);
        properties.put("sextant.jobs.workers", Integer.toString(options.consumers()));
        properties.put(
                "sextant.secrets.keyset-file",
                options.out().resolve("secrets.keyset").toString());
        properties.put("logging.level.root", "WARN");
        String[] args = properties.entrySet().stream()
                .map(e -> "--" + e.getKey() + "=" + e.getValue())
                .toArray(String[]::new);
        return new SpringApplicationBuilder(SextantApplication.class, BenchmarkHandler.class).run(args);
    }

    /** Queues {@code n} jobs from {@code producers} threads; jobs per second from the first enqueue to the last run. */
    private static double throughput(Jobs jobs, int n, int producers) throws Exception {
        DONE.set(0);
        long start = System.nanoTime();
        runConcurrently(producers, n, i -> jobs.enqueue(new NewJob(KIND, null, PAYLOAD, Instant.now(), null)));
        awaitDone(n, Duration.ofMinutes(5));
        return n / ((System.nanoTime() - start) / 1e9);
    }

    /** Enqueue-to-start p50 and p99 in microseconds, at {@code rate} jobs per second for {@code seconds}. */
    private static long[] latency(Jobs jobs, int rate, int seconds) throws Exception {
        DONE.set(0);
        LATENCIES_MICROS.clear();
        recordLatency = true;
        int total = rate * seconds;
        long interval = 1_000_000_000L / rate;
        long start = System.nanoTime();
        for (int i = 0; i < total; i++) {
            long due = start + i * interval;
            long wait = due - System.nanoTime();
            if (wait > 0) {
                TimeUnit.NANOSECONDS.sleep(wait);
            }
            jobs.enqueue(new NewJob(KIND, null, PAYLOAD, Instant.now(), null));
        }
        awaitDone(total, Duration.ofMinutes(2));
        recordLatency = false;
        long[] sorted =
                LATENCIES_MICROS.stream().mapToLong(Long::longValue).sorted().toArray();
        return new long[] {percentile(sorted, 0.50), percentile(sorted, 0.99)};
    }

    /** XADD by the producers; XREADGROUP (up to 16 at a time) and one XACK per entry by the consumers. */
    private static double rawRedis(String url, String prefix, int n, int producers, int consumers) throws Exception {
        RedisClient client = RedisClient.create(url);
        try {
            String stream = prefix + "raw";
            try (StatefulRedisConnection<String, String> admin = client.connect()) {
                try {
                    admin.sync()
                            .xgroupCreate(
                                    XReadArgs.StreamOffset.from(stream, "0"), "g", XGroupCreateArgs.Builder.mkstream());
                } catch (RedisBusyException exists) {
                    // from an earlier run
                }
            }
            AtomicLong acked = new AtomicLong();
            List<StatefulRedisConnection<String, String>> connections = new ArrayList<>();
            for (int i = 0; i < producers + consumers; i++) {
                connections.add(client.connect());
            }
            ExecutorService pool = Executors.newFixedThreadPool(consumers);
            long start = System.nanoTime();
            CountDownLatch done = new CountDownLatch(consumers);
            for (int c = 0; c < consumers; c++) {
                StatefulRedisConnection<String, String> connection = connections.get(producers + c);
                String name = "c" + c;
                pool.execute(() -> {
                    try {
                        while (acked.get() < n) {
                            List<StreamMessage<String, String>> read = connection
                                    .sync()
                                    .xreadgroup(
                                            Consumer.from("g", name),
                                            XReadArgs.Builder.count(16).block(100),
                                            XReadArgs.StreamOffset.lastConsumed(stream));
                            for (StreamMessage<String, String> message : read) {
                                connection.sync().xack(stream, "g", message.getId());
                                acked.incrementAndGet();
                            }
                        }
                    } finally {
                        done.countDown();
                    }
                });
            }
            runConcurrently(
                    producers,
                    n,
                    i -> connections
                            .get(i % producers)
                            .sync()
                            .xadd(stream, Map.of("id", UUID.randomUUID().toString(), "payload", PAYLOAD)));
            if (!done.await(5, TimeUnit.MINUTES)) {
                throw new IllegalStateException("raw Redis loop did not finish: " + acked.get() + " of " + n);
            }
            double rate = n / ((System.nanoTime() - start) / 1e9);
            pool.shutdown();
            connections.forEach(StatefulRedisConnection::close);
            return rate;
        } finally {
            client.shutdown();
        }
    }

    /**
     * INSERT by the producers; the consumers claim up to 16 rows with UPDATE … FOR UPDATE SKIP
     * LOCKED and mark each done with one UPDATE, all autocommitted: the shape of the job table's work.
     */
    private static double rawPostgres(String url, int n, int producers, int consumers) throws Exception {
        try (Connection admin = DriverManager.getConnection(url);
                Statement statement = admin.createStatement()) {
            statement.execute("create table raw_queue (id bigint generated always as identity primary key,"
                    + " payload jsonb not null, status text not null default 'queued', locked_by text)");
            statement.execute("create index raw_queue_claim on raw_queue (id) where status = 'queued'");
        }
        AtomicLong finished = new AtomicLong();
        ExecutorService pool = Executors.newFixedThreadPool(consumers);
        CountDownLatch done = new CountDownLatch(consumers);
        long start = System.nanoTime();
        for (int c = 0; c < consumers; c++) {
            String name = "c" + c;
            pool.execute(() -> {
                try (Connection connection = DriverManager.getConnection(url);
                        PreparedStatement claim = connection.prepareStatement("""
                                update raw_queue set status = 'running', locked_by = ? where id in (
                                  select id from raw_queue where status = 'queued' order by id limit 16
                                  for update skip locked) returning id""");
                        PreparedStatement finish =
                                connection.prepareStatement("update raw_queue set status = 'done' where id = ?")) {
                    while (finished.get() < n) {
                        claim.setString(1, name);
                        List<Long> ids = new ArrayList<>();
                        try (ResultSet rs = claim.executeQuery()) {
                            while (rs.next()) {
                                ids.add(rs.getLong(1));
                            }
                        }
                        if (ids.isEmpty()) {
                            Thread.sleep(1);
                        }
                        for (long id : ids) {
                            finish.setLong(1, id);
                            finish.executeUpdate();
                            finished.incrementAndGet();
                        }
                    }
                } catch (SQLException | InterruptedException e) {
                    throw new IllegalStateException(e);
                } finally {
                    done.countDown();
                }
            });
        }
        List<Connection> producerConnections = new ArrayList<>();
        for (int p = 0; p < producers; p++) {
            producerConnections.add(DriverManager.getConnection(url));
        }
        runConcurrently(producers, n, i -> {
            try (PreparedStatement insert = producerConnections
                    .get(i % producers)
                    .prepareStatement("insert into raw_queue (payload) values (cast(? as jsonb))")) {
                insert.setString(1, PAYLOAD);
                insert.executeUpdate();
            }
        });
        if (!done.await(5, TimeUnit.MINUTES)) {
            throw new IllegalStateException("raw PostgreSQL loop did not finish: " + finished.get() + " of " + n);
        }
        double rate = n / ((System.nanoTime() - start) / 1e9);
        pool.shutdown();
        for (Connection connection : producerConnections) {
            connection.close();
        }
        return rate;
    }

    interface Step {
        void run(int i) throws Exception;
    }

    /** Runs {@code n} steps over {@code threads} threads, thread t taking steps t, t + threads, …. */
    private static void runConcurrently(int threads, int n, Step step) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<java.util.concurrent.Future<?>> futures = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int first = t;
            futures.add(pool.submit(() -> {
                for (int i = first; i < n; i += threads) {
                    step.run(i);
                }
                return null;
            }));
        }
        for (var future : futures) {
            future.get();
        }
        pool.shutdown();
    }

    private static void awaitDone(long n, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (DONE.get() < n) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("only " + DONE.get() + " of " + n + " jobs ran within " + timeout);
            }
            Thread.sleep(1);
        }
    }

    private static long percentile(long[] sorted, double p) {
        if (sorted.length == 0) {
            return 0;
        }
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)];
    }

    private static void recreate(String url, String database) throws SQLException {
        drop(url, database);
        try (Connection connection = DriverManager.getConnection(url);
                Statement statement = connection.createStatement()) {
            statement.execute("create database " + database);
        }
    }

    private static void drop(String url, String database) throws SQLException {
        try (Connection connection = DriverManager.getConnection(url);
                Statement statement = connection.createStatement()) {
            statement.execute("drop database if exists " + database + " with (force)");
        }
    }

    private static void cleanRedis(String url, String prefix) {
        RedisClient client = RedisClient.create(url);
        try (StatefulRedisConnection<String, String> connection = client.connect()) {
            List<String> keys = connection.sync().keys(prefix + "*");
            if (!keys.isEmpty()) {
                connection.sync().del(keys.toArray(String[]::new));
            }
        } finally {
            client.shutdown();
        }
    }

    static String withDatabase(String url, String database) {
        int slash = url.indexOf('/', "jdbc:postgresql://".length());
        int query = url.indexOf('?');
        String base = url.substring(0, slash);
        String params = query < 0 ? "" : url.substring(query);
        return base + "/" + database + params;
    }

    private static String machine(Options options) throws IOException {
        String cpu = Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
                .filter(l -> l.startsWith("model name"))
                .findFirst()
                .map(l -> l.substring(l.indexOf(':') + 2))
                .orElse("unknown CPU");
        long memory = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getTotalMemorySize();
        double[] load = {ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage()};
        return String.format(
                Locale.ROOT,
                "Machine: %s, %d cores, %.0f GiB RAM, JDK %s; load average at start %.2f; run %s; Redis %s, PostgreSQL %s.%n",
                cpu,
                Runtime.getRuntime().availableProcessors(),
                memory / 1024.0 / 1024 / 1024,
                System.getProperty("java.version"),
                load[0],
                Instant.now(),
                options.redisUrl(),
                options.dbUrl().replaceAll("password=[^&]*", "password=…"));
    }
}
