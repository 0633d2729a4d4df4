package io.sextant.benchmark;

import static io.sextant.benchmark.PositionsBenchmark.exec;
import static io.sextant.benchmark.PositionsBenchmark.fmt;
import static io.sextant.benchmark.PositionsBenchmark.runConcurrently;
import static io.sextant.benchmark.PositionsBenchmark.scalar;
import static io.sextant.benchmark.PositionsBenchmark.seconds;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The workflow benchmark of docs/benchmarks.md ("Workflows"), run by {@code
 * scripts/benchmark-workflows.sh}: in one run against a separately started Sextant on its own
 * database, (1) durable command transitions per second over HTTP beside a plain single-row
 * {@code UPDATE} loop over JDBC on the same database, (2) the latency from a position that enters
 * a zone to the transition of the instance waiting for that entry, and (3) how late durable timers
 * fire while 100,000 other timers are pending. Every figure printed is measured in this run.
 */
public final class WorkflowBenchmark {

    static final JsonMapper JSON = JsonMapper.builder().build();
    static final String DEFINITIONS = "/api/v1/workflows/definitions";
    static final String INSTANCES = "/api/v1/workflows/instances";

    /**
     * A two-state toggle: every command is one transition. The final state {@code off} is there
     * because a definition must be able to finish; the benchmark never sends {@code stop}.
     */
    static final String TOGGLE = """
            key: toggle
            description: Two states and two commands; the workflow benchmark's transition loop.
            initial: a
            states:
              a:
                on:
                  - command: flip
                    target: b
                  - command: stop
                    target: "off"
              b:
                on:
                  - command: flop
                    target: a
                  - command: stop
                    target: "off"
              "off":
                type: final
            """;

    /** Waits for its own asset to enter its bound zone. */
    static final String ARRIVAL = """
            key: arrival
            description: Moves when its asset enters its zone; the workflow benchmark's event latency.
            initial: away
            states:
              away:
                on:
                  - event: sextant.zone.entered
                    match: "event.zoneId == instance.zones.site && event.assetId == instance.assets.vehicle"
                    target: arrived
              arrived:
                type: final
            """;

    static final int POLL_TIMEOUT_SECONDS = 60;
    static final double SOUTH = 50.0;
    static final double SIZE = 0.01;

    /** The west edge of the event phase's zone {@code z}: squares side by side, a square apart. */
    static double zoneWest(int z) {
        return 10.0 + z * SIZE * 3;
    }

    /** One state with a timer: {@code delay} is an ISO-8601 duration. */
    static String held(String key, String delay) {
        return """
                key: %s
                description: Waits for its timer; the workflow benchmark's timer lag.
                initial: waiting
                states:
                  waiting:
                    after:
                      - delay: %s
                        target: done
                  done:
                    type: final
                """.formatted(key, delay);
    }

    /** Flags ({@code --name=value} or {@code --name value}); defaults are the full sizes. */
    static final class Settings {
        boolean quick;
        int instances = 200;
        int clients = 4;
        int seconds = 30;
        int warmup = 5;
        int assets = 200;
        int rate = 20;
        String eventZones = "shared";
        int pendingTimers = 100_000;
        String pendingVia = "sql";
        int timerInstances = 500;
        String pgHost = "127.0.0.1";
        int pgPort = 5432;
        String pgUser = "postgres";
        String database = "sextant_wf_bench";
        int port = 18_090;
        String jar = "target/sextant.jar";
        String adminPassword = "benchmark-admin-password";
        String outDir = "target/benchmark-workflows";
        boolean keep;
        List<String> phases = List.of("transitions", "events", "timers");
        List<String> sextantJvmOptions = List.of();

