package io.sextant.benchmark;

import static io.sextant.benchmark.PositionsBenchmark.fmt;
import static io.sextant.benchmark.PositionsBenchmark.seconds;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

/**
 * Part 6, delivery order against a flaky receiver. One Sextant process on a fresh database, with a
 * shortened retry schedule ({@code --delivery-retry-delays}, default 1 s, 5 s, 30 s: the product's
 * 5 s, 5 min, 30 min … would make a run last hours). One tenant's assets cross the east edge of one
 * rectangle back and forth at a steady rate, so every report is an enter or an exit. Two webhook
 * subscriptions take the same events, one ordered per asset and one with no ordering, each to its
 * own receiver in this JVM that fails a share of the requests at random ({@code
 * --delivery-failure-rate}, 30 %). After the drive, the phase waits until neither subscription has
 * an unfinished delivery and reports, per mode, event time to first successful delivery (p50, p99,
 * max), the share later than 5 s, 30 s and 5 min, dead letters, and how many events were delivered
 * before an earlier event of their asset.
 */
final class DeliveryPhase {

    static final long FAILURE_STREAM = 8;
    /** The rectangle every asset crosses: its east edge is at {@link #EAST}. */
    static final double WEST = 10.0;

    static final double EAST = 10.5;
    static final double SOUTH = 50.0;
    static final double NORTH = 50.5;
    /** About 36 m either side of the east edge at 50° N. */
    static final double OFFSET = 0.0005;

    static final List<String> MODES = List.of("per-asset", "none");

    final PositionsBenchmark b;
    final Options o;
    final Report report;

    DeliveryPhase(PositionsBenchmark b) {
        this.b = b;
        this.o = b.o;
        this.report = b.report;
    }

    /** One receiver's view: the first 2xx arrival of each event (epoch micros) and the requests. */
    static final class Receiver implements AutoCloseable {

        final String mode;
        final HttpServer server;
        final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
        final Map<String, Long> firstSuccess = new ConcurrentHashMap<>();
        final AtomicLong requests = new AtomicLong();
        final AtomicLong failed = new AtomicLong();

        Receiver(String mode, double failureRate, SplittableRandom random) throws IOException {
            this.mode = mode;
            this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 256);
            server.setExecutor(threads);
            server.createContext("/hook", exchange -> {
                try (InputStream in = exchange.getRequestBody()) {
                    in.readAllBytes();
                }
                long arrived = micros(Instant.now());
                String id = exchange.getRequestHeaders().getFirst("webhook-id");
                boolean fail;
                synchronized (random) {
                    fail = random.nextDouble() < failureRate;
                }
                requests.incrementAndGet();
                if (fail) {
                    failed.incrementAndGet();
                    exchange.sendResponseHeaders(503, -1);
                } else {
                    exchange.sendResponseHeaders(204, -1);
                    if (id != null) {
                        firstSuccess.merge(id, arrived, Math::min);
                    }
                }
                exchange.close();
            });
            server.start();
        }

        String url() {
            return "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
        }

