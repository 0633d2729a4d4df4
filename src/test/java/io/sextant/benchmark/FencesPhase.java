package io.sextant.benchmark;

import static io.sextant.benchmark.PositionsBenchmark.fmt;
import static io.sextant.benchmark.PositionsBenchmark.seconds;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.locationtech.jts.algorithm.locate.IndexedPointInAreaLocator;
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.Envelope;
import org.locationtech.jts.geom.GeometryFactory;
import org.locationtech.jts.geom.Location;
import org.locationtech.jts.index.strtree.STRtree;
import tools.jackson.databind.JsonNode;

/**
 * Part 5, geofencing, on one Sextant process and a fresh database. (1) Ingest throughput in three
 * tenants driven by exactly the same positions — no zones, 1,000 zones and 10,000 zones (half
 * axis-aligned rectangles, half 500-vertex star-shaped polygons, 1–3 km across, spread like the
 * assets' homes) — in interleaved rounds (none, 1k, 10k, then 10k, 1k, none) so that a drift of the
 * machine or of the growing tables weighs on every tenant alike. (2) Latency from the moment the
 * ingest request that carried a position returned 200 to the arrival of the zone event it caused,
 * at a webhook receiver in this JVM and on an SSE stream, under an open-loop load at a fixed rate.
 *
 * <p>Each client owns a fixed share of the assets (asset mod clients) and sends its batches one
 * after another, so every asset's positions arrive in event-time order, as from a real device:
 * out-of-order arrival would make the engine re-evaluate late data, which is a different workload.
 */
final class FencesPhase {

    static final long FENCE_STREAM = 5;
    static final long ZONE_STREAM = 6;
    static final long CROSSER_STREAM = 7;
    static final int POLYGON_VERTICES = 500;
    static final String ZONE_EVENT_TYPES = "('sextant.zone.entered', 'sextant.zone.exited')";
    private static final Pattern ACCEPTED = Pattern.compile("\"accepted\"\\s*:\\s*(\\d+)");

    final PositionsBenchmark b;
    final Options o;
    final Report report;
    /** The largest zone set; a tenant with n zones has the first n (so 1k ⊂ 10k). */
    final List<ZoneSpec> zones;

    final List<Fleet> fleets = new ArrayList<>();
    final long warmup;
    final long perRound;
    Workload.Drive drive;

    FencesPhase(PositionsBenchmark b) {
        this.b = b;
        this.o = b.o;
        this.report = b.report;
        int largest = o.fenceZones.stream().mapToInt(Integer::intValue).max().orElse(0);
        List<ZoneSpec> specs = new ArrayList<>(largest);
        for (int i = 0; i < largest; i++) {
            specs.add(ZoneSpec.generate(b.workload, i));
        }
        this.zones = specs;
        // Whole steps of the fleet: every asset reports once per step.
        this.warmup = roundUp(o.fenceWarmup, o.assets);
        this.perRound = roundUp(o.fencePositions, o.assets);
    }

    /** Steps of the fleet (every asset reporting once) in one warm-up pass. */
    long stepsPerPass() {
        return warmup / o.assets;
    }

    static long roundUp(long n, long unit) {
        return (n + unit - 1) / unit * unit;
    }

    /** One tenant of the throughput rounds: its zones, its administrator's token and its own assets. */
    record Fleet(String label, int zoneCount, UUID tenantId, String token, UUID[] assets) {}

    void run() throws Exception {
        b.stopSextant();
        b.freshDatabase();
        report.line("Load average at the start of the phase: " + loadAverage() + ".");
        b.startSextant("fences");
        b.adminToken = b.signIn("admin", o.adminPassword);

        List<Integer> counts = new ArrayList<>();
        counts.add(0);
        counts.addAll(o.fenceZones);
        long t0 = System.nanoTime();
        for (int n : counts) {
            fleets.add(createFleet(n));
        }
        report.line(String.format(
                Locale.ROOT,
                "Created %d tenants with %,d assets each through the API in %s s.",
                fleets.size(),
                o.assets,
                seconds(System.nanoTime() - t0)));
        for (Fleet fleet : fleets) {
            if (fleet.zoneCount() > 0) {
                createZones(fleet);
            }
        }
        try (Connection c = b.admin(b.db)) {
            PositionsBenchmark.exec(c, "vacuum analyze asset");
            PositionsBenchmark.exec(c, "vacuum analyze zone");
        }

        // Ground covered (the warm-up's, then the rounds'); time spans every warm-up pass allowed.
        long totalSteps = (warmup + o.fenceRepeats * perRound) / o.assets;
        long timeSteps = totalSteps + (o.fenceWarmupPasses - 1) * stepsPerPass();
        Instant base = Instant.now().minusSeconds(timeSteps * 5 + 600).truncatedTo(ChronoUnit.SECONDS);
        drive = new Workload.Drive(b.workload, FENCE_STREAM, o.assets, base);
        throughput();
        latency(fleets.getLast(), totalSteps);
        report.line("Load average at the end of the phase: " + loadAverage() + ".");
    }

    // ------------------------------------------------------------------------------------------
    // Set-up through the API

    Fleet createFleet(int zoneCount) throws Exception {
        String label = zoneCount == 0 ? "no zones" : String.format(Locale.ROOT, "%,d zones", zoneCount);
        String slug = "bench-fences-" + zoneCount;
        HttpResponse<String> t =
                b.postJson("/api/v1/tenants", b.adminToken, Map.of("slug", slug, "name", "Benchmark fences " + label));
        if (t.statusCode() != 201) {
            throw new IllegalStateException("tenant creation failed: " + t.statusCode() + " " + t.body());
        }
        UUID tenantId =
                UUID.fromString(PositionsBenchmark.json(t.body()).get("id").asString());
        String username = "admin@" + slug;
        String password = "bench-fences-" + o.adminPassword;
        HttpResponse<String> u = b.postJson(
                "/api/v1/tenants/" + tenantId + "/users",
                b.adminToken,
                Map.of("username", username, "password", password, "roles", List.of("admin")));
        if (u.statusCode() != 201) {
            throw new IllegalStateException("user creation failed: " + u.statusCode() + " " + u.body());
        }
        String token = b.signIn(username, password);
        UUID[] assets = new UUID[o.assets];
        AtomicInteger next = new AtomicInteger();
        PositionsBenchmark.runConcurrently(o.clients, () -> {
            int i;
            while ((i = next.getAndIncrement()) < o.assets) {
                HttpResponse<String> r = b.postJson(
                        "/api/v1/assets",
                        token,
                        Map.of(
                                "externalId",
                                PositionsBenchmark.externalId(i),
                                "name",
                                "Fence asset " + i,
                                "type",
                                "vehicle"));
                if (r.statusCode() != 201) {
                    throw new IllegalStateException("asset creation failed: " + r.statusCode() + " " + r.body());
                }
                assets[i] = UUID.fromString(
                        PositionsBenchmark.json(r.body()).get("id").asString());
            }
            return null;
        });
        return new Fleet(label, zoneCount, tenantId, token, assets);
    }

    void createZones(Fleet fleet) throws Exception {
        postZones(b, fleet.label(), fleet.token(), zones.subList(0, fleet.zoneCount()));
    }

    /**
     * Creates the given zones through {@code POST /api/v1/zones} with the benchmark's clients, as the
     * tenant whose token is given, and reports it (not a measured figure). Part 1 uses it too, for
     * {@code --ingest-zones}.
     */
    static void postZones(PositionsBenchmark b, String label, String token, List<ZoneSpec> zones) throws Exception {
        AtomicInteger next = new AtomicInteger();
        long t0 = System.nanoTime();
        PositionsBenchmark.runConcurrently(b.o.clients, () -> {
            int i;
            while ((i = next.getAndIncrement()) < zones.size()) {
                HttpResponse<String> r = b.send(HttpRequest.newBuilder(URI.create(b.baseUrl + "/api/v1/zones"))
                        .header("Content-Type", "application/json")
                        .header("Authorization", "Bearer " + token)
                        .POST(HttpRequest.BodyPublishers.ofString(zones.get(i).json())));
                if (r.statusCode() != 201) {
                    throw new IllegalStateException("zone " + i + " refused: " + r.statusCode() + " " + r.body());
                }
            }
            return null;
        });
        long nanos = System.nanoTime() - t0;
        b.report.line(String.format(
                Locale.ROOT,
                "Tenant \"%s\": %,d zones (%,d rectangles, %,d polygons of %d vertices) created through POST"
                        + " /api/v1/zones with %d clients in %s s (%,.0f zones/s; not a measured figure).",
                label,
                zones.size(),
                (zones.size() + 1) / 2,
                zones.size() / 2,
                POLYGON_VERTICES,
                b.o.clients,
                seconds(nanos),
                zones.size() / (nanos / 1e9)));
    }