        static Settings parse(String[] args) {
            Map<String, String> flags = new LinkedHashMap<>();
            for (int i = 0; i < args.length; i++) {
                String name = args[i];
                if (!name.startsWith("--")) {
                    throw new IllegalArgumentException("unexpected argument " + name);
                }
                name = name.substring(2);
                int eq = name.indexOf('=');
                if (eq >= 0) {
                    flags.put(name.substring(0, eq), name.substring(eq + 1));
                } else if (name.equals("quick") || name.equals("keep")) {
                    flags.put(name, "true");
                } else if (i + 1 < args.length) {
                    flags.put(name, args[++i]);
                } else {
                    throw new IllegalArgumentException("--" + name + " needs a value");
                }
            }
            Settings s = new Settings();
            if (Boolean.parseBoolean(flags.getOrDefault("quick", "false"))) {
                s.quick = true;
                s.instances = 50;
                s.seconds = 8;
                s.warmup = 2;
                s.assets = 40;
                s.pendingTimers = 10_000;
                s.timerInstances = 100;
            }
            flags.forEach((name, value) -> {
                switch (name) {
                    case "quick" -> {}
                    case "instances" -> s.instances = Integer.parseInt(value);
                    case "clients" -> s.clients = Integer.parseInt(value);
                    case "seconds" -> s.seconds = Integer.parseInt(value);
                    case "warmup" -> s.warmup = Integer.parseInt(value);
                    case "assets" -> s.assets = Integer.parseInt(value);
                    case "rate" -> s.rate = Integer.parseInt(value);
                    case "event-zones" -> s.eventZones = value;
                    case "pending-timers" -> s.pendingTimers = Integer.parseInt(value);
                    case "pending-via" -> s.pendingVia = value;
                    case "timer-instances" -> s.timerInstances = Integer.parseInt(value);
                    case "pg-host" -> s.pgHost = value;
                    case "pg-port" -> s.pgPort = Integer.parseInt(value);
                    case "pg-user" -> s.pgUser = value;
                    case "database" -> s.database = value;
                    case "port" -> s.port = Integer.parseInt(value);
                    case "jar" -> s.jar = value;
                    case "admin-password" -> s.adminPassword = value;
                    case "out" -> s.outDir = value;
                    case "keep" -> s.keep = Boolean.parseBoolean(value);
                    case "phases" -> s.phases = Arrays.asList(value.split(","));
                    case "sextant-jvm" ->
                        s.sextantJvmOptions = value.isBlank()
                                ? List.of()
                                : Arrays.asList(value.trim().split("\\s+"));
                    default -> throw new IllegalArgumentException("unknown flag --" + name);
                }
            });
            if (!List.of("transitions", "events", "timers").containsAll(s.phases)) {
                throw new IllegalArgumentException("--phases takes transitions, events and timers");
            }
            if (!s.eventZones.equals("shared") && !s.eventZones.equals("own")) {
                throw new IllegalArgumentException("--event-zones is shared or own");
            }
            if (!s.pendingVia.equals("sql") && !s.pendingVia.equals("api")) {
                throw new IllegalArgumentException("--pending-via is sql or api");
            }
            if (s.instances < s.clients || s.clients < 1 || s.seconds < 1 || s.assets < 1 || s.rate < 1) {
                throw new IllegalArgumentException(
                        "--clients, --seconds, --assets and --rate are positive, and --instances at least --clients");
            }
            if (s.pendingTimers < 1 || s.timerInstances < 1) {
                throw new IllegalArgumentException("--pending-timers and --timer-instances are positive");
            }
            return s;
        }

        String describe() {
            return String.format(
                    Locale.ROOT,
                    "%s instances=%,d clients=%d seconds=%d warmup=%d assets=%,d rate=%d/s event-zones=%s pending-timers=%,d"
                            + " pending-via=%s timer-instances=%,d phases=%s",
                    quick ? "--quick" : "full size:",
                    instances,
                    clients,
                    seconds,
                    warmup,
                    assets,
                    rate,
                    eventZones,
                    pendingTimers,
                    pendingVia,
                    timerInstances,
                    String.join(",", phases));
        }
    }

    final Settings o;
    final Report report;
    final Path out;
    final HttpClient http = client();

    SextantProcess sextant;
    String baseUrl;
    String token;
    UUID tenant;

    WorkflowBenchmark(Settings o) throws IOException {
        this.o = o;
        this.out = Path.of(o.outDir);
        Files.createDirectories(out);
        this.report = new Report(out.resolve("report.md"));
    }