        @Override
        public void close() {
            server.stop(0);
            threads.shutdownNow();
        }
    }

    /** An event of the run, from the log: its id, asset and event time (epoch micros). */
    record LoggedEvent(String id, UUID asset, long timeMicros) {}

    /** What one mode measured. */
    record Outcome(
            String mode,
            int events,
            int delivered,
            long dead,
            long unfinished,
            long[] latencyMillis,
            int outOfOrder,
            long requests,
            long failed) {

        long percentile(double p) {
            if (latencyMillis.length == 0) {
                return -1;
            }
            int rank = (int) Math.ceil(p / 100.0 * latencyMillis.length);
            return latencyMillis[Math.max(0, Math.min(latencyMillis.length - 1, rank - 1))];
        }

        double shareLaterThan(Duration limit) {
            long over = Arrays.stream(latencyMillis)
                    .filter(ms -> ms > limit.toMillis())
                    .count();
            // Events never delivered (dead) are later than any limit.
            return events == 0 ? 0 : (over + (events - delivered)) / (double) events;
        }
    }

    void run() throws Exception {
        b.stopSextant();
        b.freshDatabase();
        report.line("Load average at the start of the phase: " + FencesPhase.loadAverage() + ".");
        b.startSextant(
                "delivery",
                Map.of(
                        "SEXTANT_DELIVERY_WEBHOOK_RETRY_DELAYS",
                        String.join(",", o.deliveryRetryDelays),
                        // The phase's sample must not stop halfway because a subscription was disabled.
                        "SEXTANT_DELIVERY_DISABLE_AFTER_DEAD_LETTERS",
                        "1000000"));
        b.adminToken = b.signIn("admin", o.adminPassword);
        UUID tenant;
        try (Connection c = b.admin(b.db)) {
            tenant =
                    UUID.fromString(PositionsBenchmark.scalar(c, "select id::text from tenant where slug = 'default'"));
        }

        createAssets();
        createZone();
        SplittableRandom random = b.workload.random(FAILURE_STREAM, 0);
        Map<String, Receiver> receivers = new HashMap<>();
        Map<String, UUID> subscriptions = new HashMap<>();
        try {
            for (String mode : MODES) {
                Receiver receiver = new Receiver(mode, o.deliveryFailureRate, random.split());
                receivers.put(mode, receiver);
                subscriptions.put(mode, subscribe(mode, receiver.url()));
            }
            report.line(description());

            Instant start = Instant.now().truncatedTo(ChronoUnit.MILLIS);
            long t0 = System.nanoTime();
            long sent = drive();
            long driveNanos = System.nanoTime() - t0;
            long drainStart = System.nanoTime();
            long unfinished = drain(subscriptions);
            long drainNanos = System.nanoTime() - drainStart;
            report.line(String.format(
                    Locale.ROOT,
                    "Drove %,d positions in %s s; then waited %s s until %s.",
                    sent,
                    seconds(driveNanos),
                    seconds(drainNanos),
                    unfinished == 0
                            ? "neither subscription had an unfinished delivery"
                            : unfinished + " deliveries were still unfinished (gave up waiting)"));

            List<LoggedEvent> events = events(tenant, start);
            List<Outcome> outcomes = new ArrayList<>();
            for (String mode : MODES) {
                outcomes.add(outcome(mode, events, receivers.get(mode), subscriptions.get(mode)));
            }
            reportOutcomes(outcomes);
        } finally {
            receivers.values().forEach(Receiver::close);
        }
        report.line("Load average at the end of the phase: " + FencesPhase.loadAverage() + ".");
    }

    String description() {
        return String.format(
                Locale.ROOT,
                "%,d assets of the default tenant each report every %d s with the current time, alternately"
                        + " about 36 m inside and outside the east edge of one rectangle (phases spread evenly),"
                        + " for %d s: %,.0f zone events/s. Two webhook subscriptions (filter `sextant.zone.*`,"
                        + " timeout 5 s) take every event: `\"ordering\": \"per-asset\"` and `\"ordering\": \"none\"`,"
                        + " each to its own receiver in the driver that answers 503 to %.0f %% of requests at random"
                        + " and 204 to the others. Retry schedule shortened for the run:"
                        + " SEXTANT_DELIVERY_WEBHOOK_RETRY_DELAYS=%s (%d attempts; the product's default is 5s,5m,30m,"
                        + "2h,5h,10h,10h), jitter ±10 %%. Latency of an event = its first 2xx arrival at the"
                        + " receiver − its event time (the position's time, set by the driver when it sent it; same"
                        + " machine clock). An event that went dead counts as later than every limit.",
                o.deliveryAssets,
                o.deliveryCrossEvery,
                o.deliverySeconds,
                (double) o.deliveryAssets / o.deliveryCrossEvery,
                o.deliveryFailureRate * 100,
                String.join(",", o.deliveryRetryDelays),
                o.deliveryRetryDelays.size() + 1);
    }

    void createAssets() throws Exception {
        AtomicInteger next = new AtomicInteger();
        long t0 = System.nanoTime();
        PositionsBenchmark.runConcurrently(o.clients, () -> {
            int i;
            while ((i = next.getAndIncrement()) < o.deliveryAssets) {
                HttpResponse<String> r = b.postJson(
                        "/api/v1/assets",
                        b.adminToken,
                        Map.of(
                                "externalId",
                                PositionsBenchmark.externalId(i),
                                "name",
                                "Delivery asset " + i,
                                "type",
                                "vehicle"));
                if (r.statusCode() != 201) {
                    throw new IllegalStateException("asset creation failed: " + r.statusCode() + " " + r.body());
                }
            }
            return null;
        });
        report.line(String.format(
                Locale.ROOT, "Created %,d assets in %s s.", o.deliveryAssets, seconds(System.nanoTime() - t0)));
    }

    void createZone() throws Exception {
        HttpResponse<String> r = b.postJson(
                "/api/v1/zones",
                b.adminToken,
                Map.of(
                        "name",
                        "Delivery benchmark rectangle",
                        "geometry",
                        Map.of(
                                "type",
                                "Polygon",
                                "coordinates",
                                List.of(List.of(
                                        List.of(WEST, SOUTH),
                                        List.of(EAST, SOUTH),
                                        List.of(EAST, NORTH),
                                        List.of(WEST, NORTH),
                                        List.of(WEST, SOUTH))))));
        if (r.statusCode() != 201) {
            throw new IllegalStateException("zone refused: " + r.statusCode() + " " + r.body());
        }
    }

    UUID subscribe(String ordering, String url) throws Exception {
        HttpResponse<String> r = b.postJson(
                "/api/v1/subscriptions",
                b.adminToken,
                Map.of(
                        "name",
                        "benchmark " + ordering,
                        "ordering",
                        ordering,
                        "filter",
                        Map.of("types", List.of("sextant.zone.*")),
                        "channel",
                        Map.of("type", "webhook", "url", url, "timeoutMs", 5000)));
        if (r.statusCode() != 201) {
            throw new IllegalStateException("subscription refused: " + r.statusCode() + " " + r.body());
        }
        String echoed = PositionsBenchmark.json(r.body()).path("ordering").asString("");
        if (!echoed.equals(ordering)) {
            throw new IllegalStateException("subscription has ordering '" + echoed + "', asked for " + ordering);
        }
        return UUID.fromString(PositionsBenchmark.json(r.body()).get("id").asString());
    }

    /**
     * Every 100 ms, the assets whose phase falls in that slot report once, all in one request: inside
     * on even periods of theirs, outside on odd ones. Returns the positions accepted.
     */
    long drive() throws Exception {
        int slots = o.deliveryCrossEvery * 10;
        long ticks = (long) o.deliverySeconds * 10;
        long accepted = 0;
        long failures = 0;
        long next = System.nanoTime();
        for (long tick = 0; tick < ticks; tick++) {
            long wait = next - System.nanoTime();
            if (wait > 0) {
                Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
            }
            next += 100_000_000L;
            int slot = (int) (tick % slots);
            boolean inside = (tick / slots) % 2 == 0;
            String time = Instant.now().truncatedTo(ChronoUnit.MILLIS).toString();
            List<Map<String, Object>> batch = new ArrayList<>();
            for (int i = slot; i < o.deliveryAssets; i += slots) {
                double lat = SOUTH + 0.0004 * (i + 1);
                batch.add(Map.of(
                        "externalId",
                        PositionsBenchmark.externalId(i),
                        "time",
                        time,
                        "lon",
                        inside ? EAST - OFFSET : EAST + OFFSET,
                        "lat",
                        lat));
            }
            if (batch.isEmpty()) {
                continue;
            }
            HttpResponse<String> r = b.postJson("/api/v1/positions", b.adminToken, batch);
            if (r.statusCode() == 200) {
                accepted += PositionsBenchmark.json(r.body()).path("accepted").asLong();
            } else {
                failures++;
            }
        }
        if (failures > 0) {
            report.line("**WARNING: " + failures + " ingest requests failed during the drive.**");
        }
        return accepted;
    }

    /** Waits until no delivery of the subscriptions is unfinished; returns how many still are. */
    long drain(Map<String, UUID> subscriptions) throws Exception {
        long budgetMillis = o.deliveryRetryDelays.stream()
                                .mapToLong(d -> Options.duration(d).toMillis())
                                .sum()
                        * 2
                + 120_000;
        long deadline = System.currentTimeMillis() + budgetMillis;
        long unfinished;
        do {
            Thread.sleep(1000);
            unfinished = unfinished(subscriptions.values());
        } while (unfinished > 0 && System.currentTimeMillis() < deadline);
        return unfinished;
    }

    long unfinished(Collection<UUID> subscriptions) throws Exception {
        try (Connection c = b.admin(b.db);
                PreparedStatement s = c.prepareStatement("select count(*) from delivery where subscription_id = any(?)"
                        + " and status in ('pending', 'failed-retrying')")) {
            s.setArray(1, c.createArrayOf("uuid", subscriptions.toArray()));
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    List<LoggedEvent> events(UUID tenant, Instant start) throws Exception {
        List<LoggedEvent> events = new ArrayList<>();
        try (Connection c = b.admin(b.db);
                PreparedStatement s =
                        c.prepareStatement("select id::text, asset_id, time from event where tenant_id = ?"
                                + " and type in ('sextant.zone.entered', 'sextant.zone.exited') and time >= ?")) {
            s.setObject(1, tenant);
            s.setTimestamp(2, Timestamp.from(start));
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    events.add(new LoggedEvent(
                            rs.getString(1),
                            rs.getObject(2, UUID.class),
                            micros(rs.getTimestamp(3).toInstant())));
                }
            }
        }
        return events;
    }

    Outcome outcome(String mode, List<LoggedEvent> events, Receiver receiver, UUID subscription) throws Exception {
        List<Long> latencies = new ArrayList<>();
        for (LoggedEvent event : events) {
            Long arrived = receiver.firstSuccess.get(event.id());
            if (arrived != null) {
                latencies.add(Math.max(0, (arrived - event.timeMicros()) / 1000));
            }
        }
        long[] sorted = latencies.stream().mapToLong(Long::longValue).sorted().toArray();
        long dead;
        try (Connection c = b.admin(b.db);
                PreparedStatement s = c.prepareStatement(
                        "select count(*) from delivery where subscription_id = ? and status = 'dead'")) {
            s.setObject(1, subscription);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                dead = rs.getLong(1);
            }
        }
        return new Outcome(
                mode,
                events.size(),
                sorted.length,
                dead,
                unfinished(List.of(subscription)),
                sorted,
                outOfOrder(events, receiver),
                receiver.requests.get(),
                receiver.failed.get());
    }

    /** Events first delivered before an earlier event (by event time) of the same asset was. */
    static int outOfOrder(List<LoggedEvent> events, Receiver receiver) {
        Map<UUID, List<LoggedEvent>> byAsset = events.stream()
                .filter(e -> receiver.firstSuccess.containsKey(e.id()))
                .collect(Collectors.groupingBy(LoggedEvent::asset));
        int count = 0;
        for (List<LoggedEvent> own : byAsset.values()) {
            own.sort((x, y) -> Long.compare(x.timeMicros(), y.timeMicros()));
            long latestSoFar = Long.MIN_VALUE;
            for (LoggedEvent e : own) {
                long arrived = receiver.firstSuccess.get(e.id());
                if (arrived < latestSoFar) {
                    count++;
                }
                latestSoFar = Math.max(latestSoFar, arrived);
            }
        }
        return count;
    }

    void reportOutcomes(List<Outcome> outcomes) {
        List<List<String>> rows = new ArrayList<>();
        for (Outcome r : outcomes) {
            rows.add(List.of(
                    "`" + r.mode() + "`",
                    fmt(r.events()),
                    fmt(r.delivered()) + " / " + fmt(r.dead()) + (r.unfinished() > 0 ? " / " + r.unfinished() : ""),
                    String.format(Locale.ROOT, "%,d (%.1f %% failed)", r.requests(), 100.0 * r.failed() / r.requests()),
                    millis(r.percentile(50)),
                    millis(r.percentile(99)),
                    millis(r.latencyMillis().length == 0 ? -1 : r.latencyMillis()[r.latencyMillis().length - 1]),
                    percent(r.shareLaterThan(Duration.ofSeconds(5))),
                    percent(r.shareLaterThan(Duration.ofSeconds(30))),
                    percent(r.shareLaterThan(Duration.ofMinutes(5))),
                    String.format(
                            Locale.ROOT,
                            "%,d (%.1f %%)",
                            r.outOfOrder(),
                            r.delivered() == 0 ? 0 : 100.0 * r.outOfOrder() / r.delivered())));
            String key = "delivery." + r.mode().replace('-', '_');
            report.metric(key + ".p50_ms", r.percentile(50));
            report.metric(key + ".p99_ms", r.percentile(99));
            report.metric(
                    key + ".max_ms",
                    r.latencyMillis().length == 0 ? -1 : r.latencyMillis()[r.latencyMillis().length - 1]);
            report.metric(key + ".late_5s_share", r.shareLaterThan(Duration.ofSeconds(5)));
            report.metric(key + ".late_30s_share", r.shareLaterThan(Duration.ofSeconds(30)));
            report.metric(key + ".out_of_order", r.outOfOrder());
        }
        report.table(
                List.of(
                        "ordering",
                        "events",
                        "delivered / dead",
                        "requests",
                        "p50",
                        "p99",
                        "max",
                        "> 5 s",
                        "> 30 s",
                        "> 5 min",
                        "delivered before an earlier event of the asset"),
                rows);
    }

    static String millis(long ms) {
        return ms < 0 ? "n/a" : String.format(Locale.ROOT, "%.2f s", ms / 1000.0);
    }

    static String percent(double share) {
        return String.format(Locale.ROOT, "%.2f %%", share * 100);
    }

    static long micros(Instant t) {
        return t.getEpochSecond() * 1_000_000 + t.getNano() / 1_000;
    }
}