    // ------------------------------------------------------------------------------------------
    // 5a. Throughput

    /** One measured (or warm-up) round of one tenant. */
    record Round(
            Fleet fleet,
            int segment,
            long positions,
            long nanos,
            long failures,
            Latencies latency,
            String cpu,
            Map<String, Double> before,
            Map<String, Double> after,
            long events,
            List<List<String>> activity,
            List<List<String>> statements,
            String load,
            List<String> profile,
            long driverJitMillis) {

        double rate() {
            return positions / (nanos / 1e9);
        }

        double delta(String series) {
            return sum(after, series) - sum(before, series);
        }

        /** Milliseconds the JIT compilers of Sextant and of this driver spent per second of the round. */
        String jit() {
            double sextant = delta(SEXTANT_JIT_MILLIS);
            return String.format(Locale.ROOT, "%.0f / %.0f", sextant / (nanos / 1e9), driverJitMillis / (nanos / 1e9));
        }

        /** Milliseconds the JIT compilers of Sextant and of this driver spent compiling, together. */
        double jitMillis() {
            return delta(SEXTANT_JIT_MILLIS) + driverJitMillis;
        }
    }

    /**
     * Micrometer's {@code jvm.compilation.time}: the time Sextant's JIT compilers spent compiling,
     * summed over their threads.
     */
    static final String SEXTANT_JIT_MILLIS = "jvm_compilation_time_ms_total";

    static long driverJitMillis() {
        return java.lang.management.ManagementFactory.getCompilationMXBean().getTotalCompilationTime();
    }

    void throughput() throws Exception {
        report.line("");
        report.line(String.format(
                Locale.ROOT,
                "**Throughput.** Each tenant has its own %,d assets; all three are driven by the same positions (the"
                        + " same homes, headings and speeds, 8–15 m/s, one report per asset every 5 s of event time)."
                        + " %d clients × batches of %,d (JSON arrays, encoded before the clock starts); client c sends"
                        + " the positions of the assets a with a mod %d = c, one batch after another, so each asset's"
                        + " positions arrive in order. Warm-up (not measured): passes over the ground of the first %,d"
                        + " positions per tenant (each pass reported later than the one before, so positions stay in"
                        + " order and the rounds below cover the same ground whatever the number of passes), at most"
                        + " %d, until the JIT compilers of Sextant and of this driver spent at most %.0f%% of a pass's"
                        + " time compiling. Then %d"
                        + " repetition(s) of one round of %,d positions per tenant, in the order none → most zones and"
                        + " back. No subscriptions exist during these rounds; events are written to the log and relayed"
                        + " to nobody.",
                o.assets,
                o.clients,
                o.batch,
                o.clients,
                warmup,
                o.fenceWarmupPasses,
                100 * o.fenceWarmupQuiet,
                o.fenceRepeats,
                perRound));
        // Every pass drives the first `warmup` positions' ground again, later each time; the rounds
        // then cover the same ground (the same zone crossings) whatever the number of passes, and
        // every asset's positions still arrive in time order.
        PositionsBenchmark.Warmup warmed =
                PositionsBenchmark.warmUp(o.fenceWarmupPasses, o.fenceWarmupQuiet, null, pass -> {
                    double jitMillis = 0;
                    long nanos = 0;
                    List<String> rates = new ArrayList<>();
                    for (Fleet fleet : fleets) {
                        Round r = ingestRound(fleet, 0, warmup, pass * stepsPerPass(), -1);
                        jitMillis += r.jitMillis();
                        nanos += r.nanos();
                        rates.add(fmt(r.rate()));
                        System.out.printf(
                                Locale.ROOT,
                                "  [warm-up %d, %s] %,.0f positions/s, JIT ms per s (Sextant / driver) %s%n",
                                pass + 1,
                                fleet.label(),
                                r.rate(),
                                r.jit());
                    }
                    return new PositionsBenchmark.WarmupPass(String.join(", ", rates), jitMillis / (nanos / 1e6));
                });
        long later = (warmed.passes().size() - 1) * stepsPerPass();
        report.line(String.format(
                Locale.ROOT,
                "Warm-up: %d pass(es) — %s.%s",
                warmed.passes().size(),
                String.join("; ", warmed.passes()),
                warmed.quiet() ? "" : " The compilers were still busy after the last pass allowed."));
        List<Round> rounds = new ArrayList<>();
        for (int rep = 0; rep < o.fenceRepeats; rep++) {
            List<Fleet> order = new ArrayList<>(fleets);
            if (rep % 2 == 1) {
                java.util.Collections.reverse(order);
            }
            for (Fleet fleet : order) {
                Round round = ingestRound(fleet, warmup + rep * perRound, perRound, later, rep);
                rounds.add(round);
                long from = warmup + rep * perRound;
                if (!o.besideGroups) {
                    besides.add(copyBeside(round, from, perRound, later, false));
                } else if (rounds.size() % 2 == 1) {
                    besides.add(copyBeside(round, from, perRound, later, false));
                    groupedBesides.add(copyBeside(round, from, perRound, later, true));
                } else {
                    groupedBesides.add(copyBeside(round, from, perRound, later, true));
                    besides.add(copyBeside(round, from, perRound, later, false));
                }
            }
        }
        reportThroughput(rounds);
        reportCopyBeside(besides);
        if (o.besideGroups) {
            reportGroupedBeside();
        }
    }

    /** Raw COPY of a round's rows right after it, into the partition it wrote. */
    record Beside(Round round, long rows, long nanos, String cpu) {

        double rate() {
            return rows / (nanos / 1e9);
        }
    }

    final List<Beside> besides = new ArrayList<>();
    /** {@code --beside-groups}: the same COPY beside each round once more, in Sextant's transaction shape. */
    final List<Beside> groupedBesides = new ArrayList<>();

    /**
     * The round's rows once more, as raw binary COPY in two streams of half each (the same split as
     * part 2's peer), straight into the daily partition the round wrote, right after it: the same
     * event times, under a tenant and asset ids of their own (new each time, so no key is taken).
     * Part 2's peer COPYs into a fresh table; this one meets the table in the state Sextant's round
     * left it, in the same minutes. Its rows stay, so the partition grows as a round makes it grow.
     */
    Beside copyBeside(Round round, long from, long count, long later, boolean grouped) throws Exception {
        UUID tenant = UUID.randomUUID();
        UUID[] assets = new UUID[o.assets];
        for (int i = 0; i < assets.length; i++) {
            assets[i] = UUID.randomUUID();
        }
        Instant received = Instant.now().truncatedTo(ChronoUnit.MICROS);
        // Encoded before the clock starts.
        List<List<PositionsBenchmark.CopyData>> streams = grouped
                ? PositionsBenchmark.inGroups(
                        from, count, p -> drive.row(p, later), r -> copySql(partitionOf(r)), tenant, assets, received)
                : wholeStreams(from, count, later, tenant, assets, received);
        b.checkpoint();
        long pid = b.sextant.pid();
        long nanos;
        String cpu;
        // Connections open before the CPU sample and closed after it, so their backends are counted.
        try (Connection c0 = b.admin(b.db);
                Connection c1 = b.admin(b.db)) {
            CpuSample before = CpuSample.take(pid);
            long t0 = System.nanoTime();
            PositionsBenchmark.copyConcurrently(List.of(c0, c1), streams);
            nanos = System.nanoTime() - t0;
            cpu = CpuSample.take(pid).since(before);
        }
        Beside beside = new Beside(round, count, nanos, cpu);
        System.out.printf(
                Locale.ROOT,
                "  [round %d, %s] raw COPY beside it%s: %,d rows in %s s = %,.0f/s (%s)%n",
                round.segment() + 1,
                round.fleet().label(),
                grouped ? " in groups" : "",
                count,
                seconds(nanos),
                beside.rate(),
                cpu);
        return beside;
    }

