package io.sextant.benchmark;

import java.io.BufferedOutputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Array;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.LongFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.postgresql.PGConnection;
import org.postgresql.copy.PGCopyInputStream;
import org.postgresql.copy.PGCopyOutputStream;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The positions benchmark of docs/benchmarks.md, run by {@code scripts/benchmark.sh}: in one run,
 * (1) durable HTTP ingest into a separately started Sextant against (2) raw COPY of the same rows,
 * (3) live nearby / k-nearest queries in-process, over HTTP and in Redis, and (4) area-and-window
 * history queries on Sextant's schema under several index designs against PostGIS. Every figure
 * printed is measured in this run; nothing is carried over.
 */
public final class PositionsBenchmark {

    static final JsonMapper JSON = JsonMapper.builder().build();
    static final long INGEST_STREAM = 1;
    static final long HISTORY_STREAM = 1; // the same assets as the ingest, the same homes
    static final long LIVE_STREAM = 3;
    static final long QUERY_STREAM = 4;
    /** How a daily partition names its day (position_20261205). */
    static final DateTimeFormatter DAY = DateTimeFormatter.BASIC_ISO_DATE;

    private static final Pattern ACCEPTED = Pattern.compile("\"accepted\"\\s*:\\s*(\\d+)");

    final Options o;
    final Workload workload;
    final Report report;
    final Path out;
    final String db;
    final String peerDb;
    final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    SextantProcess sextant;
    List<List<String>> lastActivity = List.of();
    List<String> equivalentIndexes = List.of();
    String equivalentKey = "";
    String baseUrl;
    String adminToken;
    UUID defaultTenant;
    UUID[] assetIds;
    UUID liveTenant;
    String liveUsername;
    String livePassword;
    Instant ingestBase;
    int runs;

    PositionsBenchmark(Options o) throws IOException {
        this.o = o;
        this.workload = new Workload(o.seed);
        this.out = Path.of(o.outDir);
        Files.createDirectories(out);
        try (var stale = Files.newDirectoryStream(out, "explain-*.txt")) {
            for (Path file : stale) {
                Files.delete(file);
            }
        }
        this.report = new Report(out.resolve("report.md"));
        this.db = o.database;
        this.peerDb = o.peerDatabase;
    }

    public static void main(String[] args) throws Exception {
        // HttpURLConnection keeps at most this many idle connections per server (default 5): one per
        // ingest client, so none is closed and opened again between its requests.
        System.setProperty("http.maxConnections", "64");
        Options options = Options.parse(args);
        PositionsBenchmark benchmark = new PositionsBenchmark(options);
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
        report.h1("Sextant positions benchmark — " + Instant.now().truncatedTo(ChronoUnit.SECONDS));
        report.line("Parameters: " + o.describe());
        machine();
        freshDatabase();
        if (o.phases.contains("ingest")) {
            phase("1. Durable HTTP ingest", this::ingest);
        }
        if (o.phases.contains("copy")) {
            phase("2. Raw COPY of the same rows", this::copyPeer);
        }
        if (o.phases.contains("live")) {
            phase("3. Live queries over " + o.liveAssets + " assets", this::live);
        }
        stopSextant();
        if (o.phases.contains("history")) {
            phase("4. Area-and-window history queries", this::history);
        }
        if (o.phases.contains("fences")) {
            phase("5. Geofencing: ingest with zones, latency to webhook and SSE", this::fences);
        }
        if (o.phases.contains("delivery")) {
            phase("6. Delivery order against a flaky receiver: per asset or none", this::delivery);
        }
        report.line("");
        report.line("Total run time: " + seconds(System.nanoTime() - started) + " s.");
        report.summary();
    }