    public static void main(String[] args) throws Exception {
        Settings settings = Settings.parse(args);
        WorkflowBenchmark benchmark = new WorkflowBenchmark(settings);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            SextantProcess running = benchmark.sextant;
            if (running != null) {
                try {
                    running.close();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }));
        int status = 0;
        try {
            benchmark.run();
        } catch (Exception | Error e) {
            status = 1;
            System.err.println("benchmark failed: " + e);
            e.printStackTrace();
        } finally {
            benchmark.cleanUp();
        }
        System.exit(status);
    }

    void run() throws Exception {
        long started = System.nanoTime();
        report.h1("Sextant workflow benchmark — " + Instant.now().truncatedTo(ChronoUnit.SECONDS));
        report.line("Parameters: " + o.describe());
        machine();
        try (Connection c = admin("postgres");
                Statement s = c.createStatement()) {
            s.execute("drop database if exists " + o.database + " with (force)");
            s.execute("create database " + o.database);
        }
        startSextant();
        token = signIn();
        try (Connection c = admin(o.database)) {
            tenant = UUID.fromString(scalar(c, "select id::text from tenant where slug = 'default'"));
        }
        if (o.phases.contains("transitions")) {
            phase("1. Durable transitions per second, beside a plain UPDATE loop", this::transitions);
        }
        if (o.phases.contains("events")) {
            phase("2. Event-to-transition latency", this::eventLatency);
        }
        if (o.phases.contains("timers")) {
            phase("3. Timer lag with " + fmt(o.pendingTimers) + " pending timers", this::timerLag);
        }
        report.line("");
        report.line("Sextant's workflow counters at the end: " + workflowCounters());
        report.line("Total run time: " + seconds(System.nanoTime() - started) + " s.");
        report.summary();
    }

    interface Phase {
        void run() throws Exception;
    }

    void phase(String title, Phase phase) throws Exception {
        report.h2(title);
        long t = System.nanoTime();
        phase.run();
        report.line("_Phase duration: " + seconds(System.nanoTime() - t) + " s._");
    }

    void machine() throws SQLException {
        report.h2("Machine");
        report.line("- CPU: " + PositionsBenchmark.cpuModel() + ", "
                + Runtime.getRuntime().availableProcessors() + " cores (nproc)");
        report.line("- Memory: " + PositionsBenchmark.memTotal());
        report.line("- JDK: " + System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
        try (Connection c = admin("postgres")) {
            report.line("- PostgreSQL: " + scalar(c, "select version()"));
            report.line("- PostgreSQL settings its configuration changes from the built-in defaults: "
                    + PositionsBenchmark.changedSettings(c));
            report.line("- PostgreSQL settings: " + scalar(c, """
                            select string_agg(name || '=' || current_setting(name), ', ' order by name)
                            from pg_settings where name in ('shared_buffers', 'synchronous_commit', 'fsync',
                            'commit_delay', 'wal_level', 'max_connections')"""));
        }
        report.line("- Load average when the run started: " + loadAverage());
    }

    static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (IOException e) {
            return "unknown";
        }
    }

    // ------------------------------------------------------------------------------------------
    // 1. Durable transitions per second

    void transitions() throws Exception {
        publish(TOGGLE);
        String[] ids = createInstances(o.instances, i -> Map.of("definition", "toggle"), null);
        report.line(String.format(
                Locale.ROOT,
                "Published `toggle` (a --flip--> b --flop--> a; a final state `off` on `stop`, never sent) and started %,d instances through the API.",
                o.instances));

        // Each client owns the instances i ≡ client (mod clients) and takes them round-robin, so no
        // two clients contend for one row: the loop measures commits, not lock waits.
        Latencies latency = new Latencies(1 << 16);
        AtomicLong failures = new AtomicLong();
        AtomicReference<String> firstFailure = new AtomicReference<>();
        boolean[] inB = new boolean[ids.length];
        Window window = new Window(o.warmup, o.seconds);
        CpuSample before = CpuSample.take(sextant.pid());
        AtomicInteger clientIds = new AtomicInteger();
        runConcurrently(o.clients, () -> {
            int client = clientIds.getAndIncrement();
            HttpClient own = client();
            int k = client;
            while (!window.over()) {
                String command = inB[k] ? "flop" : "flip";
                long t0 = System.nanoTime();
                HttpResponse<String> r = own.send(
                        HttpRequest.newBuilder(URI.create(baseUrl + INSTANCES + "/" + ids[k] + "/commands/" + command))
                                .header("Content-Type", "application/json")
                                .header("Authorization", "Bearer " + token)
                                .timeout(Duration.ofSeconds(30))
                                .POST(HttpRequest.BodyPublishers.ofString("{}"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                long t1 = System.nanoTime();
                if (r.statusCode() == 200) {
                    inB[k] = !inB[k];
                    if (window.counts(t0, t1)) {
                        latency.add(t1 - t0);
                    }
                } else {
                    failures.incrementAndGet();
                    firstFailure.compareAndSet(null, r.statusCode() + " " + r.body());
                    // resynchronise with the stored state
                    inB[k] = "b".equals(instance(ids[k]).get("state").asString());
                }
                k += o.clients;
                if (k >= ids.length) {
                    k = client;
                }
            }
            return null;
        });
        String sextantCpu = CpuSample.take(sextant.pid()).since(before);
        double transitionsPerSecond = latency.count() / (double) o.seconds;

        long history;
        long events;
        try (Connection c = admin(o.database)) {
            history = Long.parseLong(scalar(
                    c,
                    "select count(*) from workflow_history h join workflow_instance i on i.id = h.instance_id"
                            + " where i.definition_key = 'toggle' and h.cause like 'command %'"));
            events = Long.parseLong(scalar(
                    c,
                    "select count(*) from event where type = 'sextant.workflow.transitioned'"
                            + " and data->>'definition' = 'toggle'"));
        }

        // The peer: the same clients, rows and window, one autocommitted single-row UPDATE per step.
        Latencies peerLatency = new Latencies(1 << 16);
        try (Connection c = admin(o.database)) {
            exec(c, "create table wf_peer (id integer primary key, version bigint not null)");
            exec(c, "insert into wf_peer select g, 0 from generate_series(0, " + (o.instances - 1) + ") g");
            exec(c, "vacuum analyze wf_peer");
        }
        Window peerWindow = new Window(o.warmup, o.seconds);
        CpuSample peerBefore = CpuSample.take(sextant.pid());
        AtomicInteger peerIds = new AtomicInteger();
        runConcurrently(o.clients, () -> {
            int client = peerIds.getAndIncrement();
            try (Connection c = admin(o.database);
                    PreparedStatement update =
                            c.prepareStatement("update wf_peer set version = version + 1 where id = ?")) {
                c.setAutoCommit(true);
                int k = client;
                while (!peerWindow.over()) {
                    long t0 = System.nanoTime();
                    update.setInt(1, k);
                    if (update.executeUpdate() != 1) {
                        throw new IllegalStateException("the peer row " + k + " is missing");
                    }
                    long t1 = System.nanoTime();
                    if (peerWindow.counts(t0, t1)) {
                        peerLatency.add(t1 - t0);
                    }
                    k += o.clients;
                    if (k >= o.instances) {
                        k = client;
                    }
                }
            }
            return null;
        });
        String peerCpu = CpuSample.take(sextant.pid()).since(peerBefore);
        double updatesPerSecond = peerLatency.count() / (double) o.seconds;
        double ratio = transitionsPerSecond / updatesPerSecond;

        report.table(
                List.of("", "per second", "latency p50 / p99", "CPU (100% = one core)"),
                List.of(
                        List.of(
                                "**Sextant: command → transition** (HTTP, state + history + outbox event, one"
                                        + " transaction)",
                                "**" + fmt(transitionsPerSecond) + "**",
                                latency.p50() + " / " + latency.p99(),
                                sextantCpu),
                        List.of(
                                "peer: `UPDATE … set version = version + 1 where id = ?` (JDBC, autocommit)",
                                fmt(updatesPerSecond),
                                peerLatency.p50() + " / " + peerLatency.p99(),
                                peerCpu),
                        List.of("**ratio** (Sextant ÷ peer)", String.format(Locale.ROOT, "**%.3f**", ratio), "", "")));
        report.line(String.format(
                Locale.ROOT,
                "%d clients over %,d instances (peer: the same clients over %,d rows), %d s measured after a %d s"
                        + " warm-up; only requests started and finished inside the window count. Non-200"
                        + " answers: %d%s. The database holds %,d command history rows and %,d"
                        + " `sextant.workflow.transitioned` events of `toggle` (warm-up included): one each per"
                        + " transition.",
                o.clients,
                o.instances,
                o.instances,
                o.seconds,
                o.warmup,
                failures.get(),
                firstFailure.get() == null ? "" : " (first: " + firstFailure.get() + ")",
                history,
                events));
        if (history != events) {
            report.line("**WARNING: history rows and transition events differ.**");
        }
        report.metric("workflow.transitions_per_s", transitionsPerSecond);
        report.metric("workflow.peer_updates_per_s", updatesPerSecond);
        report.metric("workflow.transitions_ratio", ratio);
        report.metric("workflow.command_p50_ms", latency.percentileMicros(50) / 1000);
        report.metric("workflow.command_p99_ms", latency.percentileMicros(99) / 1000);
        report.metric("workflow.command_failures", failures.get());
    }

    /** A measurement window after a warm-up; a sample counts when it started and ended inside it. */
    static final class Window {
        final long from;
        final long to;

        Window(int warmupSeconds, int seconds) {
            long now = System.nanoTime();
            from = now + Duration.ofSeconds(warmupSeconds).toNanos();
            to = from + Duration.ofSeconds(seconds).toNanos();
        }

        boolean over() {
            return System.nanoTime() >= to;
        }

        boolean counts(long start, long end) {
            return start >= from && end <= to;
        }
    }

    // ------------------------------------------------------------------------------------------
    // 2. Event-to-transition latency

    void eventLatency() throws Exception {
        // One zone shared by every instance (the brief's set-up), or with --event-zones own one zone
        // per asset, side by side: the control that takes the consumer's fan-out away.
        boolean shared = o.eventZones.equals("shared");
        int zoneCount = shared ? 1 : o.assets;
        String[] zoneIds = new String[zoneCount];
        AtomicInteger nextZone = new AtomicInteger();
        runConcurrently(Math.min(o.clients, zoneCount), () -> {
            int z;
            while ((z = nextZone.getAndIncrement()) < zoneCount) {
                double west = zoneWest(z);
                List<List<Double>> ring = List.of(
                        List.of(west, SOUTH),
                        List.of(west + SIZE, SOUTH),
                        List.of(west + SIZE, SOUTH + SIZE),
                        List.of(west, SOUTH + SIZE),
                        List.of(west, SOUTH));
                HttpResponse<String> zone = post(
                        "/api/v1/zones",
                        Map.of(
                                "name",
                                "Workflow bench site " + z,
                                "geometry",
                                Map.of("type", "Polygon", "coordinates", List.of(ring))));
                expect(zone, 201, "zone creation");
                zoneIds[z] = JSON.readTree(zone.body()).get("id").asString();
            }
            return null;
        });

        String[] assets = new String[o.assets];
        AtomicInteger next = new AtomicInteger();
        runConcurrently(o.clients, () -> {
            int i;
            while ((i = next.getAndIncrement()) < o.assets) {
                HttpResponse<String> r = post(
                        "/api/v1/assets",
                        Map.of("externalId", externalId(i), "name", "Workflow bench asset " + i, "type", "vehicle"));
                expect(r, 201, "asset creation");
                assets[i] = JSON.readTree(r.body()).get("id").asString();
            }
            return null;
        });
        publish(ARRIVAL);
        String[] ids = createInstances(
                o.assets,
                i -> Map.of(
                        "definition",
                        "arrival",
                        "assets",
                        Map.of("vehicle", assets[i]),
                        "zones",
                        Map.of("site", zoneIds[shared ? 0 : i])),
                null);

        // Every asset outside the zone first, one batch, a minute ago.
        Instant outsideAt = Instant.now().minusSeconds(60).truncatedTo(ChronoUnit.MILLIS);
        List<Map<String, Object>> outside = new ArrayList<>();
        for (int i = 0; i < o.assets; i++) {
            outside.add(fix(i, outsideAt, zoneWest(shared ? 0 : i) + SIZE * 1.5, SOUTH + SIZE / 2));
        }
        expect(post("/api/v1/positions", outside), 200, "the fixes outside");
        Thread.sleep(2_000);
        long rejectionsBefore = counter("sextant_workflow_rejections_total");

        report.line(String.format(
                Locale.ROOT,
                "%s; %,d assets created through the API, each bound (as `vehicle`, the zone as `site`) to an"
                        + " instance of `arrival`, which moves on `sextant.zone.entered` when `event.zoneId =="
                        + " instance.zones.site && event.assetId == instance.assets.vehicle`. Each asset reported"
                        + " a fix outside; then, at %d/s, one fix inside per asset (one POST each).",
                shared ? "One zone shared by every instance" : "One zone per asset (`--event-zones own`)",
                o.assets,
                o.rate));

        // t0 just before each POST; a virtual thread per sample polls the instance until it moved.
        Latencies polled = new Latencies(o.assets);
        Latencies engineClock = new Latencies(o.assets);
        Instant[] postedAt = new Instant[o.assets];
        AtomicLong lost = new AtomicLong();
        AtomicLong polls = new AtomicLong();
        long start = System.nanoTime();
        long periodNanos = 1_000_000_000L / o.rate;
        CpuSample before = CpuSample.take(sextant.pid());
        try (ExecutorService pollers = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> waits = new ArrayList<>();
            for (int i = 0; i < o.assets; i++) {
                long due = start + i * periodNanos;
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                }
                int sample = i;
                Instant wall = Instant.now();
                long t0 = System.nanoTime();
                postedAt[i] = wall;
                expect(
                        post(
                                "/api/v1/positions",
                                List.of(fix(i, wall, zoneWest(shared ? 0 : i) + SIZE / 2, SOUTH + SIZE / 2))),
                        200,
                        "a fix inside");
                waits.add(pollers.submit(() -> {
                    // every 5 ms at first, then a tenth of the time waited so far (at most 1 s): the
                    // error stays within a tenth of the latency, and slow samples do not become a load
                    long deadline =
                            t0 + Duration.ofSeconds(POLL_TIMEOUT_SECONDS).toNanos();
                    while (System.nanoTime() < deadline) {
                        polls.incrementAndGet();
                        if ("arrived".equals(instance(ids[sample]).get("state").asString())) {
                            polled.add(System.nanoTime() - t0);
                            return null;
                        }
                        long waited = (System.nanoTime() - t0) / 1_000_000;
                        Thread.sleep(Math.clamp(waited / 10, 5, 1_000));
                    }
                    lost.incrementAndGet();
                    return null;
                }));
            }
            for (Future<?> f : waits) {
                f.get();
            }
        }
        String cpu = CpuSample.take(sextant.pid()).since(before);
        long rejections = counter("sextant_workflow_rejections_total") - rejectionsBefore;
        // Where the time goes: the entry event's recorded_at (the now() of the ingest transaction that
        // appended it) splits each sample into position → event and event → transition.
        Map<String, Instant> entered = new LinkedHashMap<>();
        try (Connection c = admin(o.database);
                Statement s = c.createStatement();
                var rs = s.executeQuery("select asset_id::text, min(recorded_at) from event"
                        + " where type = 'sextant.zone.entered' group by asset_id")) {
            while (rs.next()) {
                entered.put(rs.getString(1), rs.getTimestamp(2).toInstant());
            }
        }
        Latencies toEvent = new Latencies(o.assets);
        Latencies toTransition = new Latencies(o.assets);
        for (int i = 0; i < o.assets; i++) {
            JsonNode items = history(ids[i]);
            for (JsonNode entry : items) {
                if (entry.get("to").asString().equals("arrived")) {
                    Instant at = Instant.parse(entry.get("at").asString());
                    engineClock.add(Duration.between(postedAt[i], at).toNanos());
                    Instant recorded = entered.get(assets[i]);
                    if (recorded != null) {
                        toEvent.add(Duration.between(postedAt[i], recorded).toNanos());
                        toTransition.add(Duration.between(recorded, at).toNanos());
                    }
                }
            }
        }
        report.table(
                List.of("event → transition", "samples", "p50", "p99", "max"),
                List.of(
                        List.of(
                                "**wall clock**: t0 before the POST → the instance read back moved (polled every 5 ms, then every tenth of the time waited, at most 1 s)",
                                Integer.toString(polled.count()),
                                "**" + polled.p50() + "**",
                                "**" + polled.p99() + "**",
                                Latencies.micros(polled.percentileMicros(100))),
                        List.of(
                                "engine clock: t0 → the history entry's `at` (same machine, same clock)",
                                Integer.toString(engineClock.count()),
                                engineClock.p50(),
                                engineClock.p99(),
                                Latencies.micros(engineClock.percentileMicros(100))),
                        List.of(
                                "of which t0 → the `sextant.zone.entered` event's `recorded_at` (ingest, fences)",
                                Integer.toString(toEvent.count()),
                                toEvent.p50(),
                                toEvent.p99(),
                                Latencies.micros(toEvent.percentileMicros(100))),
                        List.of(
                                "of which `recorded_at` → the history entry's `at` (relay, workflow consumer)",
                                Integer.toString(toTransition.count()),
                                toTransition.p50(),
                                toTransition.p99(),
                                Latencies.micros(toTransition.percentileMicros(100)))));
        report.line(String.format(
                Locale.ROOT,
                "Not seen moved within %d s of t0: %d. Instance reads while polling: %,d. CPU during the paced run: %s."
                        + " Triggers that moved no instance during the run (`sextant.workflow.rejections`): %,d for"
                        + " %,d zone entries (%.1f per entry; the consumer tries each event on every running instance"
                        + " bound to its asset or its zone as the row stands, unlocked, and locks and steps only those it"
                        + " moves, so a trigger counted here was refused under the lock; %,d instances share each zone"
                        + " here).",
                POLL_TIMEOUT_SECONDS,
                lost.get(),
                polls.get(),
                cpu,
                rejections,
                o.assets,
                rejections / (double) o.assets,
                shared ? o.assets : 1));
        report.metric("workflow.event_latency_p50_ms", polled.percentileMicros(50) / 1000);
        report.metric("workflow.event_latency_p99_ms", polled.percentileMicros(99) / 1000);
        report.metric("workflow.event_latency_engine_p50_ms", engineClock.percentileMicros(50) / 1000);
        report.metric("workflow.event_latency_engine_p99_ms", engineClock.percentileMicros(99) / 1000);
        report.metric("workflow.event_to_transition_p50_ms", toTransition.percentileMicros(50) / 1000);
        report.metric("workflow.event_to_transition_p99_ms", toTransition.percentileMicros(99) / 1000);
        report.metric("workflow.event_rejections_per_entry", rejections / (double) o.assets);
    }

    static String externalId(int i) {
        return String.format(Locale.ROOT, "wf-bench-%06d", i);
    }

    static Map<String, Object> fix(int asset, Instant time, double lon, double lat) {
        return Map.of("externalId", externalId(asset), "time", time.toString(), "lon", lon, "lat", lat);
    }

    // ------------------------------------------------------------------------------------------
    // 3. Timer lag under pending timers

    void timerLag() throws Exception {
        publish(held("hold", "PT1H"));
        long t = System.nanoTime();
        String how;
        if (o.pendingVia.equals("api")) {
            createInstances(o.pendingTimers, i -> Map.of("definition", "hold"), null);
            how = "through the API (`POST " + INSTANCES + "`, " + o.clients + " clients)";
        } else {
            String template = createInstances(1, i -> Map.of("definition", "hold"), null)[0];
            clonePending(template, o.pendingTimers - 1);
            how = "one through the API, the other " + fmt(o.pendingTimers - 1) + " by SQL as copies of it (see below)";
        }
        long pendingNanos = System.nanoTime() - t;
        long queued;
        try (Connection c = admin(o.database)) {
            queued = Long.parseLong(
                    scalar(c, "select count(*) from job where kind = 'workflow.timer' and status = 'queued'"));
        }
        report.line(String.format(
                Locale.ROOT,
                "%,d instances of `hold` (a state with `after: PT1H`) put in place %s in %s s; %,d queued"
                        + " `workflow.timer` jobs.",
                o.pendingTimers,
                how,
                seconds(pendingNanos),
                queued));
        if (o.pendingVia.equals("sql")) {
            report.line("**How the pending timers were made (SQL):** each copy is the API-made instance's rows with a"
                    + " new id (`gen_random_uuid()`, not the engine's time-ordered ids): its `workflow_instance` row"
                    + " (timer ids rewritten), its `start` row in `workflow_history` and its queued"
                    + " `workflow.timer` job, exactly as the engine stores them; without the"
                    + " `sextant.workflow.started` events of the log, and followed by `ANALYZE` of the three"
                    + " tables (autovacuum would, soon after). `--pending-via api` makes them all through the API.");
        }

        // T instances whose timers are due 5 to 15 s from now: one definition per half second of delay.
        List<String> delays = new ArrayList<>();
        for (int tenths = 50; tenths <= 150; tenths += 5) {
            String key = "lag-" + tenths;
            publish(held(key, "PT" + (tenths / 10) + "." + (tenths % 10) + "S"));
            delays.add(key);
        }
        Map<String, Instant> dueAt = new ConcurrentHashMap<>();
        long createStart = System.nanoTime();
        String[] ids = createInstances(
                o.timerInstances,
                i -> Map.of("definition", delays.get(i % delays.size())),
                (id, created) -> dueAt.put(
                        id,
                        Instant.parse(created.get("timers").get(0).get("dueAt").asString())));
        long createNanos = System.nanoTime() - createStart;
        Instant lastDue = dueAt.values().stream().max(Instant::compareTo).orElseThrow();
        CpuSample before = CpuSample.take(sextant.pid());

        // Wait for the last due time, then until every instance has moved (or a minute more).
        Instant deadline = lastDue.plusSeconds(60);
        Thread.sleep(Math.max(0, Duration.between(Instant.now(), lastDue).toMillis()) + 1_000);
        Latencies lag = new Latencies(o.timerInstances);
        List<String> waiting = new ArrayList<>(Arrays.asList(ids));
        while (!waiting.isEmpty() && Instant.now().isBefore(deadline)) {
            List<String> still = new ArrayList<>();
            for (String id : waiting) {
                JsonNode moved = null;
                for (JsonNode entry : history(id)) {
                    if (entry.get("cause").asString().startsWith("timer ")) {
                        moved = entry;
                    }
                }
                if (moved == null) {
                    still.add(id);
                } else {
                    lag.add(Duration.between(
                                    dueAt.get(id), Instant.parse(moved.get("at").asString()))
                            .toNanos());
                }
            }
            waiting = still;
            if (!waiting.isEmpty()) {
                Thread.sleep(1_000);
            }
        }
        String cpu = CpuSample.take(sextant.pid()).since(before);
        report.line(String.format(
                Locale.ROOT,
                "Then %,d instances through the API (%d clients, %s s) of 21 definitions whose `after` timers wait"
                        + " 5.0, 5.5, … 15.0 s. Lag = the timer transition's history `at` − the timer's `dueAt`, both"
                        + " as the API gives them.",
                o.timerInstances,
                o.clients,
                seconds(createNanos)));
        report.table(
                List.of("timer lag", "fired", "not fired within 60 s of the last due time", "p50", "p99", "max"),
                List.of(List.of(
                        "with " + fmt(o.pendingTimers) + " other timers pending",
                        Integer.toString(lag.count()),
                        Integer.toString(waiting.size()),
                        "**" + lag.p50() + "**",
                        "**" + lag.p99() + "**",
                        Latencies.micros(lag.percentileMicros(100)))));
        report.line("CPU while the timers fired (and the driver polled histories): " + cpu + ".");
        report.metric("workflow.timer_lag_p50_ms", lag.percentileMicros(50) / 1000);
        report.metric("workflow.timer_lag_p99_ms", lag.percentileMicros(99) / 1000);
        report.metric("workflow.timer_lag_max_ms", lag.percentileMicros(100) / 1000);
        report.metric("workflow.timers_not_fired", waiting.size());
    }

    /** {@code count} copies of the template instance, its start history row and its timer job, by SQL. */
    void clonePending(String template, int count) throws SQLException {
        if (count <= 0) {
            return;
        }
        try (Connection c = admin(o.database)) {
            c.setAutoCommit(false);
            exec(
                    c,
                    "create temporary table wf_copy on commit drop as select gen_random_uuid() as id"
                            + " from generate_series(1, " + count + ")");
            try (PreparedStatement instances = c.prepareStatement("""
                            insert into workflow_instance (id, tenant_id, definition_key, definition_version, state,
                                version, finished, variables, assets, zones, timers, parent_id, created_by, created_at,
                                updated_at)
                            select n.id, t.tenant_id, t.definition_key, t.definition_version, t.state, t.version,
                                t.finished, t.variables, t.assets, t.zones,
                                cast(replace(cast(t.timers as text), cast(t.id as text), cast(n.id as text)) as jsonb),
                                t.parent_id, t.created_by, t.created_at, t.updated_at
                            from wf_copy n cross join workflow_instance t where t.id = cast(? as uuid)""");
                    PreparedStatement history = c.prepareStatement("""
                            insert into workflow_history (tenant_id, instance_id, seq, at, cause, actor, from_state,
                                to_state, changed)
                            select h.tenant_id, n.id, h.seq, h.at, h.cause, h.actor, h.from_state, h.to_state, h.changed
                            from wf_copy n cross join workflow_history h where h.instance_id = cast(? as uuid)""");
                    PreparedStatement jobs = c.prepareStatement("""
                            insert into job (id, kind, tenant_id, payload, status, attempt, max_attempts, run_at,
                                created_at, ordering_key)
                            select gen_random_uuid(), j.kind, j.tenant_id,
                                cast(replace(cast(j.payload as text), ?, cast(n.id as text)) as jsonb),
                                j.status, j.attempt, j.max_attempts, j.run_at, j.created_at, j.ordering_key
                            from wf_copy n cross join job j
                            where j.kind = 'workflow.timer' and j.payload->>'instanceId' = ?""")) {
                instances.setString(1, template);
                history.setString(1, template);
                jobs.setString(1, template);
                jobs.setString(2, template);
                check(instances.executeUpdate(), count, "workflow_instance");
                check(history.executeUpdate(), count, "workflow_history");
                check(jobs.executeUpdate(), count, "job");
            }
            c.commit();
            c.setAutoCommit(true);
            exec(c, "analyze workflow_instance, workflow_history, job");
        }
    }

    static void check(int rows, int expected, String table) {
        if (rows != expected) {
            throw new IllegalStateException(rows + " rows copied into " + table + ", not " + expected);
        }
    }

    // ------------------------------------------------------------------------------------------
    // Sextant and its API

    void startSextant() throws Exception {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("SEXTANT_DB_URL", jdbcUrl(o.database));
        env.put("SEXTANT_DB_USERNAME", o.pgUser);
        env.put("SEXTANT_HTTP_RATE_LIMIT_ENABLED", "false");
        env.put("SEXTANT_BOOTSTRAP_ADMIN_PASSWORD", o.adminPassword);
        env.put("SEXTANT_AUTH_TOKEN_TTL", "6h");
        Path log = out.resolve("sextant.log");
        sextant = SextantProcess.start(Path.of(o.jar), o.sextantJvmOptions, env, o.port, log);
        long ready = sextant.awaitReady(Duration.ofMinutes(5));
        baseUrl = "http://127.0.0.1:" + o.port;
        report.line("");
        report.line("Sextant ready " + ready + " ms after process start (default JVM options"
                + (o.sextantJvmOptions.isEmpty() ? "" : " plus " + o.sextantJvmOptions) + ", rate limit off); log "
                + log);
    }

    String signIn() throws Exception {
        HttpResponse<String> r = send(HttpRequest.newBuilder(URI.create(baseUrl + "/api/v1/auth/token"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(
                        JSON.writeValueAsString(Map.of("username", "admin", "password", o.adminPassword)))));
        expect(r, 200, "sign-in");
        return JSON.readTree(r.body()).get("access_token").asString();
    }

    void publish(String yaml) throws Exception {
        HttpResponse<String> r = send(HttpRequest.newBuilder(URI.create(baseUrl + DEFINITIONS))
                .header("Content-Type", "application/yaml")
                .header("Authorization", "Bearer " + token)
                .POST(HttpRequest.BodyPublishers.ofString(yaml)));
        expect(r, 201, "publishing a definition");
    }

    interface Body {
        Map<String, Object> of(int index);
    }

    interface OnCreated {
        void accept(String id, JsonNode created);
    }

    /** Starts {@code count} instances through the API with the benchmark's clients; their ids in order. */
    String[] createInstances(int count, Body body, OnCreated onCreated) throws Exception {
        String[] ids = new String[count];
        AtomicInteger next = new AtomicInteger();
        runConcurrently(Math.min(o.clients, count), () -> {
            int i;
            while ((i = next.getAndIncrement()) < count) {
                HttpResponse<String> r = post(INSTANCES, body.of(i));
                expect(r, 201, "starting an instance");
                JsonNode created = JSON.readTree(r.body());
                ids[i] = created.get("id").asString();
                if (onCreated != null) {
                    onCreated.accept(ids[i], created);
                }
            }
            return null;
        });
        return ids;
    }

    JsonNode instance(String id) throws Exception {
        HttpResponse<String> r = send(HttpRequest.newBuilder(URI.create(baseUrl + INSTANCES + "/" + id))
                .header("Authorization", "Bearer " + token));
        expect(r, 200, "reading an instance");
        return JSON.readTree(r.body());
    }

    /** The instance's history (its first page of 100 entries: enough for every instance here). */
    JsonNode history(String id) throws Exception {
        HttpResponse<String> r =
                send(HttpRequest.newBuilder(URI.create(baseUrl + INSTANCES + "/" + id + "/history?limit=100"))
                        .header("Authorization", "Bearer " + token));
        expect(r, 200, "reading an instance's history");
        return JSON.readTree(r.body()).get("items");
    }

    HttpResponse<String> post(String path, Object body) throws Exception {
        return send(HttpRequest.newBuilder(URI.create(baseUrl + path))
                .header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + token)
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))));
    }

    HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        try {
            return http.send(request.timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            SextantProcess running = sextant;
            if (running != null && !running.alive()) {
                throw new IllegalStateException(
                        "Sextant is gone (exit " + running.exitValue() + "); see " + running.log(), e);
            }
            throw e;
        }
    }

    static void expect(HttpResponse<String> r, int status, String what) {
        if (r.statusCode() != status) {
            throw new IllegalStateException(what + " failed: " + r.statusCode() + " " + r.body());
        }
    }

    /** A counter of Sextant's Prometheus endpoint (summed over its tags), or -1 when it cannot be read. */
    long counter(String name) {
        try {
            HttpResponse<String> r = send(HttpRequest.newBuilder(URI.create(baseUrl + "/actuator/prometheus")));
            double sum = 0;
            for (String line : r.body().split("\n")) {
                if (line.startsWith(name + "{") || line.startsWith(name + " ")) {
                    sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                }
            }
            return Math.round(sum);
        } catch (Exception e) {
            return -1;
        }
    }

    String workflowCounters() {
        return String.format(
                Locale.ROOT,
                "transitions %,d, rejections %,d, event failures %,d",
                counter("sextant_workflow_transitions_total"),
                counter("sextant_workflow_rejections_total"),
                counter("sextant_workflow_event_failures_total"));
    }

    static HttpClient client() {
        return HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5))
                .build();
    }

    // ------------------------------------------------------------------------------------------
    // Databases

    String jdbcUrl(String database) {
        return "jdbc:postgresql://" + o.pgHost + ":" + o.pgPort + "/" + database;
    }

    Connection admin(String database) throws SQLException {
        return DriverManager.getConnection(jdbcUrl(database) + "?user=" + o.pgUser);
    }

    void cleanUp() {
        try {
            if (sextant != null) {
                sextant.close();
                sextant = null;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (o.keep) {
            System.out.println("--keep: database " + o.database + " left in place");
            return;
        }
        try (Connection c = admin("postgres");
                Statement s = c.createStatement()) {
            s.execute("drop database if exists " + o.database + " with (force)");
        } catch (SQLException e) {
            System.err.println("could not drop the benchmark database: " + e.getMessage());
        }
    }
}