    /** Two streams of half the rows each, one COPY per stream and partition. */
    List<List<PositionsBenchmark.CopyData>> wholeStreams(
            long from, long count, long later, UUID tenant, UUID[] assets, Instant received) {
        Map<String, PgCopy.Binary[]> byPartition = new TreeMap<>();
        long half = from + count / 2;
        int perStream = (int) Math.min(Integer.MAX_VALUE - 64, count * 64);
        for (long p = from; p < from + count; p++) {
            Workload.Row r = drive.row(p, later);
            PgCopy.Binary[] streams = byPartition.computeIfAbsent(partitionOf(r), k ->
                    new PgCopy.Binary[] {new PgCopy.Binary(perStream), new PgCopy.Binary(perStream)});
            streams[p < half ? 0 : 1].row(tenant, assets[r.asset()], r.eventTime(), received, r);
        }
        List<List<PositionsBenchmark.CopyData>> streams = List.of(new ArrayList<>(), new ArrayList<>());
        byPartition.forEach((partition, data) -> {
            for (int i = 0; i < 2; i++) {
                streams.get(i).add(new PositionsBenchmark.CopyData(copySql(partition), data[i].bytes()));
            }
        });
        return streams;
    }

    private static String partitionOf(Workload.Row r) {
        return "position_" + PositionsBenchmark.day(r.eventTime()).format(PositionsBenchmark.DAY);
    }

    private static String copySql(String partition) {
        return "COPY " + partition + " (" + PgCopy.COLUMNS + ") FROM STDIN (FORMAT binary)";
    }

    /** {@code --beside-groups}: each round's COPY beside it in one COPY per stream against in groups. */
    void reportGroupedBeside() {
        report.line("");
        report.line("**Diagnostic (`--beside-groups`): the COPY beside each round once more in Sextant's transaction"
                + " shape**: the same rows under another tenant and asset ids, the same two streams, but each cut into"
                + " COPYs of " + fmt(PositionsBenchmark.COPY_GROUP_ROWS) + " rows sorted by asset and time that"
                + " commit each; right before the whole-stream COPY after every other round, right after it otherwise,"
                + " each after its own `CHECKPOINT`. Its rows stay too, so the partition grows twice as fast as"
                + " without the flag.");
        List<List<String>> rows = new ArrayList<>();
        for (int i = 0; i < groupedBesides.size(); i++) {
            Beside whole = besides.get(i);
            Beside grouped = groupedBesides.get(i);
            rows.add(List.of(
                    Integer.toString(whole.round().segment() + 1),
                    whole.round().fleet().label(),
                    i % 2 == 1 ? "groups first" : "whole first",
                    fmt(whole.rate()),
                    fmt(grouped.rate()),
                    String.format(Locale.ROOT, "%.2f", grouped.rate() / whole.rate()),
                    whole.cpu(),
                    grouped.cpu()));
        }
        report.table(
                List.of(
                        "round",
                        "tenant",
                        "order",
                        "COPY beside, one per stream, rows/s",
                        "in groups, rows/s",
                        "groups ÷ one",
                        "CPU, one per stream",
                        "CPU, in groups"),
                rows);
        double ratio = groupedBesides.stream().mapToDouble(Beside::rate).sum()
                / besides.stream().mapToDouble(Beside::rate).sum();
        report.metric("fences.copy_beside.groups_vs_whole", ratio);
    }

    void reportCopyBeside(List<Beside> list) {
        report.line("");
        report.line("**Raw COPY beside each round** (not part of Sextant's throughput): right after each round,"
                + " its rows once more as binary COPY in two streams of half each, straight into the daily partition"
                + " the round wrote (as Sextant's writers do), under a tenant and asset ids of their own, after the"
                + " same `CHECKPOINT` as a round. Part 2's peer COPYs into a fresh, empty table minutes earlier;"
                + " this one writes the table as Sextant's round left it, in the same minute. Its rows stay.");
        List<List<String>> rows = new ArrayList<>();
        for (Beside x : list) {
            rows.add(List.of(
                    Integer.toString(x.round().segment() + 1),
                    x.round().fleet().label(),
                    fmt(x.round().rate()),
                    fmt(x.rate()),
                    String.format(Locale.ROOT, "%.2f", x.round().rate() / x.rate()),
                    x.cpu()));
        }
        report.table(
                List.of(
                        "round",
                        "tenant",
                        "Sextant positions/s",
                        "COPY beside, rows/s",
                        "Sextant ÷ COPY beside",
                        "COPY's CPU (100% = one core)"),
                rows);
        Map<Fleet, List<Beside>> byFleet = new LinkedHashMap<>();
        list.forEach(x -> byFleet.computeIfAbsent(x.round().fleet(), f -> new ArrayList<>())
                .add(x));
        List<String> means = new ArrayList<>();
        byFleet.forEach((fleet, ofFleet) -> {
            double sextant = ofFleet.stream()
                    .mapToDouble(x -> x.round().rate())
                    .average()
                    .orElse(Double.NaN);
            double copy = ofFleet.stream().mapToDouble(Beside::rate).average().orElse(Double.NaN);
            String key = "fences.zones_" + fleet.zoneCount();
            report.metric(key + ".copy_beside.rows_per_s", copy);
            report.metric(key + ".ratio_to_copy_beside", sextant / copy);
            means.add(String.format(
                    Locale.ROOT, "%s %,.0f ÷ %,.0f = **%.2f**", fleet.label(), sextant, copy, sextant / copy));
        });
        report.line("Means per tenant (Sextant's rounds ÷ the COPYs beside them): " + String.join("; ", means) + ".");
    }

    /** Positions {@code from} to {@code from + count} of every asset, {@code later} steps late. */
    Round ingestRound(Fleet fleet, long from, long count, long later, int segment) throws Exception {
        // Per client: its batches, in order.
        List<List<byte[]>> bodies = new ArrayList<>();
        List<List<Integer>> sizes = new ArrayList<>();
        for (int c = 0; c < o.clients; c++) {
            List<byte[]> mine = new ArrayList<>();
            List<Integer> mySizes = new ArrayList<>();
            StringBuilder body = new StringBuilder(o.batch * 150);
            int inBody = 0;
            for (long p = from; p < from + count; p++) {
                int asset = (int) (p % o.assets);
                if (asset % o.clients != c) {
                    continue;
                }
                body.append(inBody == 0 ? '[' : ',');
                drive.row(p, later).appendJson(body, fleet.assets()[asset]);
                if (++inBody == o.batch) {
                    mine.add(body.append(']').toString().getBytes(StandardCharsets.UTF_8));
                    mySizes.add(inBody);
                    body.setLength(0);
                    inBody = 0;
                }
            }
            if (inBody > 0) {
                mine.add(body.append(']').toString().getBytes(StandardCharsets.UTF_8));
                mySizes.add(inBody);
            }
            bodies.add(mine);
            sizes.add(mySizes);
        }
        int batches = bodies.stream().mapToInt(List::size).sum();
        b.checkpoint();
        String load = loadAverage();
        Map<String, Double> before = b.prometheus();
        long eventsBefore = eventCount(fleet.tenantId());
        Latencies latency = new Latencies(batches);
        AtomicLong accepted = new AtomicLong();
        AtomicLong failures = new AtomicLong();
        AtomicInteger clientIds = new AtomicInteger();
        ActivitySampler activity = segment >= 0 ? new ActivitySampler(b.admin("postgres"), b.db) : null;
        StatementCosts statementCosts =
                o.pgStatements && segment >= 0 ? StatementCosts.start(b.admin("postgres"), b.db) : null;
        long pid = b.sextant.pid();
        JfrProfile jfr = o.profile && segment >= 0
                ? JfrProfile.start(
                        pid, b.out.resolve("fences-round-" + (segment + 1) + "-" + fleet.zoneCount() + "-zones.jfr"))
                : null;
        CpuSample cpuBefore = CpuSample.take(pid);
        long driverJit = driverJitMillis();
        long t0 = System.nanoTime();
        PositionsBenchmark.runConcurrently(o.clients, () -> {
            int c = clientIds.getAndIncrement();
            List<byte[]> mine = bodies.get(c);
            for (int i = 0; i < mine.size(); i++) {
                for (int attempt = 0; ; attempt++) {
                    long s = System.nanoTime();
                    PositionsBenchmark.Reply r = b.postPositions("application/json", fleet.token(), mine.get(i));
                    latency.add(System.nanoTime() - s);
                    Matcher m = ACCEPTED.matcher(r.body());
                    if (r.status() == 200
                            && m.find()
                            && Integer.parseInt(m.group(1)) == sizes.get(c).get(i)) {
                        accepted.addAndGet(sizes.get(c).get(i));
                        break;
                    }
                    failures.incrementAndGet();
                    if (attempt >= 10) {
                        throw new IllegalStateException("batch failed: " + r.status() + " "
                                + r.body().substring(0, Math.min(500, r.body().length())));
                    }
                    Thread.sleep(200);
                }
            }
            return null;
        });
        long nanos = System.nanoTime() - t0;
        driverJit = driverJitMillis() - driverJit;
        String cpu = CpuSample.take(pid).since(cpuBefore);
        List<String> profile = List.of();
        if (jfr != null) {
            jfr.stop();
            profile = jfr.summary(JfrProfile.WRITERS);
        }
        List<List<String>> top = List.of();
        if (activity != null) {
            activity.close();
            top = activity.top(6);
        }
        List<List<String>> statements =
                statementCosts == null ? List.of() : statementCosts.top(b.admin("postgres"), accepted.get(), 10);
        Map<String, Double> after = b.prometheus();
        long events = eventCount(fleet.tenantId()) - eventsBefore;
        Round round = new Round(
                fleet,
                segment,
                accepted.get(),
                nanos,
                failures.get(),
                latency,
                cpu,
                before,
                after,
                events,
                top,
                statements,
                load,
                profile,
                driverJit);
        if (segment >= 0) {
            System.out.printf(
                    Locale.ROOT,
                    "  [round %d, %s] %,d positions in %s s = %,.0f/s, %,d events (%s; JIT ms per s %s)%n",
                    segment + 1,
                    fleet.label(),
                    round.positions(),
                    seconds(nanos),
                    round.rate(),
                    events,
                    cpu,
                    round.jit());
        }
        return round;
    }