    /** Drops and creates the benchmark database, with the diagnostic settings if any were given. */
    void freshDatabase() throws SQLException {
        createDatabase(db);
        try (Connection c = admin("postgres")) {
            // Diagnostics only (e.g. auto_explain); nothing of the kind in a reported run.
            for (String setting : o.databaseSettings) {
                exec(c, "alter database " + db + " set " + setting);
            }
        }
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

    // ------------------------------------------------------------------------------------------
    // Machine

    void machine() throws Exception {
        report.h2("Machine");
        report.line("- CPU: " + cpuModel() + ", " + Runtime.getRuntime().availableProcessors() + " cores (nproc)");
        report.line("- Memory: " + memTotal());
        report.line("- JDK: " + System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
        try (Connection c = admin("postgres")) {
            report.line("- PostgreSQL: " + scalar(c, "select version()"));
            StringBuilder settings = new StringBuilder();
            try (Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery("""
                            select name, current_setting(name) from pg_settings where name in
                            ('shared_buffers','work_mem','maintenance_work_mem','effective_cache_size',
                             'synchronous_commit','fsync','full_page_writes','wal_level','max_wal_size',
                             'checkpoint_timeout','commit_delay','jit','max_parallel_workers_per_gather',
                             'random_page_cost','wal_compression')
                            order by name""")) {
                while (rs.next()) {
                    settings.append(settings.isEmpty() ? "" : ", ")
                            .append(rs.getString(1))
                            .append('=')
                            .append(rs.getString(2));
                }
            }
            report.line("- PostgreSQL settings: " + settings);
            report.line("- PostgreSQL settings its configuration changes from the built-in defaults: "
                    + changedSettings(c));
        }
        report.line("- Redis: " + redisVersion());
    }

    /**
     * The settings the server's configuration files set away from PostgreSQL's built-in defaults,
     * leaving out the cosmetic ones (locale, time zone, logging, paths, addresses, TLS files): a
     * machine's own choices, such as a CI configuration that turns autovacuum off, belong in the report.
     */
    static String changedSettings(Connection c) throws SQLException {
        return scalar(c, """
                select coalesce(string_agg(name || '=' || current_setting(name), ', ' order by name), 'none')
                from pg_settings
                where source = 'configuration file' and setting is distinct from boot_val
                  and name !~ '^(lc_|log_|ssl)'
                  and name not in ('TimeZone', 'DateStyle', 'cluster_name', 'default_text_search_config',
                                   'external_pid_file', 'listen_addresses', 'port', 'unix_socket_directories',
                                   'data_directory', 'hba_file', 'ident_file', 'config_file',
                                   'dynamic_shared_memory_type')""");
    }

    static String cpuModel() {
        try {
            return Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
                    .filter(l -> l.startsWith("model name"))
                    .map(l -> l.substring(l.indexOf(':') + 1).trim())
                    .findFirst()
                    .orElse("unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }

    static String memTotal() {
        try {
            return Files.readAllLines(Path.of("/proc/meminfo")).stream()
                    .filter(l -> l.startsWith("MemTotal"))
                    .map(l -> String.format(
                            Locale.ROOT, "%.1f GiB", Long.parseLong(l.replaceAll("\\D", "")) / 1024.0 / 1024.0))
                    .findFirst()
                    .orElse("unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }

    String redisVersion() {
        try (RedisPeer redis = new RedisPeer(o.redisUri, o.redisPrefix)) {
            return redis.version();
        } catch (RuntimeException e) {
            return "unreachable (" + e.getMessage() + ")";
        }
    }

    // ------------------------------------------------------------------------------------------
    // Sextant process

    void startSextant(String label) throws Exception {
        startSextant(label, Map.of());
    }

    /** Starts Sextant with the benchmark's environment, then {@code phaseEnv}, then --sextant-env. */
    void startSextant(String label, Map<String, String> phaseEnv) throws Exception {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("SEXTANT_DB_URL", jdbcUrl(db));
        env.put("SEXTANT_DB_USERNAME", o.pgUser);
        env.put("SEXTANT_HTTP_RATE_LIMIT_ENABLED", "false");
        env.put("SEXTANT_BOOTSTRAP_ADMIN_PASSWORD", o.adminPassword);
        env.put("SEXTANT_AUTH_TOKEN_TTL", "6h");
        // The geofencing phase's webhook receiver listens on 127.0.0.1 in this JVM.
        env.put("SEXTANT_DELIVERY_WEBHOOK_ALLOWED_NETWORKS", "127.0.0.1/32");
        if (o.sextantRedis) {
            // Under the benchmark's prefix, so its clean-up removes Sextant's keys too.
            env.put("SEXTANT_REDIS_URL", o.redisUri);
            env.put("SEXTANT_REDIS_KEY_PREFIX", o.redisPrefix + "sextant:");
        }
        env.putAll(phaseEnv);
        env.putAll(o.sextantEnv);
        Path log = out.resolve("sextant-" + (++runs) + "-" + label + ".log");
        sextant = SextantProcess.start(Path.of(o.jar), o.sextantJvmOptions, env, o.port, log);
        long ready = sextant.awaitReady(Duration.ofMinutes(5));
        baseUrl = "http://127.0.0.1:" + o.port;
        report.line("Sextant (" + label + ") ready " + ready + " ms after process start; log " + log);
    }

    void stopSextant() throws InterruptedException {
        if (sextant != null) {
            sextant.close();
            sextant = null;
        }
    }

    String signIn(String username, String password) throws Exception {
        HttpResponse<String> r = send(HttpRequest.newBuilder(URI.create(baseUrl + "/api/v1/auth/token"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(
                        JSON.writeValueAsString(Map.of("username", username, "password", password)))));
        if (r.statusCode() != 200) {
            throw new IllegalStateException("sign-in failed: " + r.statusCode() + " " + r.body());
        }
        return JSON.readTree(r.body()).get("access_token").asString();
    }

    HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        try {
            return http.send(request.timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw failedRequest(e);
        }
    }

    /** A failed request, explained by Sextant's exit when it is gone (its log says why). */
    IOException failedRequest(IOException e) {
        SextantProcess running = sextant;
        if (running != null && !running.alive()) {
            throw new IllegalStateException(
                    "Sextant is gone (exit " + running.exitValue() + "); see " + running.log(), e);
        }
        return e;
    }

    /** The status and body of {@link #postPositions}. */
    record Reply(int status, String body) {}

    /**
     * POSTs a body of positions, already encoded, with a blocking keep-alive connection
     * (HttpURLConnection): the client of the measured ingest rounds. The JDK's HttpClient hands every
     * request between its selector and executor threads and publishes the body in copied slices: it
     * took 11–17 % of a core at 60 requests of 185 KB per second (docs/benchmarks.md), CPU the
     * server under measurement did not get on this 2-core machine. The COPY peer's driver takes 2–5 %.
     */
    Reply postPositions(String contentType, String token, byte[] body) throws IOException {
        HttpURLConnection c = (HttpURLConnection)
                URI.create(baseUrl + "/api/v1/positions").toURL().openConnection();
        try {
            c.setRequestMethod("POST");
            c.setDoOutput(true);
            c.setFixedLengthStreamingMode(body.length);
            c.setConnectTimeout(5_000);
            c.setReadTimeout(60_000);
            c.setRequestProperty("Content-Type", contentType);
            c.setRequestProperty("Prefer", o.preferHeader());
            c.setRequestProperty("Authorization", "Bearer " + token);
            try (OutputStream requestBody = c.getOutputStream()) {
                requestBody.write(body);
            }
            int status = c.getResponseCode();
            InputStream reply = status < 400 ? c.getInputStream() : c.getErrorStream();
            String text;
            // Read to the end and closed: the connection goes back to the keep-alive cache.
            try (InputStream in = reply != null ? reply : InputStream.nullInputStream()) {
                text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            return new Reply(status, text);
        } catch (IOException e) {
            c.disconnect();
            throw failedRequest(e);
        }
    }

    HttpResponse<String> postJson(String path, String token, Object body) throws Exception {
        return send(HttpRequest.newBuilder(URI.create(baseUrl + path))
                .header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + token)
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))));
    }

    // ------------------------------------------------------------------------------------------
    // 1. Ingest

    void ingest() throws Exception {
        startSextant("ingest");
        adminToken = signIn("admin", o.adminPassword);
        try (Connection c = admin(db)) {
            defaultTenant = UUID.fromString(scalar(c, "select id::text from tenant where slug = 'default'"));
        }

        // Assets through the API, concurrently.
        assetIds = new UUID[o.assets];
        long t0 = System.nanoTime();
        AtomicInteger nextAsset = new AtomicInteger();
        runConcurrently(o.clients, () -> {
            int i;
            while ((i = nextAsset.getAndIncrement()) < o.assets) {
                HttpResponse<String> r = postJson(
                        "/api/v1/assets",
                        adminToken,
                        Map.of("externalId", externalId(i), "name", "Bench asset " + i, "type", "vehicle"));
                if (r.statusCode() != 201) {
                    throw new IllegalStateException("asset creation failed: " + r.statusCode() + " " + r.body());
                }
                assetIds[i] = UUID.fromString(JSON.readTree(r.body()).get("id").asString());
            }
            return null;
        });
        long assetNanos = System.nanoTime() - t0;
        report.line(String.format(
                Locale.ROOT,
                "Created %,d assets through POST /api/v1/assets with %d concurrent clients in %s s (%,.0f assets/s).",
                o.assets,
                o.clients,
                seconds(assetNanos),
                o.assets / (assetNanos / 1e9)));

        // A fleet registered long before it reports has statistics; autovacuum would analyze within a
        // minute or so. Without this the first minute's asset lookups plan as if the tenant had no assets.
        try (Connection c = admin(db)) {
            exec(c, "vacuum analyze asset");
        }
        report.line("Then `VACUUM ANALYZE asset`, as autovacuum would within about a minute (see docs/benchmarks.md).");
        if (o.ingestZones > 0) {
            // Part 5's first n zones, in the tenant that ingests: the issue-9 ruler "with 1,000 zones"
            // on part 1's rows, which part 2 copies (zones are spread like the assets' homes).
            FencesPhase.postZones(
                    this,
                    "default",
                    adminToken,
                    java.util.stream.IntStream.range(0, o.ingestZones)
                            .mapToObj(i -> FencesPhase.ZoneSpec.generate(workload, i))
                            .toList());
            try (Connection c = admin(db)) {
                exec(c, "vacuum analyze zone");
            }
        }

        // The live tenant's administrator, created now while Sextant runs (its assets come by SQL).
        createLiveTenant();

        long steps = (o.positions + o.assets - 1) / o.assets;
        long abSteps = o.formatRounds * ((o.formatPositions + o.assets - 1) / o.assets) * 2;
        ingestBase = Instant.now().minusSeconds((steps + abSteps) * 5 + 600).truncatedTo(ChronoUnit.SECONDS);
        Workload.Drive drive = new Workload.Drive(workload, INGEST_STREAM, o.assets, ingestBase);

        // Warm-up (not measured): passes over the ground of the run's first o.ingestWarmup positions,
        // each later in event time than the one before (so every asset's positions stay in order and
        // take the fast path), all ending two days before the run: their own daily partitions, so the
        // measured run still writes into a partition as empty as the one part 2 copies into. Passes
        // stop once Sextant's JIT compilers were quiet through one, as part 5's warm-up does.
        // Measured rounds (--ingest-rounds): round r starts 2 × (rounds − 1 − r) days before the last,
        // the main run, so each writes a fresh daily partition, later than everything before it.
        int rounds = o.ingestRounds;
        Instant firstRound = ingestBase.minus(2L * (rounds - 1), ChronoUnit.DAYS);
        Warmup warmup = new Warmup(List.of(), false);
        if (o.ingestWarmup > 0) {
            Duration passSpan = Duration.ofSeconds(((o.ingestWarmup + o.assets - 1) / o.assets) * 5 + 60);
            Instant warmStart = firstRound.minus(2, ChronoUnit.DAYS).minus(passSpan.multipliedBy(o.ingestWarmupPasses));
            warmup = warmUp(o.ingestWarmupPasses, o.ingestWarmupQuiet, "ingest warm-up", pass -> {
                Workload.Drive earlier = new Workload.Drive(
                        workload, INGEST_STREAM, o.assets, warmStart.plus(passSpan.multipliedBy(pass)));
                IngestRun run = httpIngest(earlier, 0, o.ingestWarmup, o.format, "warmup");
                return new WarmupPass(fmt(run.rate()), run.jitShare());
            });
        }

        // Main run: o.positions positions in batches, all bodies encoded before the clock starts; with
        // --ingest-rounds, the last of the rounds, each followed by the peer's COPY of its rows.
        List<List<String>> roundRows = new ArrayList<>();
        List<Double> ratios = new ArrayList<>();
        IngestRun main = null;
        for (int r = 0; r < rounds; r++) {
            Workload.Drive roundDrive = new Workload.Drive(
                    workload, INGEST_STREAM, o.assets, ingestBase.minus(2L * (rounds - 1 - r), ChronoUnit.DAYS));
            if (rounds > 1) {
                // As before each of the peer's COPYs: the writes before it (a warm-up's millions of rows,
                // the last peer) are on disk, not still being written back beside the round.
                checkpoint();
            }
            main = httpIngest(roundDrive, 0, o.positions, o.format, r == rounds - 1 ? "main" : "round-" + (r + 1));
            if (rounds > 1) {
                // Both peers beside every round, in alternating order; the ratio is against the faster.
                boolean oneFirst = r % 2 == 0;
                Peers peers = copyBeside(
                        roundDrive,
                        r == 0,
                        day(firstRound).minusDays(1),
                        day(Instant.now()).plusDays(1),
                        oneFirst);
                ratios.add(main.rate() / peers.faster().rate());
                roundRows.add(List.of(
                        Integer.toString(r + 1),
                        oneFirst ? "1, 2" : "2, 1",
                        fmt(main.rate()),
                        main.cpu,
                        fmt(peers.one().rate()),
                        fmt(peers.two().rate()),
                        peers.faster().cpu(),
                        String.format(
                                Locale.ROOT,
                                "%.2f",
                                main.rate() / peers.faster().rate())));
            }
        }
        long stored;
        long zoneEvents;
        try (Connection c = admin(db)) {
            // The main run's rows and events only (a warm-up's are two days earlier).
            stored = Long.parseLong(scalar(
                    c,
                    "select count(*) from position where tenant_id = '" + defaultTenant + "' and event_time >= '"
                            + ingestBase + "'"));
            zoneEvents = Long.parseLong(scalar(
                    c,
                    "select count(*) from event where tenant_id = '" + defaultTenant + "' and type in "
                            + FencesPhase.ZONE_EVENT_TYPES + " and time >= '" + ingestBase + "'"));
        }
        report.table(
                List.of("what", "value"),
                List.of(
                        List.of("positions sent", fmt(o.positions)),
                        List.of("assets", fmt(o.assets)),
                        List.of("concurrent clients", Integer.toString(o.clients)),
                        List.of("batch size / format", o.batch + " / " + o.format),
                        List.of(
                                "zones in the tenant / zone events written",
                                fmt(o.ingestZones) + " / " + fmt(zoneEvents)),
                        List.of("wall time", seconds(main.nanos) + " s"),
                        List.of("**positions/s (accepted, durable)**", "**" + fmt(main.rate()) + "**"),
                        List.of("batch request latency p50 / p99", main.latency.p50() + " / " + main.latency.p99()),
                        List.of("non-200 or partial responses (retried)", Long.toString(main.failures)),
                        List.of("rows in position afterwards", fmt(stored)),
                        List.of("CPU during the run (100% = one core)", main.cpu),
                        List.of(
                                "Sextant's JIT compilers during the run (ms compiling per s)",
                                String.format(Locale.ROOT, "%.0f", 1000 * main.jitShare())),
                        List.of(
                                "warm-up before the run (not measured)",
                                warmup.passes().isEmpty()
                                        ? "none (cold JVM)"
                                        : String.format(
                                                Locale.ROOT,
                                                "%d pass(es) of %s positions, days earlier: %s%s",
                                                warmup.passes().size(),
                                                fmt(o.ingestWarmup),
                                                String.join("; ", warmup.passes()),
                                                warmup.quiet()
                                                        ? ""
                                                        : " — the compilers were still busy after the last pass"
                                                                + " allowed"))));
        report.metric("ingest.http.positions_per_s", main.rate());
        report.metric("ingest.http.format." + o.format, main.rate());
        report.metric("ingest.http.zones", o.ingestZones);
        report.metric(
                "ingest.http.warmup_positions", o.ingestWarmup * warmup.passes().size());
        report.metric("ingest.http.warmup_passes", warmup.passes().size());
        report.metric("ingest.http.jit_ms_per_s", 1000 * main.jitShare());
        report.metric("ingest.http.zone_events", zoneEvents);
        if (stored != o.positions) {
            report.line("**WARNING: " + stored + " rows stored for " + o.positions + " positions sent.**");
        }
        if (rounds > 1) {
            long storedByRounds;
            try (Connection c = admin(db)) {
                storedByRounds = Long.parseLong(scalar(
                        c,
                        "select count(*) from position where tenant_id = '" + defaultTenant + "' and event_time >= '"
                                + firstRound + "'"));
            }
            if (storedByRounds != (long) rounds * o.positions) {
                report.line("**WARNING: " + storedByRounds + " rows stored by the " + rounds + " rounds for "
                        + (long) rounds * o.positions + " positions sent.**");
            }
        }
        report.line("Sextant's own metrics after the run: " + ingestMetrics());
        report.line("");
        report.line("What PostgreSQL's backends were doing during the main run (pg_stat_activity sampled every"
                + " ~100 ms; average number of backends active in each statement and wait state):");
        report.table(List.of("statement — wait", "busy backends (avg)"), lastActivity);
        if (rounds > 1) {
            List<Double> sorted = ratios.stream().sorted().toList();
            double median = FencesPhase.median(ratios);
            report.line("");
            report.line("Rounds (--ingest-rounds " + rounds + "): each the same " + fmt(o.positions)
                    + " positions on a daily partition of its own, two days after the one before (the last is"
                    + " the main run above), each after a `CHECKPOINT` and followed by `VACUUM ANALYZE position` and the binary COPY of"
                    + " the round's rows into the peer's fresh, equivalent table (as part 2's) in one stream and"
                    + " in two, in the order given, each after a `CHECKPOINT`; the ratio is against the faster:");
            report.table(
                    List.of(
                            "round",
                            "peers' order (streams)",
                            "Sextant, positions/s",
                            "CPU",
                            "binary COPY, 1 stream, rows/s",
                            "2 streams, rows/s",
                            "CPU (faster COPY)",
                            "÷ faster COPY"),
                    roundRows);
            report.line(String.format(
                    Locale.ROOT,
                    "**Sextant HTTP ingest%s ÷ the faster binary COPY beside it: median %.2f over %d rounds**"
                            + " (%.2f–%.2f; target ≥ 0.5: %s).",
                    o.ingestZones == 0 ? "" : String.format(Locale.ROOT, " with %,d zones", o.ingestZones),
                    median,
                    rounds,
                    sorted.getFirst(),
                    sorted.getLast(),
                    median >= 0.5 ? "met at the median" : "NOT met at the median"));
            report.metric("ingest.rounds.ratio_median", median);
            report.metric("ingest.rounds.ratio_min", sorted.getFirst());
            report.metric("ingest.rounds.ratio_max", sorted.getLast());
        }

        // JSON array against NDJSON: alternating rounds over further, new positions.
        if (o.formatRounds > 0) {
            Map<String, List<Double>> rates = new TreeMap<>();
            long from = steps * o.assets;
            long each = ((o.formatPositions + o.assets - 1) / o.assets) * o.assets;
            for (int round = 0; round < o.formatRounds; round++) {
                for (String format : List.of("json", "ndjson")) {
                    IngestRun r = httpIngest(drive, from, each, format, "format-" + format);
                    from += each;
                    rates.computeIfAbsent(format, f -> new ArrayList<>()).add(r.rate());
                }
            }
            List<List<String>> rows = new ArrayList<>();
            rates.forEach((format, list) -> {
                double mean =
                        list.stream().mapToDouble(Double::doubleValue).average().orElse(0);
                report.metric("ingest.http.format_ab." + format, mean);
                rows.add(List.of(
                        format,
                        list.stream().map(PositionsBenchmark::fmt).toList().toString(),
                        fmt(mean)));
            });
            report.line("");
            report.line("JSON array against NDJSON, " + o.formatRounds + " alternating rounds of " + fmt(each)
                    + " new positions each (same clients and batch size):");
            report.table(List.of("format", "positions/s per round", "mean"), rows);
        }
    }

    String ingestMetrics() {
        try {
            HttpResponse<String> r = send(HttpRequest.newBuilder(URI.create(baseUrl + "/actuator/prometheus")));
            if (r.statusCode() != 200) {
                return "unavailable (" + r.statusCode() + ")";
            }
            Map<String, String> wanted = new LinkedHashMap<>();
            for (String line : r.body().split("\n")) {
                if (line.startsWith("sextant_ingest_commit_seconds{") && line.contains("quantile=\"0.5\"")) {
                    wanted.put("commit p50", ms(line));
                } else if (line.startsWith("sextant_ingest_commit_seconds{") && line.contains("quantile=\"0.99\"")) {
                    wanted.put("commit p99", ms(line));
                } else if (line.startsWith("sextant_ingest_commit_seconds_count")) {
                    wanted.put("commits", value(line));
                } else if (line.startsWith("sextant_ingest_group_size_positions_sum")
                        || line.startsWith("sextant_ingest_group_size_sum")) {
                    wanted.put("positions in groups", value(line));
                } else if (line.startsWith("sextant_ingest_saturated_total")) {
                    wanted.put("saturated", value(line));
                }
            }
            if (wanted.containsKey("commits") && wanted.containsKey("positions in groups")) {
                double commits = Double.parseDouble(wanted.get("commits"));
                double positions = Double.parseDouble(wanted.get("positions in groups"));
                wanted.put("mean group", String.format(Locale.ROOT, "%.0f positions", positions / commits));
            }
            return wanted.toString();
        } catch (Exception e) {
            return "unavailable (" + e.getMessage() + ")";
        }
    }

    private static String value(String line) {
        return line.substring(line.lastIndexOf(' ') + 1);
    }

    private static String ms(String line) {
        return String.format(Locale.ROOT, "%.1f ms", Double.parseDouble(value(line)) * 1000);
    }

    static String externalId(int i) {
        return String.format(Locale.ROOT, "bench-%06d", i);
    }

    /** One warm-up pass: its rate (or rates) as reported, and the share of its time spent compiling. */
    record WarmupPass(String rates, double jitShare) {}

    /** The warm-up passes that ran, a line each, and whether the last found the JIT compilers quiet. */
    record Warmup(List<String> passes, boolean quiet) {}

    interface WarmupPassRunner {
        WarmupPass run(int pass) throws Exception;
    }

    /**
     * Runs warm-up passes (numbered from 0) until one spent at most {@code quiet} of its time in the
     * JIT compilers, or {@code maxPasses} ran; prints each pass as {@code [label n]} when a label is
     * given.
     */
    static Warmup warmUp(int maxPasses, double quiet, @Nullable String label, WarmupPassRunner runner)
            throws Exception {
        List<String> passes = new ArrayList<>();
        boolean isQuiet = false;
        for (int pass = 0; pass < maxPasses && !isQuiet; pass++) {
            WarmupPass done = runner.run(pass);
            isQuiet = done.jitShare() <= quiet;
            String line = String.format(Locale.ROOT, "%s/s (JIT %.1f%%)", done.rates(), 100 * done.jitShare());
            passes.add(line);
            if (label != null) {
                System.out.println("  [" + label + " " + (pass + 1) + "] " + line);
            }
        }
        return new Warmup(passes, isQuiet);
    }

    record IngestRun(long positions, long nanos, long failures, Latencies latency, String cpu, double jitMillis) {
        double rate() {
            return positions / (nanos / 1e9);
        }

        /** The share of the run's wall time Sextant's JIT compilers spent compiling. */
        double jitShare() {
            return jitMillis / (nanos / 1e6);
        }
    }

    IngestRun httpIngest(Workload.Drive drive, long from, long count, String format, String label) throws Exception {
        int batches = (int) ((count + o.batch - 1) / o.batch);
        byte[][] bodies = new byte[batches][];
        int[] sizes = new int[batches];
        for (int b = 0; b < batches; b++) {
            long start = from + (long) b * o.batch;
            long end = Math.min(from + count, start + o.batch);
            StringBuilder body = new StringBuilder((int) (end - start) * 140);
            boolean json = format.equals("json");
            if (json) {
                body.append('[');
            }
            for (long p = start; p < end; p++) {
                Workload.Row r = drive.row(p);
                if (p > start) {
                    body.append(json ? ",\n" : "\n");
                }
                r.appendJson(body, assetIds[r.asset()]);
            }
            if (json) {
                body.append(']');
            }
            bodies[b] = body.toString().getBytes(StandardCharsets.UTF_8);
            sizes[b] = (int) (end - start);
        }
        String contentType = format.equals("json") ? "application/json" : "application/x-ndjson";
        checkpoint();
        Latencies latency = new Latencies(batches);
        AtomicInteger next = new AtomicInteger();
        AtomicLong accepted = new AtomicLong();
        AtomicLong failures = new AtomicLong();
        long pid = sextant.pid();
        ActivitySampler activity = label.equals("main") ? new ActivitySampler(admin("postgres"), db) : null;
        double jitBefore = sextantJitMillis();
        CpuSample before = CpuSample.take(pid);
        long t0 = System.nanoTime();
        runConcurrently(o.clients, () -> {
            int b;
            while ((b = next.getAndIncrement()) < batches) {
                for (int attempt = 0; ; attempt++) {
                    long s = System.nanoTime();
                    Reply r = postPositions(contentType, adminToken, bodies[b]);
                    latency.add(System.nanoTime() - s);
                    Matcher m = ACCEPTED.matcher(r.body());
                    if (r.status() == 200 && m.find() && Integer.parseInt(m.group(1)) == sizes[b]) {
                        accepted.addAndGet(sizes[b]);
                        break;
                    }
                    failures.incrementAndGet();
                    if (attempt >= 10) {
                        throw new IllegalStateException("batch " + b + " failed: " + r.status() + " "
                                + r.body().substring(0, Math.min(500, r.body().length())));
                    }
                    Thread.sleep(200);
                }
            }
            return null;
        });
        long nanos = System.nanoTime() - t0;
        String cpu = CpuSample.take(pid).since(before);
        double jitMillis = sextantJitMillis() - jitBefore;
        if (activity != null) {
            activity.close();
            lastActivity = activity.top(8);
        }
        System.out.printf(
                Locale.ROOT,
                "  [%s] %,d positions in %s s = %,.0f/s (%s)%n",
                label,
                accepted.get(),
                seconds(nanos),
                accepted.get() / (nanos / 1e9),
                cpu);
        return new IngestRun(accepted.get(), nanos, failures.get(), latency, cpu, jitMillis);
    }

    /** Milliseconds Sextant's JIT compilers have spent compiling (Micrometer's jvm.compilation.time). */
    double sextantJitMillis() throws Exception {
        return FencesPhase.sum(prometheus(), FencesPhase.SEXTANT_JIT_MILLIS);
    }

    /** Sextant's Prometheus endpoint as series → value ({@code name{labels}} as written). */
    Map<String, Double> prometheus() throws Exception {
        HttpResponse<String> r = send(HttpRequest.newBuilder(URI.create(baseUrl + "/actuator/prometheus")));
        Map<String, Double> values = new HashMap<>();
        if (r.statusCode() != 200) {
            return values;
        }
        for (String line : r.body().split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            int space = line.lastIndexOf(' ');
            try {
                values.put(line.substring(0, space), Double.parseDouble(line.substring(space + 1)));
            } catch (NumberFormatException e) {
                // NaN and friends are not needed
            }
        }
        return values;
    }

    void createLiveTenant() throws Exception {
        String slug = "bench-live";
        HttpResponse<String> t =
                postJson("/api/v1/tenants", adminToken, Map.of("slug", slug, "name", "Benchmark live fleet"));
        if (t.statusCode() != 201) {
            throw new IllegalStateException("tenant creation failed: " + t.statusCode() + " " + t.body());
        }
        liveTenant = UUID.fromString(JSON.readTree(t.body()).get("id").asString());
        liveUsername = "admin@" + slug;
        livePassword = "bench-live-" + o.adminPassword;
        HttpResponse<String> u = postJson(
                "/api/v1/tenants/" + liveTenant + "/users",
                adminToken,
                Map.of("username", liveUsername, "password", livePassword, "roles", List.of("admin")));
        if (u.statusCode() != 201) {
            throw new IllegalStateException("user creation failed: " + u.statusCode() + " " + u.body());
        }
    }

    // ------------------------------------------------------------------------------------------
    // 2. COPY peer

    void copyPeer() throws Exception {
        Workload.Drive drive = new Workload.Drive(workload, INGEST_STREAM, o.assets, ingestBase);
        Instant received = Instant.now().truncatedTo(ChronoUnit.MICROS);
        // Part 1 always ran (Options refuses copy without it). Its inserts would start autovacuum on
        // Sextant's partitions soon; done now, before the clocks, it does not run beside the peer's COPYs.
        long vacuumStart = System.nanoTime();
        try (Connection c = admin(db)) {
            exec(c, "vacuum analyze position");
        }
        report.line("Sextant's `position` vacuumed first, as autovacuum would soon after part 1's inserts ("
                + seconds(System.nanoTime() - vacuumStart) + " s), so that it does not run beside the COPYs.");
        createPeerTable(
                day(drive.row(0).eventTime()).minusDays(1),
                day(drive.row(o.positions - 1).eventTime()).plusDays(1));
        // Encoded in memory before the clock starts, like the HTTP bodies.
        ByteArrayOutputStream text =
                new ByteArrayOutputStream((int) Math.min(Integer.MAX_VALUE - 64, o.positions * 180));
        for (long p = 0; p < o.positions; p++) {
            Workload.Row r = drive.row(p);
            PgCopy.textRow(text, defaultTenant, assetIds[r.asset()], r.eventTime(), received, r);
        }
        byte[] binaryBytes = binaryStreams(drive, received, 1)[0];
        byte[][] halves = binaryStreams(drive, received, 2);
        byte[] textBytes = text.toByteArray();
        String target = "copy_peer.position (" + PgCopy.COLUMNS + ")";
        String binarySql = "COPY " + target + " FROM STDIN (FORMAT binary)";
        List<List<CopyData>> groups = o.copyVariants.contains("binary-2-groups")
                ? inGroups(0, o.positions, drive::row, r -> binarySql, defaultTenant, assetIds, received)
                : List.of();

        List<List<String>> rows = new ArrayList<>();
        double bestBinary = 0;
        double http = report.metrics.getOrDefault("ingest.http.positions_per_s", Double.NaN);
        for (String variant : o.copyVariants) {
            truncate("copy_peer.position");
            // The equivalent table's indexes, or one index design of part 4 to price it at ingest.
            try (Connection c = admin(db)) {
                useIndexes(c, indexesOf(variant));
            }
            checkpoint();
            // Connections open before the CPU sample and closed after it, so their backends are counted.
            Connection c1 = admin(db);
            Connection c2 = admin(db);
            CpuSample before = CpuSample.take(0);
            long t0 = System.nanoTime();
            switch (variant) { // an unknown variant was refused by indexesOf above
                case "text" -> copyIn(c1, "COPY " + target + " FROM STDIN", textBytes);
                case "binary-2" -> copyHalves(c1, c2, binarySql, halves);
                case "binary-2-groups" -> copyConcurrently(List.of(c1, c2), groups);
                default -> copyIn(c1, binarySql, binaryBytes); // binary, and each index design
            }
            long nanos = System.nanoTime() - t0;
            String cpu = CpuSample.take(0).since(before);
            c1.close();
            c2.close();
            long count;
            try (Connection c = admin(db)) {
                count = Long.parseLong(scalar(c, "select count(*) from copy_peer.position"));
            }
            double rate = count / (nanos / 1e9);
            if (variant.equals("binary") || variant.equals("binary-2")) {
                bestBinary = Math.max(bestBinary, rate);
            }
            report.metric("copy." + variant + ".rows_per_s", rate);
            rows.add(List.of(
                    switch (variant) {
                        case "binary-2" -> "binary COPY, 2 parallel streams";
                        case "binary-2-groups" ->
                            "binary COPY, 2 parallel streams in groups of " + fmt(COPY_GROUP_ROWS)
                                    + " rows (sorted by asset and time, one COPY and commit each) — diagnostic";
                        case "binary-spgist" -> "binary COPY, 1 stream — design: PK + SP-GiST (pos) (= V2)";
                        case "binary-brin" -> "binary COPY, 1 stream — design: PK + SP-GiST (pos) + BRIN (event_time)";
                        case "binary-cell" -> "binary COPY, 1 stream — design: PK + btree (tenant, cell, time)";
                        case "binary-gist" -> "binary COPY, 1 stream — design: PK + GiST (pos)";
                        case "binary-pk" -> "binary COPY, 1 stream — primary key only";
                        default -> variant + " COPY, 1 stream";
                    },
                    fmt(count),
                    seconds(nanos) + " s",
                    fmt(rate),
                    String.format(Locale.ROOT, "%.2f", http / rate),
                    cpu));
        }
        report.line("Rows: the main run's rows (same generator, seed and received time for all), into"
                + " `copy_peer.position` — same columns, primary key (" + equivalentKey
                + "), daily partitions and secondary indexes as"
                + " `position` (" + String.join("; ", equivalentIndexes) + ") — logged, default synchronous_commit,"
                + " one transaction per stream. The COPY data is encoded in memory before the clock starts.");
        report.table(List.of("peer", "rows", "time", "rows/s", "Sextant HTTP ÷ peer", "CPU"), rows);
        report.line("The ratio target compares with binary COPY into the equivalent table (1 or 2 streams, the faster);"
                + " the design rows price each index design of part 4 at ingest.");
        double ratio = http / bestBinary;
        report.metric("ratio.http_vs_best_binary_copy", ratio);
        report.line(String.format(
                Locale.ROOT,
                "**Sextant HTTP ingest%s ÷ fastest binary COPY = %.2f** (target ≥ 0.5: %s).",
                o.ingestZones == 0 ? "" : String.format(Locale.ROOT, " with %,d zones", o.ingestZones),
                ratio,
                ratio >= 0.5 ? "met" : "NOT met"));
        truncate("copy_peer.position");
    }

    /** A COPY peer's rate and the machine's CPU during it. */
    record PeerRun(double rate, String cpu) {}

    /** The peers beside a round: binary COPY in one stream and in two. */
    record Peers(PeerRun one, PeerRun two) {
        PeerRun faster() {
            return one.rate() > two.rate() ? one : two;
        }
    }

    /**
     * The peer beside one of part 1's rounds, as part 2 measures it: Sextant's partitions vacuumed
     * (so autovacuum does not run beside the COPYs), the peer's table fresh (created on the first
     * round, with daily partitions from {@code first} to {@code last}, truncated after each COPY),
     * then for one stream and for two ({@code oneFirst} or the other way round), a checkpoint and the
     * round's rows in binary COPY.
     */
    Peers copyBeside(Workload.Drive drive, boolean create, LocalDate first, LocalDate last, boolean oneFirst)
            throws Exception {
        try (Connection c = admin(db)) {
            exec(c, "vacuum analyze position");
        }
        if (create) {
            createPeerTable(first, last);
            try (Connection c = admin(db)) {
                useIndexes(c, equivalentIndexes);
            }
        }
        Instant received = Instant.now().truncatedTo(ChronoUnit.MICROS);
        String sql = "COPY copy_peer.position (" + PgCopy.COLUMNS + ") FROM STDIN (FORMAT binary)";
        PeerRun[] byStreams = new PeerRun[3];
        for (int streams : oneFirst ? List.of(1, 2) : List.of(2, 1)) {
            byte[][] data = binaryStreams(drive, received, streams);
            checkpoint();
            String cpu;
            long nanos;
            try (Connection c1 = admin(db);
                    Connection c2 = admin(db)) {
                CpuSample before = CpuSample.take(0);
                long t0 = System.nanoTime();
                if (streams == 1) {
                    copyIn(c1, sql, data[0]);
                } else {
                    copyHalves(c1, c2, sql, data);
                }
                nanos = System.nanoTime() - t0;
                cpu = CpuSample.take(0).since(before);
            }
            long count;
            try (Connection c = admin(db)) {
                count = Long.parseLong(scalar(c, "select count(*) from copy_peer.position"));
            }
            truncate("copy_peer.position");
            if (count != o.positions) {
                throw new IllegalStateException("the peer copied " + count + " rows of " + o.positions);
            }
            byStreams[streams] = new PeerRun(count / (nanos / 1e9), cpu);
        }
        return new Peers(byStreams[1], byStreams[2]);
    }

    /**
     * The first {@code o.positions} rows of {@code drive} as {@code n} (1 or 2) binary COPY streams:
     * all of them, or the first half and the second.
     */
    byte[][] binaryStreams(Workload.Drive drive, Instant received, int n) {
        PgCopy.Binary[] streams = new PgCopy.Binary[n];
        for (int i = 0; i < n; i++) {
            streams[i] = new PgCopy.Binary((int) Math.min(Integer.MAX_VALUE - 64, o.positions * 120 / n));
        }
        for (long p = 0; p < o.positions; p++) {
            Workload.Row r = drive.row(p);
            streams[(int) (p * n / o.positions)].row(defaultTenant, assetIds[r.asset()], r.eventTime(), received, r);
        }
        byte[][] bytes = new byte[n][];
        for (int i = 0; i < n; i++) {
            bytes[i] = streams[i].bytes();
        }
        return bytes;
    }

    /** Two binary COPYs at once, one half each: the peer the ratio target compares with. */
    static void copyHalves(Connection c1, Connection c2, String sql, byte[][] halves) throws Exception {
        copyConcurrently(
                List.of(c1, c2), List.of(List.of(new CopyData(sql, halves[0])), List.of(new CopyData(sql, halves[1]))));
    }

    /**
     * The peer's table, empty and without secondary indexes: the same columns, partitioning and key as
     * Sextant's {@code position}, with a daily partition for every day from {@code first} to
     * {@code last}; {@link #equivalentIndexes} holds {@code position}'s secondary indexes for it.
     */
    void createPeerTable(LocalDate first, LocalDate last) throws SQLException {
        try (Connection c = admin(db);
                Statement s = c.createStatement()) {
            s.execute("drop schema if exists copy_peer cascade");
            s.execute("create schema copy_peer");
            // The same columns and partitioning as Sextant's position table; its key and secondary indexes below.
            s.execute("""
                    create table copy_peer.position (
                        tenant_id   uuid not null,
                        asset_id    uuid not null,
                        event_time  timestamptz not null,
                        received_at timestamptz not null,
                        lon         double precision not null check (lon between -180 and 180),
                        lat         double precision not null check (lat between -90 and 90),
                        altitude    real,
                        accuracy    real,
                        speed       real,
                        heading     real,
                        attributes  jsonb,
                        pos         point generated always as (point(lon, lat)) stored
                    ) partition by range (event_time)""");
            // The same primary key as Sextant's position table, read from its catalog.
            equivalentKey = primaryKey(c);
            s.execute("alter table copy_peer.position add " + equivalentKey);
            // The stored grid cell (V18), generated by the same expression: position_cell indexes it.
            s.execute("alter table copy_peer.position add column cell integer generated always as (" + generatedCell(c)
                    + ") stored");
            equivalentIndexes = secondaryIndexes(c);
            for (LocalDate d = first; !d.isAfter(last); d = d.plusDays(1)) {
                s.execute("create table copy_peer.position_" + d.format(DAY) + " partition of copy_peer.position"
                        + " for values from ('" + d + "') to ('" + d.plusDays(1) + "')");
            }
        }
    }

    /**
     * Rows per COPY of the {@code binary-2-groups} diagnostic: about the positions per group Sextant's
     * writers commit in part 5's rounds (a round's positions ÷ its groups).
     */
    static final int COPY_GROUP_ROWS = 2_000;

    /**
     * Rows {@code from} to {@code from + count} in Sextant's transaction shape, without Sextant: two
     * streams of half the rows each, cut into groups of {@link #COPY_GROUP_ROWS} in drive order, each
     * group sorted by asset id and time (the writers' lock order) and sent as its own COPY (one per
     * statement {@code sqlOf} gives, e.g. per partition), which commits on its own (autocommit).
     */
    static List<List<CopyData>> inGroups(
            long from,
            long count,
            LongFunction<Workload.Row> row,
            Function<Workload.Row, String> sqlOf,
            UUID tenant,
            UUID[] assetIds,
            Instant received) {
        long half = from + count / 2;
        long[][] halves = {{from, half}, {half, from + count}};
        List<List<CopyData>> streams = new ArrayList<>();
        for (long[] range : halves) {
            List<CopyData> stream = new ArrayList<>();
            for (long start = range[0]; start < range[1]; start += COPY_GROUP_ROWS) {
                Map<String, List<Workload.Row>> bySql = new TreeMap<>();
                for (long p = start; p < Math.min(start + COPY_GROUP_ROWS, range[1]); p++) {
                    Workload.Row r = row.apply(p);
                    bySql.computeIfAbsent(sqlOf.apply(r), k -> new ArrayList<>())
                            .add(r);
                }
                bySql.forEach((sql, rows) -> stream.add(inLockOrder(sql, rows, tenant, assetIds, received)));
            }
            streams.add(stream);
        }
        return streams;
    }

    /** One COPY of {@code rows}, sorted as Sextant's writers sort a group: by asset id, then time. */
    private static CopyData inLockOrder(
            String sql, List<Workload.Row> rows, UUID tenant, UUID[] assetIds, Instant received) {
        rows.sort(Comparator.comparing((Workload.Row r) -> assetIds[r.asset()]).thenComparing(Workload.Row::eventTime));
        PgCopy.Binary data = new PgCopy.Binary(rows.size() * 120);
        rows.forEach(r -> data.row(tenant, assetIds[r.asset()], r.eventTime(), received, r));
        return new CopyData(sql, data.bytes());
    }

    /** The generation expression of Sextant's stored {@code position.cell} column. */
    static String generatedCell(Connection c) throws SQLException {
        return scalar(c, """
                select pg_get_expr(d.adbin, d.adrelid) from pg_attrdef d
                join pg_attribute a on a.attrelid = d.adrelid and a.attnum = d.adnum
                where d.adrelid = 'public.position'::regclass and a.attname = 'cell'""");
    }

    /** The primary key of Sextant's position table, as a constraint definition ("PRIMARY KEY (…)"). */
    static String primaryKey(Connection c) throws SQLException {
        return scalar(c, """
                select pg_get_constraintdef(oid) from pg_constraint
                where conrelid = 'public.position'::regclass and contype = 'p'""");
    }

    /** The secondary (non-key) index definitions of Sextant's position table, for the COPY peer. */
    static List<String> secondaryIndexes(Connection c) throws SQLException {
        List<String> ddl = new ArrayList<>();
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("""
                        select pg_get_indexdef(i.indexrelid) from pg_index i
                        where i.indrelid = 'public.position'::regclass and not i.indisprimary
                        order by i.indexrelid""")) {
            while (rs.next()) {
                String def = rs.getString(1);
                // "CREATE INDEX name ON ONLY public."position" USING …" → the same index on the peer's table.
                String using = def.substring(def.indexOf(" USING "));
                ddl.add("CREATE INDEX ON copy_peer.position" + using);
            }
        }
        return ddl;
    }

    List<String> indexesOf(String variant) {
        String on = "create index on copy_peer.position ";
        return switch (variant) {
            case "binary", "text", "binary-2", "binary-2-groups" -> equivalentIndexes;
            case "binary-pk" -> List.of();
            case "binary-spgist" -> List.of(on + "using spgist (pos)");
            case "binary-brin" -> List.of(on + "using spgist (pos)", on + "using brin (event_time)");
            case "binary-cell" ->
                List.of(on + "(tenant_id, (" + HistoryPhase.cellExpression(o.cellDegrees) + "), event_time)");
            case "binary-gist" -> List.of(on + "using gist (pos)");
            default -> throw new IllegalArgumentException("copy variant " + variant);
        };
    }

    /** Drops every secondary index of the COPY peer's table and creates {@code ddl}. */
    static void useIndexes(Connection c, List<String> ddl) throws SQLException {
        List<String> existing = new ArrayList<>();
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("""
                        select n.nspname || '.' || x.relname from pg_index i
                        join pg_class x on x.oid = i.indexrelid join pg_namespace n on n.oid = x.relnamespace
                        where i.indrelid = 'copy_peer.position'::regclass and not i.indisprimary""")) {
            while (rs.next()) {
                existing.add(rs.getString(1));
            }
        }
        for (String index : existing) {
            exec(c, "drop index " + index);
        }
        for (String sql : ddl) {
            exec(c, sql);
        }
    }

    static void copyIn(Connection c, String sql, byte[] data) throws Exception {
        c.unwrap(PGConnection.class).getCopyAPI().copyIn(sql, new ByteArrayInputStream(data), 1 << 20);
    }

    /** One COPY statement and its data. */
    record CopyData(String sql, byte[] data) {}

    /** All streams at once, each on its own connection: stream i runs its COPYs in order on connection i. */
    static void copyConcurrently(List<Connection> connections, List<List<CopyData>> streams) throws Exception {
        AtomicInteger next = new AtomicInteger();
        runConcurrently(streams.size(), () -> {
            int i = next.getAndIncrement();
            for (CopyData copy : streams.get(i)) {
                copyIn(connections.get(i), copy.sql(), copy.data());
            }
            return null;
        });
    }

    void truncate(String table) throws SQLException {
        try (Connection c = admin(db);
                Statement s = c.createStatement()) {
            s.execute("truncate " + table);
        }
    }

    void checkpoint() throws SQLException {
        try (Connection c = admin("postgres");
                Statement s = c.createStatement()) {
            s.execute("checkpoint");
        }
    }

    // ------------------------------------------------------------------------------------------
    // 3. Live queries

    void live() throws Exception {
        new LivePhase(this).run();
    }

    // ------------------------------------------------------------------------------------------
    // 4. History

    void history() throws Exception {
        new HistoryPhase(this).run();
    }

    // ------------------------------------------------------------------------------------------
    // 5. Geofencing

    void fences() throws Exception {
        new FencesPhase(this).run();
    }

    // ------------------------------------------------------------------------------------------
    // 6. Delivery order

    void delivery() throws Exception {
        new DeliveryPhase(this).run();
    }

    // ------------------------------------------------------------------------------------------
    // Databases and helpers

    String jdbcUrl(String database) {
        return "jdbc:postgresql://" + o.pgHost + ":" + o.pgPort + "/" + database;
    }

    Connection admin(String database) throws SQLException {
        return DriverManager.getConnection(jdbcUrl(database) + "?user=" + o.pgUser);
    }

    void createDatabase(String name) throws SQLException {
        try (Connection c = admin("postgres");
                Statement s = c.createStatement()) {
            s.execute("drop database if exists " + name + " with (force)");
            s.execute("create database " + name);
        }
    }

    void cleanUp() {
        try {
            stopSextant();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (o.keep) {
            System.out.println(
                    "--keep: databases " + db + ", " + peerDb + " and Redis key " + o.redisPrefix + "* left in place");
            return;
        }
        try (Connection c = admin("postgres");
                Statement s = c.createStatement()) {
            s.execute("drop database if exists " + db + " with (force)");
            s.execute("drop database if exists " + peerDb + " with (force)");
        } catch (SQLException e) {
            System.err.println("could not drop the benchmark databases: " + e.getMessage());
        }
        try (RedisPeer redis = new RedisPeer(o.redisUri, o.redisPrefix)) {
            redis.deleteAll();
        } catch (RuntimeException e) {
            System.err.println("could not delete the Redis keys: " + e.getMessage());
        }
    }

    static String scalar(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }

    static LocalDate day(Instant t) {
        return t.atZone(ZoneOffset.UTC).toLocalDate();
    }

    static OffsetDateTime odt(Instant t) {
        return OffsetDateTime.ofInstant(t, ZoneOffset.UTC);
    }

    static String seconds(long nanos) {
        return String.format(Locale.ROOT, "%.1f", nanos / 1e9);
    }

    static String fmt(double v) {
        return String.format(Locale.ROOT, "%,.0f", v);
    }

    interface Task {
        Object call() throws Exception;
    }

    /** Runs {@code task} on {@code threads} platform threads named worker-0…; rethrows the first failure. */
    static void runConcurrently(int threads, Task task) throws Exception {
        AtomicInteger ids = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(
                threads,
                r -> Thread.ofPlatform().name("worker-" + ids.getAndIncrement()).unstarted(r));
        try {
            List<Future<Object>> futures = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                futures.add(pool.submit(task::call));
            }
            for (Future<Object> f : futures) {
                try {
                    f.get();
                } catch (java.util.concurrent.ExecutionException e) {
                    if (e.getCause() instanceof Exception ex) {
                        throw ex;
                    }
                    throw e;
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /** Streams generated rows into a COPY BINARY without holding them in memory. */
    static long copyStream(Connection c, String sql, RowSource rows) throws Exception {
        PGCopyOutputStream copy = new PGCopyOutputStream(c.unwrap(PGConnection.class), sql, 1 << 20);
        DataOutputStream out = new DataOutputStream(new BufferedOutputStream(copy, 1 << 20));
        PgCopy.header(out);
        rows.write(out);
        PgCopy.trailer(out);
        out.flush();
        return copy.endCopy();
    }

    interface RowSource {
        void write(DataOutputStream out) throws IOException;
    }

    /** Pipes COPY TO STDOUT of one database into COPY FROM STDIN of another. */
    static long copyBetween(Connection from, String outSql, Connection to, String inSql) throws Exception {
        try (PGCopyInputStream in = new PGCopyInputStream(from.unwrap(PGConnection.class), outSql)) {
            return to.unwrap(PGConnection.class).getCopyAPI().copyIn(inSql, in, 1 << 20);
        }
    }

    static Array intArray(Connection c, int[] values) throws SQLException {
        Integer[] boxed = new Integer[values.length];
        for (int i = 0; i < values.length; i++) {
            boxed[i] = values[i];
        }
        return c.createArrayOf("int4", boxed);
    }

    static void exec(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    static SplittableRandom queryRandom(Workload w, long index) {
        return w.random(QUERY_STREAM, index);
    }

    static JsonNode json(String body) {
        return JSON.readTree(body);
    }
}