    HttpResponse<String> postPositions(String token, byte[] body) throws Exception {
        return b.send(HttpRequest.newBuilder(URI.create(b.baseUrl + "/api/v1/positions"))
                .header("Content-Type", "application/json")
                .header("Prefer", b.o.preferHeader())
                .header("Authorization", "Bearer " + token)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)));
    }

    void reportThroughput(List<Round> rounds) throws Exception {
        // The share of each segment's positions inside at least one zone, per zone count (client-side, JTS).
        Map<Integer, ZoneLocator> locators = new HashMap<>();
        for (Fleet fleet : fleets) {
            if (fleet.zoneCount() > 0) {
                locators.put(fleet.zoneCount(), new ZoneLocator(zones.subList(0, fleet.zoneCount())));
            }
        }
        Map<String, Double> insideShare = new HashMap<>();
        for (int seg = 0; seg < o.fenceRepeats; seg++) {
            long from = warmup + seg * perRound;
            for (Map.Entry<Integer, ZoneLocator> e : locators.entrySet()) {
                long inside = 0;
                for (long p = from; p < from + perRound; p++) {
                    Workload.Row r = drive.row(p);
                    if (e.getValue().insideAny(r.lon(), r.lat())) {
                        inside++;
                    }
                }
                insideShare.put(seg + "/" + e.getKey(), (double) inside / perRound);
            }
        }

        Map<Fleet, List<Round>> byFleet = new LinkedHashMap<>();
        fleets.forEach(f -> byFleet.put(f, new ArrayList<>()));
        rounds.forEach(r -> byFleet.get(r.fleet()).add(r));
        double baseline = mean(byFleet.get(fleets.getFirst()));

        List<List<String>> rows = new ArrayList<>();
        for (Round r : rounds) {
            double evalSum = r.delta("sextant_fences_evaluation_seconds_sum");
            double commitSum = r.delta("sextant_ingest_commit_seconds_sum");
            double groups = r.delta("sextant_fences_evaluation_seconds_count");
            rows.add(List.of(
                    Integer.toString(r.segment() + 1),
                    r.fleet().label(),
                    fmt(r.rate()),
                    String.format(
                            Locale.ROOT,
                            "%.1f%%",
                            100
                                    * insideShare.getOrDefault(
                                            r.segment() + "/" + r.fleet().zoneCount(), 0.0)),
                    fmt(r.events()),
                    String.format(Locale.ROOT, "%.2f µs", evalSum / r.positions() * 1e6),
                    String.format(Locale.ROOT, "%.1f ms / %.0f", groups == 0 ? 0 : evalSum / groups * 1000, groups),
                    String.format(Locale.ROOT, "%.0f%%", commitSum == 0 ? 0 : 100 * evalSum / commitSum),
                    r.latency().p50() + " / " + r.latency().p99(),
                    r.cpu(),
                    r.jit(),
                    r.load()));
        }
        report.line("");
        report.line("Every round (share inside: positions of the round inside at least one of the tenant's zones,"
                + " computed in the driver with JTS; evaluation: Sextant's `sextant_fences_evaluation` timer —"
                + " evaluating one committed group against the zones, its fence-state and event writes included —"
                + " summed over the round and divided by its positions, the mean per group, and as a share of the"
                + " writer's `sextant_ingest_commit` time, which contains it):");
        report.table(
                List.of(
                        "round",
                        "tenant",
                        "positions/s",
                        "inside ≥ 1 zone",
                        "events",
                        "evaluation per position",
                        "evaluation per group / groups",
                        "evaluation ÷ commit time",
                        "batch p50 / p99",
                        "CPU (100% = one core)",
                        "JIT compiling, ms per s (Sextant / driver)",
                        "load avg before"),
                rows);

        List<List<String>> summary = new ArrayList<>();
        for (Map.Entry<Fleet, List<Round>> e : byFleet.entrySet()) {
            Fleet fleet = e.getKey();
            double rate = mean(e.getValue());
            double ratio = rate / baseline;
            double target = fleet.zoneCount() == 0 ? Double.NaN : fleet.zoneCount() <= 1_000 ? 0.8 : 0.5;
            String key = "fences.zones_" + fleet.zoneCount();
            report.metric(key + ".positions_per_s", rate);
            report.metric(key + ".ratio_to_no_zones", ratio);
            long events = e.getValue().stream().mapToLong(Round::events).sum();
            long positions = e.getValue().stream().mapToLong(Round::positions).sum();
            double evalSum = e.getValue().stream()
                    .mapToDouble(r -> r.delta("sextant_fences_evaluation_seconds_sum"))
                    .sum();
            summary.add(List.of(
                    fleet.label(),
                    e.getValue().stream().map(r -> fmt(r.rate())).toList().toString(),
                    "**" + fmt(rate) + "**",
                    fleet.zoneCount() == 0 ? "1 (baseline)" : String.format(Locale.ROOT, "**%.2f**", ratio),
                    Double.isNaN(target)
                            ? "—"
                            : String.format(Locale.ROOT, "≥ %.1f: %s", target, ratio >= target ? "met" : "**NOT met**"),
                    String.format(Locale.ROOT, "%.1f%%", 100 * insideShareMean(insideShare, fleet.zoneCount())),
                    String.format(Locale.ROOT, "%,d (%.2f per 1,000 positions)", events, 1000.0 * events / positions),
                    String.format(Locale.ROOT, "%.2f µs", evalSum / positions * 1e6)));
        }
        report.line("Per tenant (positions/s: mean of its rounds; ratio to the no-zone tenant's mean):");
        report.table(
                List.of(
                        "tenant",
                        "positions/s per round",
                        "mean positions/s",
                        "ratio to no zones",
                        "target",
                        "inside ≥ 1 zone",
                        "zone events",
                        "evaluation per position"),
                summary);
        report.line("Late or out-of-order positions re-evaluated: "
                + fmt(rounds.stream()
                        .mapToDouble(r -> r.delta("sextant_fences_corrections_total"))
                        .sum())
                + " corrections, "
                + fmt(rounds.stream()
                        .mapToDouble(r -> r.delta("sextant_fences_replayed_total"))
                        .sum())
                + " late positions replayed, "
                + fmt(rounds.stream()
                        .mapToDouble(r -> r.delta("sextant_fences_late_total"))
                        .sum())
                + " late positions skipped (expected 0: every asset's positions arrive in order).");
        reportRepetitions(byFleet);
        for (Round r : rounds) {
            if (!r.profile().isEmpty()) {
                report.line("");
                report.line("**Profile** (`--profile`, diagnostic) of round " + (r.segment() + 1) + ", tenant \""
                        + r.fleet().label() + "\":");
                r.profile().forEach(line -> report.line("- " + line));
            }
        }
        for (Round r : rounds) {
            if (r.segment() == 0 && !r.activity().isEmpty()) {
                report.line("");
                report.line("PostgreSQL backends during round 1, tenant \""
                        + r.fleet().label()
                        + "\" (pg_stat_activity every ~100 ms; average busy backends per statement and wait):");
                report.table(List.of("statement — wait", "busy backends (avg)"), r.activity());
            }
        }
        for (Round r : rounds) {
            if (!r.statements().isEmpty()) {
                report.line("");
                report.line("PostgreSQL's cost per statement in round " + (r.segment() + 1) + ", tenant \""
                        + r.fleet().label() + "\" (`--pg-statements`: pg_stat_statements before and after the round;"
                        + " execution time is wall time in the statement, waits included; "
                        + String.format(Locale.ROOT, "%,d", r.events()) + " events):");
                report.table(StatementCosts.COLUMNS, r.statements());
            }
        }
    }

    /**
     * With three repetitions or more: each zone tenant's ratio within each repetition (its round ÷
     * the no-zone tenant's round of the same repetition, minutes apart, over the same ground) and
     * the median of those. The ratio of the means above follows a single slow or fast round of the
     * no-zone tenant; the median of per-repetition ratios does not.
     */
    void reportRepetitions(Map<Fleet, List<Round>> byFleet) throws Exception {
        if (o.fenceRepeats < 3) {
            return;
        }
        List<Round> baseline = byFleet.get(fleets.getFirst());
        List<List<String>> rows = new ArrayList<>();
        for (Map.Entry<Fleet, List<Round>> e : byFleet.entrySet()) {
            Fleet fleet = e.getKey();
            if (fleet.zoneCount() == 0) {
                continue;
            }
            List<Double> ratios = repetitionRatios(e.getValue(), baseline);
            double median = median(ratios);
            double target = fleet.zoneCount() <= 1_000 ? 0.8 : 0.5;
            report.metric("fences.zones_" + fleet.zoneCount() + ".ratio_median_of_repetitions", median);
            rows.add(List.of(
                    fleet.label(),
                    ratios.stream()
                            .map(r -> String.format(Locale.ROOT, "%.2f", r))
                            .toList()
                            .toString(),
                    String.format(Locale.ROOT, "**%.2f**", median),
                    String.format(Locale.ROOT, "≥ %.1f: %s", target, median >= target ? "met" : "**NOT met**")));
        }
        report.line("");
        report.line("Per repetition (the zone tenant's round ÷ the no-zone tenant's round of the same repetition,"
                + " which drove the same positions minutes apart), and the median over the repetitions:");
        report.table(List.of("tenant", "ratio per repetition", "median", "target"), rows);
    }

    /** The i-th round of {@code rounds} ÷ the i-th of {@code baseline}, for every repetition. */
    static List<Double> repetitionRatios(List<Round> rounds, List<Round> baseline) {
        List<Double> ratios = new ArrayList<>(rounds.size());
        for (int i = 0; i < rounds.size(); i++) {
            ratios.add(rounds.get(i).rate() / baseline.get(i).rate());
        }
        return ratios;
    }

    static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    static double mean(List<Round> rounds) {
        return rounds.stream().mapToDouble(Round::rate).average().orElse(Double.NaN);
    }

    double insideShareMean(Map<String, Double> shares, int zoneCount) {
        double sum = 0;
        for (int seg = 0; seg < o.fenceRepeats; seg++) {
            sum += shares.getOrDefault(seg + "/" + zoneCount, 0.0);
        }
        return sum / o.fenceRepeats;
    }

    /** Point-in-zone tests for a zone set, with exactly the semantics of planar lon/lat polygons. */
    static final class ZoneLocator {
        private final STRtree tree = new STRtree();

        ZoneLocator(List<ZoneSpec> specs) {
            GeometryFactory factory = new GeometryFactory();
            for (ZoneSpec spec : specs) {
                Coordinate[] ring = new Coordinate[spec.ring().length];
                for (int i = 0; i < ring.length; i++) {
                    ring[i] = new Coordinate(spec.ring()[i][0], spec.ring()[i][1]);
                }
                var polygon = factory.createPolygon(ring);
                tree.insert(polygon.getEnvelopeInternal(), new IndexedPointInAreaLocator(polygon));
            }
            tree.build();
        }

        boolean insideAny(double lon, double lat) {
            Coordinate point = new Coordinate(lon, lat);
            for (Object candidate : tree.query(new Envelope(point))) {
                if (((IndexedPointInAreaLocator) candidate).locate(point) != Location.EXTERIOR) {
                    return true;
                }
            }
            return false;
        }
    }

    // ------------------------------------------------------------------------------------------
    // 5b. Latency at a fixed rate

    /** Something received at the webhook or on the SSE stream, with the driver's clock. */
    record Arrival(long nanos, String body) {}

    void latency(Fleet fleet, long stepsDone) throws Exception {
        long intervalNanos = Math.round(o.latencyBatch * 1e9 / o.latencyRate);
        report.line("");
        report.line(String.format(
                Locale.ROOT,
                "**Latency.** Tenant \"%s\", its %,d assets, after the rounds above. Open loop: a batch of %,d"
                        + " positions every %.1f ms (%,d positions/s), sent at its scheduled instant whether or not"
                        + " earlier ones have returned, for %d s of warm-up and then %d s measured; each asset reports"
                        + " every %.2f s with the current time. A share of the assets (the crossers, spread evenly) cross"
                        + " the east edge of one of the tenant's rectangles back and forth (30 m either side) every %d"
                        + " s, at phases spread over two periods; the others keep driving their straight lines. One"
                        + " run per crosser count (%s), one after the other on the same process; an asset that crosses"
                        + " in some run waits parked 30 m outside its rectangle when it does not, and before the first"
                        + " run every asset reports once where the runs begin and every event that causes is delivered,"
                        + " so no run starts with a burst of events. One webhook"
                        + " subscription (filter `sextant.zone.*`) to a receiver in the driver (JDK HttpServer on"
                        + " 127.0.0.1, answers 204 at once, verifies nothing) and one SSE client on `GET"
                        + " /api/v1/events/stream?type=sextant.zone.entered&type=sextant.zone.exited`, both open"
                        + " throughout. Latency of an event = its arrival in the driver − the return of the 200 of the"
                        + " request that carried its position (matched by `data.assetId` and `data.position.time`),"
                        + " both on the driver's monotonic clock. After each run the driver waits until both readers"
                        + " have every event of the run (or nothing arrives for 15 s).",
                fleet.label(),
                o.assets,
                o.latencyBatch,
                intervalNanos / 1e6,
                o.latencyRate,
                o.latencyWarmup,
                o.latencySeconds,
                (double) o.assets / o.latencyRate,
                o.latencyCrossEvery,
                o.latencyCrossers));

        ConcurrentLinkedQueue<Arrival> hooks = new ConcurrentLinkedQueue<>();
        HttpServer receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 256);
        ExecutorService receiverThreads = Executors.newFixedThreadPool(4);
        receiver.setExecutor(receiverThreads);
        receiver.createContext("/hook", exchange -> {
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            long now = System.nanoTime();
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
            hooks.add(new Arrival(now, new String(body, StandardCharsets.UTF_8)));
        });
        receiver.start();
        ConcurrentLinkedQueue<Arrival> sse = new ConcurrentLinkedQueue<>();
        HttpClient sseClient =
                HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        Thread sseReader = null;
        try {
            HttpResponse<String> sub = b.postJson(
                    "/api/v1/subscriptions",
                    fleet.token(),
                    Map.of(
                            "name",
                            "benchmark receiver",
                            "filter",
                            Map.of("types", List.of("sextant.zone.*")),
                            "channel",
                            Map.of(
                                    "type",
                                    "webhook",
                                    "url",
                                    "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook",
                                    "timeoutMs",
                                    5000)));
            if (sub.statusCode() != 201) {
                throw new IllegalStateException("subscription refused: " + sub.statusCode() + " " + sub.body());
            }
            CountDownLatch connected = new CountDownLatch(1);
            HttpResponse<Stream<String>> stream = sseClient.send(
                    HttpRequest.newBuilder(URI.create(b.baseUrl
                                    + "/api/v1/events/stream?type=sextant.zone.entered&type=sextant.zone.exited"))
                            .header("Authorization", "Bearer " + fleet.token())
                            .header("Accept", "text/event-stream")
                            .build(),
                    HttpResponse.BodyHandlers.ofLines());
            if (stream.statusCode() != 200) {
                throw new IllegalStateException("event stream refused: " + stream.statusCode());
            }
            sseReader = Thread.ofPlatform().daemon().name("sse-reader").start(() -> {
                try (Stream<String> lines = stream.body()) {
                    lines.forEach(line -> {
                        if (line.startsWith("data: ")) {
                            sse.add(new Arrival(System.nanoTime(), line.substring(6)));
                        } else if (line.startsWith(": connected")) {
                            connected.countDown();
                        }
                    });
                } catch (RuntimeException e) {
                    // the stream was closed at the end of the measurement
                }
            });
            if (!connected.await(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the event stream did not say it was connected");
            }

            Crossing crossing = new Crossing(fleet);
            Instant driveEpoch = Instant.now();
            // Settle: one report of every asset where the runs begin (parked crossers just outside
            // their rectangle), and every event that causes delivered, so no run starts with a burst.
            latencyRun(fleet, stepsDone, driveEpoch, crossing, 0, 0, (double) o.assets / o.latencyRate, hooks, sse);
            List<LatencyRun> runs = new ArrayList<>();
            for (int crossers : o.latencyCrossers) {
                hooks.clear();
                sse.clear();
                runs.add(latencyRun(
                        fleet,
                        stepsDone,
                        driveEpoch,
                        crossing,
                        crossers,
                        o.latencyWarmup,
                        o.latencySeconds,
                        hooks,
                        sse));
            }
            reportLatency(runs);
        } finally {
            receiver.stop(0);
            receiverThreads.shutdownNow();
            sseClient.shutdownNow();
            if (sseReader != null) {
                sseReader.interrupt();
            }
        }
    }

    /** What one paced run measured. */
    record LatencyRun(
            int crossers,
            double achieved,
            long accepted,
            long failures,
            Latencies batchLatency,
            long maxSendLagNanos,
            int maxInFlight,
            long expected,
            long eventsAll,
            String cpu,
            String load,
            double drainSeconds,
            double deliveredPerSecond,
            Matched webhook,
            Matched sse,
            String breakdown,
            List<List<String>> activity,
            List<String> profile) {

        boolean sustained(int rate) {
            return failures == 0 && achieved >= 0.98 * rate;
        }
    }

    /**
     * The assets that cross a zone boundary in some latency run, spread evenly over the fleet, each
     * with a rectangle of the tenant's, a point 30 m inside its east edge and one 30 m outside, and a
     * phase. Those not crossing in a run stay parked on the outside point, so that changing runs moves
     * nobody.
     */
    final class Crossing {
        final int[] candidates;
        final double[][] inside;
        final double[][] outside;
        final double[] phase;

        Crossing(Fleet fleet) {
            int assets = o.assets;
            int most = Math.min(
                    assets,
                    o.latencyCrossers.stream().mapToInt(Integer::intValue).max().orElse(0));
            List<ZoneSpec> rectangles = new ArrayList<>();
            for (int i = 0; i < fleet.zoneCount(); i += 2) {
                rectangles.add(zones.get(i));
            }
            int count = rectangles.isEmpty() ? 0 : most;
            candidates = new int[count];
            inside = new double[assets][];
            outside = new double[assets][];
            phase = new double[assets];
            for (int j = 0; j < count; j++) {
                int a = (int) ((long) j * assets / count);
                candidates[j] = a;
                SplittableRandom r = b.workload.random(CROSSER_STREAM, a);
                ZoneSpec zone = rectangles.get(r.nextInt(rectangles.size()));
                double lat = (zone.south() + zone.north()) / 2;
                double meters = 30 / (111_320.0 * Math.cos(Math.toRadians(lat)));
                inside[a] = new double[] {zone.east() - meters, lat};
                outside[a] = new double[] {zone.east() + meters, lat};
                // Spread over two periods, so the crossers do not all turn at the same instant.
                phase[a] = r.nextDouble() * 2 * o.latencyCrossEvery;
            }
        }

        /** Which assets cross in a run of {@code wanted} crossers: every k-th candidate. */
        boolean[] crossers(int wanted) {
            boolean[] crossing = new boolean[o.assets];
            if (wanted <= 0 || candidates.length == 0) {
                return crossing;
            }
            int step = Math.max(1, candidates.length / wanted);
            for (int j = 0; j < candidates.length; j += step) {
                crossing[candidates[j]] = true;
            }
            return crossing;
        }
    }

    /**
     * One paced run: {@code warmupSeconds} then {@code measuredSeconds} at the fixed rate, then the
     * wait for every event its positions caused. {@code crossersWanted} = 0 with no warm-up is the
     * settling run, which records nothing and returns null.
     */
    @org.jspecify.annotations.Nullable
    LatencyRun latencyRun(
            Fleet fleet,
            long stepsDone,
            Instant driveEpoch,
            Crossing crossing,
            int crossersWanted,
            double warmupSeconds,
            double measuredSeconds,
            ConcurrentLinkedQueue<Arrival> hooks,
            ConcurrentLinkedQueue<Arrival> sse)
            throws Exception {
        boolean settling = crossersWanted == 0 && warmupSeconds == 0;
        int batch = o.latencyBatch;
        int assets = o.assets;
        long intervalNanos = Math.round(batch * 1e9 / o.latencyRate);
        int warmupBatches = (int) Math.ceil(warmupSeconds * 1e9 / intervalNanos);
        int measuredBatches = (int) Math.ceil(measuredSeconds * 1e9 / intervalNanos);
        int totalBatches = warmupBatches + measuredBatches;
        Map<UUID, Integer> assetIndex = new HashMap<>();
        for (int a = 0; a < assets; a++) {
            assetIndex.put(fleet.assets()[a], a);
        }
        boolean[] crossers = crossing.crossers(crossersWanted);
        int crosserCount = 0;
        for (boolean c : crossers) {
            crosserCount += c ? 1 : 0;
        }
        double[][] inside = crossing.inside;
        double[][] outside = crossing.outside;
        double[] phase = crossing.phase;

        long[] returned = new long[totalBatches];
        long[] scheduled = new long[totalBatches];
        Latencies batchLatency = new Latencies(totalBatches);
        AtomicLong failures = new AtomicLong();
        AtomicInteger inFlight = new AtomicInteger();
        AtomicInteger maxInFlight = new AtomicInteger();
        long maxSendLag = 0;
        Instant startInstant = Instant.now().plusMillis(500).truncatedTo(ChronoUnit.MILLIS);
        long startNanos = System.nanoTime()
                + Duration.between(Instant.now(), startInstant).toNanos();
        Map<String, Double> before = Map.of();
        CpuSample cpuBefore = null;
        ActivitySampler activity = null;
        JfrProfile jfr = null;
        String load = "";
        long pid = b.sextant.pid();
        ExecutorService senders = Executors.newVirtualThreadPerTaskExecutor();
        try {
            for (int k = 0; k < totalBatches; k++) {
                if (k == warmupBatches) {
                    load = loadAverage();
                    before = b.prometheus();
                    activity = settling ? null : new ActivitySampler(b.admin("postgres"), b.db);
                    if (o.profile && !settling) {
                        jfr = JfrProfile.start(pid, b.out.resolve("fences-latency-" + crosserCount + "-crossers.jfr"));
                    }
                    cpuBefore = CpuSample.take(pid);
                }
                long at = startNanos + k * intervalNanos;
                Instant time = startInstant.plusNanos(k * intervalNanos).truncatedTo(ChronoUnit.MICROS);
                double sinceStart = (double) k * intervalNanos / 1e9;
                double sinceEpoch = Duration.between(driveEpoch, time).toNanos() / 1e9;
                StringBuilder body = new StringBuilder(batch * 150).append('[');
                for (int i = 0; i < batch; i++) {
                    int a = (int) (((long) k * batch + i) % assets);
                    Workload.Row row;
                    if (inside[a] != null) {
                        boolean in = crossers[a]
                                && ((long) Math.floor((sinceStart + phase[a]) / o.latencyCrossEvery)) % 2 == 0;
                        double[] point = in ? inside[a] : outside[a];
                        row = new Workload.Row(a, time, point[0], point[1], 10f, 90f);
                    } else {
                        row = drive.at(a, stepsDone + sinceEpoch / 5.0, time);
                    }
                    if (i > 0) {
                        body.append(',');
                    }
                    row.appendJson(body, fleet.assets()[a]);
                }
                byte[] bytes = body.append(']').toString().getBytes(StandardCharsets.UTF_8);
                long wait;
                while ((wait = at - System.nanoTime()) > 0) {
                    LockSupport.parkNanos(wait);
                }
                int index = k;
                long sent = System.nanoTime();
                scheduled[index] = at;
                maxSendLag = Math.max(maxSendLag, sent - at);
                maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
                senders.submit(() -> {
                    try {
                        for (int attempt = 0; ; attempt++) {
                            long s = System.nanoTime();
                            HttpResponse<String> r = postPositions(fleet.token(), bytes);
                            long done = System.nanoTime();
                            Matcher m = ACCEPTED.matcher(r.body());
                            if (r.statusCode() == 200 && m.find() && Integer.parseInt(m.group(1)) == batch) {
                                returned[index] = done;
                                batchLatency.add(done - s);
                                return null;
                            }
                            failures.incrementAndGet();
                            if (attempt >= 10) {
                                System.err.println("latency batch " + index + " failed: " + r.statusCode());
                                return null;
                            }
                            Thread.sleep(200);
                        }
                    } finally {
                        inFlight.decrementAndGet();
                    }
                });
            }
            senders.shutdown();
            if (!senders.awaitTermination(5, TimeUnit.MINUTES)) {
                throw new IllegalStateException("ingest requests still running 5 minutes after the last was sent");
            }
        } finally {
            senders.shutdownNow();
        }
        long windowEnd = System.nanoTime();
        String cpu = CpuSample.take(pid).since(Objects.requireNonNull(cpuBefore));
        Map<String, Double> atEnd = b.prometheus();
        List<List<String>> top = List.of();
        if (activity != null) {
            activity.close();
            top = activity.top(8);
        }
        List<String> profile = List.of();
        if (jfr != null) {
            jfr.stop();
            profile = jfr.summary(JfrProfile.JOBS);
        }
        long lastReturn = 0;
        long accepted = 0;
        for (int k = warmupBatches; k < totalBatches; k++) {
            lastReturn = Math.max(lastReturn, returned[k]);
            accepted += returned[k] > 0 ? batch : 0;
        }
        double achieved = accepted / ((lastReturn - scheduled[warmupBatches]) / 1e9);
        double delivered = (sum(atEnd, "sextant_jobs_completed_total") - sum(before, "sextant_jobs_completed_total"))
                / ((windowEnd - scheduled[warmupBatches]) / 1e9);

        // Every zone event of the run's positions, as the log has it; wait until both readers have them.
        Instant windowFrom = startInstant.plusNanos(warmupBatches * intervalNanos);
        Instant windowTo = startInstant.plusNanos(totalBatches * intervalNanos);
        long expected = eventsCausedBetween(fleet.tenantId(), windowFrom, windowTo);
        long eventsAll = eventsCausedBetween(fleet.tenantId(), startInstant, windowTo);
        long drainStart = System.nanoTime();
        long lastProgress = System.nanoTime();
        int seen = -1;
        while (System.nanoTime() - drainStart < TimeUnit.SECONDS.toNanos(600)) {
            int now = hooks.size() + sse.size();
            if (now != seen) {
                seen = now;
                lastProgress = System.nanoTime();
            }
            if (System.nanoTime() - lastProgress > TimeUnit.SECONDS.toNanos(15)) {
                break;
            }
            if (hooks.size() >= eventsAll && sse.size() >= eventsAll) {
                break;
            }
            Thread.sleep(250);
        }
        double drainSeconds = (System.nanoTime() - drainStart) / 1e9;
        Map<String, Double> after = b.prometheus();

        Matched webhook = match(hooks, assetIndex, startInstant, intervalNanos, warmupBatches, returned, batch);
        Matched live = match(sse, assetIndex, startInstant, intervalNanos, warmupBatches, returned, batch);
        if (settling) {
            System.out.printf(
                    Locale.ROOT,
                    "  [latency, settling] %,d events caused, %,d by webhook and %,d by SSE after %.1f s%n",
                    eventsAll,
                    hooks.size(),
                    sse.size(),
                    drainSeconds);
            return null;
        }
        String key = "fences.latency.crossers_" + crosserCount;
        report.metric(key + ".achieved_positions_per_s", achieved);
        report.metric(key + ".events_per_s", expected / measuredSeconds);
        report.metric(key + ".webhook.p50_ms", webhook.latency().percentileMicros(50) / 1000);
        report.metric(key + ".webhook.p99_ms", webhook.latency().percentileMicros(99) / 1000);
        report.metric(key + ".sse.p50_ms", live.latency().percentileMicros(50) / 1000);
        report.metric(key + ".sse.p99_ms", live.latency().percentileMicros(99) / 1000);
        System.out.printf(
                Locale.ROOT,
                "  [latency, %d crossers] %,.0f positions/s, %,d events; webhook p50 %s p99 %s; SSE p50 %s p99 %s%n",
                crosserCount,
                achieved,
                expected,
                webhook.latency().p50(),
                webhook.latency().p99(),
                live.latency().p50(),
                live.latency().p99());
        return new LatencyRun(
                crosserCount,
                achieved,
                accepted,
                failures.get(),
                batchLatency,
                maxSendLag,
                maxInFlight.get(),
                expected,
                eventsAll,
                cpu,
                load,
                drainSeconds,
                delivered,
                webhook,
                live,
                serverBreakdown(before, after),
                top,
                profile);
    }

    void reportLatency(List<LatencyRun> runs) {
        List<String> header = new ArrayList<>();
        header.add("what");
        runs.forEach(r -> header.add(String.format(Locale.ROOT, "%,d crossers", r.crossers())));
        List<List<String>> rows = new ArrayList<>();
        rows.add(column(
                runs,
                "target rate / achieved in the measured window",
                r -> String.format(
                        Locale.ROOT,
                        "%,d / **%,.0f positions/s** (%s)",
                        o.latencyRate,
                        r.achieved(),
                        r.sustained(o.latencyRate) ? "sustained" : "**NOT sustained**")));
        rows.add(column(
                runs,
                "positions accepted (measured) / failed or retried requests",
                r -> fmt(r.accepted()) + " / " + r.failures()));
        rows.add(column(
                runs,
                "ingest request latency p50 / p99 (all batches)",
                r -> r.batchLatency().p50() + " / " + r.batchLatency().p99()));
        rows.add(column(
                runs,
                "latest send behind schedule / most requests in flight",
                r -> Latencies.micros(r.maxSendLagNanos() / 1000.0) + " / " + r.maxInFlight()));
        rows.add(column(
                runs,
                "zone events caused by measured positions (in the log)",
                r -> String.format(
                        Locale.ROOT,
                        "%,d (**%,.0f/s**; %,d with the warm-up)",
                        r.expected(),
                        r.expected() / (double) o.latencySeconds,
                        r.eventsAll())));
        rows.add(column(
                runs,
                "webhook deliveries completed during the measured window",
                r -> String.format(Locale.ROOT, "%,.0f/s", r.deliveredPerSecond())));
        rows.add(column(runs, "CPU during the measured window (100% = one core)", LatencyRun::cpu));
        rows.add(column(runs, "load average before the measured window", LatencyRun::load));
        rows.add(column(
                runs,
                "waited after the last request for the last events",
                r -> String.format(Locale.ROOT, "%.1f s", r.drainSeconds())));
        report.line("");
        report.table(header, rows);

        List<List<String>> latencies = new ArrayList<>();
        for (LatencyRun r : runs) {
            String rate = String.format(Locale.ROOT, "%,.0f events/s", r.expected() / (double) o.latencySeconds);
            latencies.add(r.webhook().row("webhook received, " + rate, r.expected()));
            latencies.add(r.sse().row("SSE message read, " + rate, r.expected()));
        }
        report.table(
                List.of(
                        "from the position's 200 to",
                        "received (measured)",
                        "duplicates",
                        "not matched / before the 200",
                        "p50",
                        "p99",
                        "max"),
                latencies);
        for (LatencyRun r : runs) {
            report.line(String.format(
                    Locale.ROOT,
                    "Sextant's own timers, %,d crossers, over the measured window and the wait (means: sum ÷ count of"
                            + " the Prometheus series): %s.",
                    r.crossers(),
                    r.breakdown()));
        }
        for (LatencyRun r : runs) {
            if (!r.profile().isEmpty()) {
                report.line("");
                report.line("**Profile** (`--profile`, diagnostic), latency run with " + r.crossers() + " crossers:");
                r.profile().forEach(line -> report.line("- " + line));
            }
            if (!r.activity().isEmpty()) {
                report.line("");
                report.line(String.format(
                        Locale.ROOT,
                        "PostgreSQL backends during the measured window, %,d crossers (pg_stat_activity every ~100 ms):",
                        r.crossers()));
                report.table(List.of("statement — wait", "busy backends (avg)"), r.activity());
            }
        }
    }

    static List<String> column(
            List<LatencyRun> runs, String what, java.util.function.Function<LatencyRun, String> cell) {
        List<String> row = new ArrayList<>();
        row.add(what);
        runs.forEach(r -> row.add(cell.apply(r)));
        return row;
    }

    /** Latencies of one reader's arrivals, matched to the positions that caused them. */
    record Matched(Latencies latency, int received, int duplicates, int unmatched, int early) {
        List<String> row(String what, long expected) {
            return List.of(
                    what,
                    String.format(Locale.ROOT, "%,d of %,d", received, expected),
                    Integer.toString(duplicates),
                    unmatched + " / " + early,
                    latency.p50(),
                    latency.p99(),
                    Latencies.micros(latency.percentileMicros(100)));
        }
    }

    static Matched match(
            ConcurrentLinkedQueue<Arrival> arrivals,
            Map<UUID, Integer> assetIndex,
            Instant start,
            long intervalNanos,
            int warmupBatches,
            long[] returned,
            int batch) {
        Latencies latency = new Latencies(arrivals.size());
        Set<String> ids = new HashSet<>();
        int received = 0;
        int duplicates = 0;
        int unmatched = 0;
        int early = 0;
        int assets = assetIndex.size();
        long startMicros = micros(start);
        for (Arrival arrival : arrivals) {
            JsonNode event = PositionsBenchmark.json(arrival.body());
            JsonNode data = event.path("data");
            Integer asset = assetIndex.get(UUID.fromString(data.path("assetId").asString()));
            JsonNode time = data.path("position").path("time");
            if (asset == null || !time.isString()) {
                unmatched++;
                continue;
            }
            long k = Math.round((micros(Instant.parse(time.asString())) - startMicros) * 1000.0 / intervalNanos);
            if (k < 0 || k >= returned.length || Math.floorMod(asset - k * batch, assets) >= batch) {
                unmatched++;
                continue;
            }
            if (k < warmupBatches) {
                continue;
            }
            if (!ids.add(event.path("id").asString())) {
                duplicates++;
                continue;
            }
            received++;
            if (returned[(int) k] == 0) {
                unmatched++;
                continue;
            }
            long nanos = arrival.nanos() - returned[(int) k];
            if (nanos < 0) {
                early++;
            }
            latency.add(nanos);
        }
        return new Matched(latency, received, duplicates, unmatched, early);
    }

    static long micros(Instant t) {
        return t.getEpochSecond() * 1_000_000 + t.getNano() / 1000;
    }

    String serverBreakdown(Map<String, Double> before, Map<String, Double> after) {
        List<String> parts = new ArrayList<>();
        parts.add(meanOf(
                "relay lag (recorded → handed to the live streams)",
                "sextant_events_relay_lag_seconds",
                before,
                after));
        parts.add(meanOf(
                "webhook delivery latency (recorded → delivered)", "sextant_delivery_latency_seconds", before, after));
        parts.add(meanOf("job wait (due → attempt started)", "sextant_jobs_wait_seconds", before, after));
        parts.add(meanOf("job run (one delivery attempt)", "sextant_jobs_run_seconds", before, after));
        parts.add(meanOf("ingest commit", "sextant_ingest_commit_seconds", before, after));
        parts.add(meanOf("fence evaluation per group", "sextant_fences_evaluation_seconds", before, after));
        // The window's driver sends each asset's positions in order: any replayed here were late
        // because two ingest groups carrying the same asset were evaluated out of order.
        parts.add(String.format(
                Locale.ROOT,
                "late positions replayed %,.0f",
                sum(after, "sextant_fences_replayed_total") - sum(before, "sextant_fences_replayed_total")));
        return String.join("; ", parts);
    }

    static String meanOf(String what, String timer, Map<String, Double> before, Map<String, Double> after) {
        double count = sum(after, timer + "_count") - sum(before, timer + "_count");
        double total = sum(after, timer + "_sum") - sum(before, timer + "_sum");
        if (count <= 0) {
            return what + " n/a";
        }
        return String.format(Locale.ROOT, "%s mean %s over %,.0f", what, Latencies.micros(total / count * 1e6), count);
    }

    long eventsCausedBetween(UUID tenantId, Instant from, Instant to) throws Exception {
        try (Connection c = b.admin(b.db);
                PreparedStatement s = c.prepareStatement("select count(*) from event where tenant_id = ? and type in "
                        + ZONE_EVENT_TYPES + " and (data->'position'->>'time')::timestamptz >= ?"
                        + " and (data->'position'->>'time')::timestamptz < ?")) {
            s.setObject(1, tenantId);
            s.setTimestamp(2, Timestamp.from(from));
            s.setTimestamp(3, Timestamp.from(to));
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    long eventCount(UUID tenantId) throws Exception {
        try (Connection c = b.admin(b.db);
                PreparedStatement s = c.prepareStatement("select count(*) from event where tenant_id = ?")) {
            s.setObject(1, tenantId);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    // ------------------------------------------------------------------------------------------
    // Metrics and machine

    /** The sum of every series of metric {@code name}, whatever its labels. */
    static double sum(Map<String, Double> values, String name) {
        double sum = 0;
        for (Map.Entry<String, Double> e : values.entrySet()) {
            String key = e.getKey();
            int brace = key.indexOf('{');
            if ((brace < 0 ? key : key.substring(0, brace)).equals(name)) {
                sum += e.getValue();
            }
        }
        return sum;
    }

    static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return f[0] + " / " + f[1] + " / " + f[2];
        } catch (IOException | RuntimeException e) {
            return "n/a";
        }
    }

    // ------------------------------------------------------------------------------------------
    // Zones

    /**
     * A generated zone: a closed ring (lon, lat), counter-clockwise, and its bounds. Even indexes are
     * axis-aligned rectangles 1–3 km a side, odd ones star-shaped polygons of {@value
     * #POLYGON_VERTICES} vertices, 1.2–3 km across, with two superposed waves on the radius (so
     * blob-like, never self-intersecting). Centres are drawn like the assets' homes.
     */
    record ZoneSpec(int index, double[][] ring, double west, double south, double east, double north) {

        static ZoneSpec generate(Workload workload, int index) {
            double[] center = workload.home(ZONE_STREAM, index);
            SplittableRandom r = workload.random(ZONE_STREAM + 3000, index);
            double kmLon = 1 / (111.320 * Math.cos(Math.toRadians(center[1])));
            double kmLat = 1 / 110.574;
            double[][] ring;
            if (index % 2 == 0) {
                double halfWidth = (1 + 2 * r.nextDouble()) / 2 * kmLon;
                double halfHeight = (1 + 2 * r.nextDouble()) / 2 * kmLat;
                double w = round(center[0] - halfWidth);
                double e = round(center[0] + halfWidth);
                double s = round(center[1] - halfHeight);
                double n = round(center[1] + halfHeight);
                ring = new double[][] {{w, s}, {e, s}, {e, n}, {w, n}, {w, s}};
            } else {
                double radius = 0.6 + 0.9 * r.nextDouble();
                int k1 = 3 + r.nextInt(6);
                int k2 = 9 + r.nextInt(17);
                double a1 = 0.15 + 0.2 * r.nextDouble();
                double a2 = 0.03 + 0.07 * r.nextDouble();
                double p1 = r.nextDouble() * 2 * Math.PI;
                double p2 = r.nextDouble() * 2 * Math.PI;
                ring = new double[POLYGON_VERTICES + 1][];
                for (int j = 0; j < POLYGON_VERTICES; j++) {
                    double theta = 2 * Math.PI * j / POLYGON_VERTICES;
                    double rho = radius * (1 + a1 * Math.sin(k1 * theta + p1) + a2 * Math.sin(k2 * theta + p2));
                    ring[j] = new double[] {
                        round(center[0] + rho * Math.cos(theta) * kmLon),
                        round(center[1] + rho * Math.sin(theta) * kmLat)
                    };
                }
                ring[POLYGON_VERTICES] = ring[0];
            }
            double west = Double.MAX_VALUE;
            double south = Double.MAX_VALUE;
            double east = -Double.MAX_VALUE;
            double north = -Double.MAX_VALUE;
            for (double[] p : ring) {
                west = Math.min(west, p[0]);
                east = Math.max(east, p[0]);
                south = Math.min(south, p[1]);
                north = Math.max(north, p[1]);
            }
            return new ZoneSpec(index, ring, west, south, east, north);
        }

        static double round(double degrees) {
            return Math.round(degrees * 1e6) / 1e6;
        }

        String json() {
            StringBuilder s = new StringBuilder(ring.length * 26 + 200);
            s.append("{\"name\":\"Bench zone ")
                    .append(index)
                    .append("\",\"tags\":[\"bench\",\"")
                    .append(index % 2 == 0 ? "rectangle" : "polygon")
                    .append("\"],\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[[");
            for (int i = 0; i < ring.length; i++) {
                if (i > 0) {
                    s.append(',');
                }
                s.append('[').append(ring[i][0]).append(',').append(ring[i][1]).append(']');
            }
            return s.append("]]}}").toString();
        }
    }
}
