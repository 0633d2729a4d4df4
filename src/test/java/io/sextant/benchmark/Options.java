package io.sextant.benchmark;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Command-line flags ({@code --name=value} or {@code --name value}); defaults are the full sizes. */
final class Options {

    boolean quick;
    long positions = 2_000_000;
    int assets = 10_000;
    int clients = 8;
    int batch = 1_000;
    String format = "json";
    /** The ingest receipt the clients ask for: "minimal" (Prefer: return=minimal) or "full" (every item). */
    String receipt = "minimal";

    /** Zones in part 1's tenant (the first n of part 5's), so the ingest ruler can be read with zones. */
    int ingestZones;
    /**
     * Positions of one warm-up pass before part 1's measured run (days earlier in event time: other
     * daily partitions), so that the run measures compiled code rather than the JIT compilers at work.
     */
    long ingestWarmup;
    /** Most warm-up passes of part 1 (fewer once Sextant's JIT compilers are quiet). */
    int ingestWarmupPasses = 12;
    /**
     * A part-1 warm-up pass in which Sextant's JIT compilers spent at most this share of its time
     * compiling ends the warm-up.
     */
    double ingestWarmupQuiet = 0.05;
    /**
     * Measured rounds of part 1, each on a daily partition of its own and each followed by the
     * two-stream binary COPY of its rows into the peer's fresh table: the ratio read round by round,
     * so that a host whose speed drifts over minutes moves both sides of each ratio alike.
     */
    int ingestRounds = 1;

    int formatRounds = 2;
    long formatPositions = 100_000;
    int liveAssets = 1_000_000;
    int liveQueries = 3_000;
    long historyRows = 10_000_000;
    int historyDays = 7;
    int historyQueries = 200;
    double cellDegrees = 0.05;
    List<Integer> fenceZones = List.of(1_000, 10_000);
    long fencePositions = 1_000_000;
    long fenceWarmup = 200_000;
    /** Most warm-up passes before the measured rounds (fewer once the JIT compilers are quiet). */
    int fenceWarmupPasses = 12;
    /**
     * A warm-up pass in which the JIT compilers of Sextant and of the driver together spent at most
     * this share of its time compiling ends the warm-up: the measured rounds run compiled code.
     */
    double fenceWarmupQuiet = 0.05;

    int fenceRepeats = 2;
    int latencyRate = 10_000;
    int latencySeconds = 60;
    int latencyWarmup = 10;
    int latencyBatch = 1_000;
    List<Integer> latencyCrossers = List.of(100, 1_000);
    int latencyCrossEvery = 4;
    int deliveryAssets = 1_000;
    int deliveryCrossEvery = 10;
    int deliverySeconds = 600;
    double deliveryFailureRate = 0.3;
    List<String> deliveryRetryDelays = List.of("1s", "5s", "30s");
    long seed = 20_261_122L;
    String pgHost = "127.0.0.1";
    int pgPort = 5432;
    String pgUser = "postgres";
    String database = "sextant_bench";
    String peerDatabase = "postgis_bench";
    String redisUri = "redis://127.0.0.1:6379";
    String redisPrefix = "sextant-bench:";
    int port = 18_080;
    String jar = "target/sextant.jar";
    String adminPassword = "benchmark-admin-password";
    String outDir = "target/benchmark";
    boolean keep;
    boolean profile;
    /** Per-statement costs of each measured fences round from pg_stat_statements (the server must preload it). */
    boolean pgStatements;
    /** Part 5's COPY beside each round in Sextant's transaction shape (2,000-row COPYs): a diagnostic. */
    boolean besideGroups;
    /** Sextant itself on Redis (jobs, cross-node signals, rate limits), not only PostgreSQL. */
    boolean sextantRedis;

    /** Every phase, each run by default. */
    static final Set<String> PHASES = Set.of("ingest", "copy", "live", "history", "fences", "delivery");

    Set<String> phases = new TreeSet<>(PHASES);
    List<String> copyVariants = List.of(
            "binary", "text", "binary-2", "binary-pk", "binary-spgist", "binary-brin", "binary-cell", "binary-gist");
    List<String> sextantJvmOptions = List.of();
    List<String> databaseSettings = List.of();
    Map<String, String> sextantEnv = new LinkedHashMap<>();

    static Options parse(String[] args) {
        Map<String, String> flags = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (!a.startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument " + a);
            }
            String name = a.substring(2);
            String value;
            int eq = name.indexOf('=');
            if (eq >= 0) {
                value = name.substring(eq + 1);
                name = name.substring(0, eq);
            } else if (name.equals("quick")
                    || name.equals("keep")
                    || name.equals("profile")
                    || name.equals("pg-statements")
                    || name.equals("beside-groups")
                    || name.equals("sextant-redis")) {
                value = "true";
            } else {
                value = args[++i];
            }
            flags.put(name, value);
        }
        Options o = new Options();
        if (Boolean.parseBoolean(flags.getOrDefault("quick", "false"))) {
            o.quick = true;
            o.positions = 100_000;
            o.assets = 1_000;
            o.formatPositions = 20_000;
            o.liveAssets = 50_000;
            o.liveQueries = 500;
            o.historyRows = 300_000;
            o.historyDays = 3;
            o.historyQueries = 50;
            o.fenceZones = List.of(100, 1_000);
            o.fencePositions = 50_000;
            o.fenceWarmup = 10_000;
            o.fenceWarmupPasses = 2;
            o.fenceRepeats = 1;
            o.latencyRate = 2_000;
            o.latencySeconds = 10;
            o.latencyWarmup = 3;
            o.latencyBatch = 200;
            o.latencyCrossers = List.of(10, 100);
            o.deliveryAssets = 100;
            o.deliverySeconds = 60;
        }
        flags.forEach((name, value) -> {
            switch (name) {
                case "quick" -> {}
                case "positions" -> o.positions = Long.parseLong(value);
                case "assets" -> o.assets = Integer.parseInt(value);
                case "clients" -> o.clients = Integer.parseInt(value);
                case "batch" -> o.batch = Integer.parseInt(value);
                case "format" -> o.format = value;
                case "receipt" -> o.receipt = value;
                case "format-rounds" -> o.formatRounds = Integer.parseInt(value);
                case "format-positions" -> o.formatPositions = Long.parseLong(value);
                case "live-assets" -> o.liveAssets = Integer.parseInt(value);
                case "live-queries" -> o.liveQueries = Integer.parseInt(value);
                case "history-rows" -> o.historyRows = Long.parseLong(value);
                case "history-days" -> o.historyDays = Integer.parseInt(value);
                case "history-queries" -> o.historyQueries = Integer.parseInt(value);
                case "cell-degrees" -> o.cellDegrees = Double.parseDouble(value);
                case "fence-zones" ->
                    o.fenceZones = Arrays.stream(value.split(","))
                            .map(String::trim)
                            .map(Integer::parseInt)
                            .toList();
                case "ingest-zones" -> o.ingestZones = Integer.parseInt(value);
                case "ingest-warmup" -> o.ingestWarmup = Long.parseLong(value);
                case "ingest-warmup-passes" -> o.ingestWarmupPasses = Integer.parseInt(value);
                case "ingest-warmup-quiet" -> o.ingestWarmupQuiet = Double.parseDouble(value) / 100;
                case "ingest-rounds" -> o.ingestRounds = Integer.parseInt(value);
                case "fence-positions" -> o.fencePositions = Long.parseLong(value);
                case "fence-warmup" -> o.fenceWarmup = Long.parseLong(value);
                case "fence-warmup-passes" -> o.fenceWarmupPasses = Integer.parseInt(value);
                case "fence-warmup-quiet" -> o.fenceWarmupQuiet = Double.parseDouble(value) / 100;
                case "fence-repeats" -> o.fenceRepeats = Integer.parseInt(value);
                case "latency-rate" -> o.latencyRate = Integer.parseInt(value);
                case "latency-seconds" -> o.latencySeconds = Integer.parseInt(value);
                case "latency-warmup" -> o.latencyWarmup = Integer.parseInt(value);
                case "latency-batch" -> o.latencyBatch = Integer.parseInt(value);
                case "latency-crossers" ->
                    o.latencyCrossers = Arrays.stream(value.split(","))
                            .map(String::trim)
                            .map(Integer::parseInt)
                            .toList();
                case "sextant-env" -> {
                    for (String pair : value.split(",")) {
                        int eq = pair.indexOf('=');
                        if (eq <= 0) {
                            throw new IllegalArgumentException("--sextant-env takes NAME=VALUE[,NAME=VALUE…]");
                        }
                        o.sextantEnv.put(
                                pair.substring(0, eq).trim(),
                                pair.substring(eq + 1).trim());
                    }
                }
                case "latency-cross-every" -> o.latencyCrossEvery = Integer.parseInt(value);
                case "delivery-assets" -> o.deliveryAssets = Integer.parseInt(value);
                case "delivery-cross-every" -> o.deliveryCrossEvery = Integer.parseInt(value);
                case "delivery-seconds" -> o.deliverySeconds = Integer.parseInt(value);
                case "delivery-failure-rate" -> o.deliveryFailureRate = Double.parseDouble(value);
                case "delivery-retry-delays" ->
                    o.deliveryRetryDelays =
                            Arrays.stream(value.split(",")).map(String::trim).toList();
                case "seed" -> o.seed = Long.parseLong(value);
                case "pg-host" -> o.pgHost = value;
                case "pg-port" -> o.pgPort = Integer.parseInt(value);
                case "pg-user" -> o.pgUser = value;
                case "database" -> o.database = value;
                case "peer-database" -> o.peerDatabase = value;
                case "redis" -> o.redisUri = value;
                case "redis-prefix" -> o.redisPrefix = value;
                case "port" -> o.port = Integer.parseInt(value);
                case "jar" -> o.jar = value;
                case "admin-password" -> o.adminPassword = value;
                case "out" -> o.outDir = value;
                case "keep" -> o.keep = Boolean.parseBoolean(value);
                case "profile" -> o.profile = Boolean.parseBoolean(value);
                case "pg-statements" -> o.pgStatements = Boolean.parseBoolean(value);
                case "beside-groups" -> o.besideGroups = Boolean.parseBoolean(value);
                case "sextant-redis" -> o.sextantRedis = Boolean.parseBoolean(value);
                case "phases" -> o.phases = new TreeSet<>(Arrays.asList(value.split(",")));
                case "copy-variants" -> o.copyVariants = Arrays.asList(value.split(","));
                case "db-settings" -> o.databaseSettings = Arrays.asList(value.split(";"));
                case "sextant-jvm" ->
                    o.sextantJvmOptions = value.isBlank()
                            ? List.of()
                            : new ArrayList<>(Arrays.asList(value.trim().split("\\s+")));
                default -> throw new IllegalArgumentException("unknown flag --" + name);
            }
        });
        if (!o.format.equals("json") && !o.format.equals("ndjson")) {
            throw new IllegalArgumentException("--format is json or ndjson");
        }
        if (!o.receipt.equals("minimal") && !o.receipt.equals("full")) {
            throw new IllegalArgumentException("--receipt is minimal or full");
        }
        if (!PHASES.containsAll(o.phases)) {
            throw new IllegalArgumentException("--phases are some of " + new TreeSet<>(PHASES) + ", was " + o.phases);
        }
        if (o.phases.contains("copy") && !o.phases.contains("ingest")) {
            // Part 2 copies part 1's rows into a table made like Sextant's, which part 1's server creates.
            throw new IllegalArgumentException("--phases copy needs ingest: the peer copies part 1's rows");
        }
        if (o.fenceZones.stream().anyMatch(n -> n <= 0)) {
            throw new IllegalArgumentException("--fence-zones are positive counts (the no-zone round always runs)");
        }
        if (o.ingestZones < 0) {
            throw new IllegalArgumentException("--ingest-zones is a count, 0 or more");
        }
        if (o.ingestWarmup < 0) {
            throw new IllegalArgumentException("--ingest-warmup is a count of positions, 0 or more");
        }
        if (o.ingestWarmupPasses < 1) {
            throw new IllegalArgumentException("--ingest-warmup-passes is at least 1");
        }
        if (o.ingestRounds < 1 || o.ingestRounds > 10) {
            throw new IllegalArgumentException("--ingest-rounds is 1 to 10");
        }
        if (!(o.ingestWarmupQuiet >= 0 && o.ingestWarmupQuiet <= 1)) {
            throw new IllegalArgumentException("--ingest-warmup-quiet is a percentage, 0 to 100");
        }
        if (o.fenceWarmupPasses < 1) {
            throw new IllegalArgumentException("--fence-warmup-passes is at least 1");
        }
        if (!(o.fenceWarmupQuiet >= 0 && o.fenceWarmupQuiet <= 1)) {
            throw new IllegalArgumentException("--fence-warmup-quiet is a percentage, 0 to 100");
        }
        if (o.latencyCrossEvery < 2) {
            throw new IllegalArgumentException("--latency-cross-every is at least 2 seconds");
        }
        if (o.deliveryCrossEvery < 1 || o.deliveryAssets < 1 || o.deliverySeconds < 1) {
            throw new IllegalArgumentException(
                    "--delivery-assets, --delivery-cross-every and --delivery-seconds are positive");
        }
        if (!(o.deliveryFailureRate >= 0 && o.deliveryFailureRate < 1)) {
            throw new IllegalArgumentException("--delivery-failure-rate is in [0, 1)");
        }
        o.deliveryRetryDelays.forEach(Options::duration);
        return o;
    }

    /** A duration as Sextant's settings write it: a number and ms, s, m or h ("500ms", "30s", "5m"). */
    static Duration duration(String text) {
        Matcher m = Pattern.compile("(\\d+)(ms|s|m|h)").matcher(text);
        if (!m.matches()) {
            throw new IllegalArgumentException("not a duration like 500ms, 30s, 5m or 2h: " + text);
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            default -> Duration.ofHours(n);
        };
    }

    /** The Prefer header of an ingest request for {@link #receipt}. */
    String preferHeader() {
        return receipt.equals("minimal") ? "return=minimal" : "return=representation";
    }

    String describe() {
        return String.format(
                Locale.ROOT,
                "%s positions=%,d assets=%,d clients=%d batch=%,d format=%s receipt=%s live-assets=%,d live-queries=%,d"
                        + " history-rows=%,d history-days=%d history-queries=%d cell-degrees=%s ingest-zones=%,d ingest-warmup=%,d"
                        + " ingest-warmup-passes=%d ingest-warmup-quiet=%s%% ingest-rounds=%d"
                        + " fence-zones=%s"
                        + " fence-positions=%,d fence-warmup=%,d fence-warmup-passes=%d fence-warmup-quiet=%s%% fence-repeats=%d latency-rate=%,d latency-seconds=%d"
                        + " latency-warmup=%d latency-batch=%,d latency-crossers=%s latency-cross-every=%d"
                        + " delivery-assets=%,d delivery-cross-every=%d delivery-seconds=%d delivery-failure-rate=%s"
                        + " delivery-retry-delays=%s seed=%d phases=%s%s%s%s%s%s%s",
                quick ? "--quick" : "full size:",
                positions,
                assets,
                clients,
                batch,
                format,
                receipt,
                liveAssets,
                liveQueries,
                historyRows,
                historyDays,
                historyQueries,
                cellDegrees,
                ingestZones,
                ingestWarmup,
                ingestWarmupPasses,
                100 * ingestWarmupQuiet,
                ingestRounds,
                fenceZones,
                fencePositions,
                fenceWarmup,
                fenceWarmupPasses,
                100 * fenceWarmupQuiet,
                fenceRepeats,
                latencyRate,
                latencySeconds,
                latencyWarmup,
                latencyBatch,
                latencyCrossers,
                latencyCrossEvery,
                deliveryAssets,
                deliveryCrossEvery,
                deliverySeconds,
                deliveryFailureRate,
                String.join(",", deliveryRetryDelays),
                seed,
                phases,
                sextantRedis
                        ? " --sextant-redis (Sextant's jobs, signals and rate limits on Redis " + redisUri + ")"
                        : "",
                profile
                        ? " --profile (JFR on Sextant in every measured fences round and HTTP live query set: diagnostic,"
                                + " not for reporting)"
                        : "",
                pgStatements
                        ? " --pg-statements (per-statement costs of each measured fences round from"
                                + " pg_stat_statements: diagnostic)"
                        : "",
                besideGroups
                        ? " --beside-groups (part 5's COPY beside each round in 2,000-row COPYs: diagnostic,"
                                + " not for reporting)"
                        : "",
                sextantEnv.isEmpty() ? "" : " --sextant-env " + sextantEnv + " (diagnostic, not for reporting)",
                sextantJvmOptions.isEmpty()
                        ? ""
                        : " --sextant-jvm \"" + String.join(" ", sextantJvmOptions)
                                + "\" (diagnostic, not for reporting)");
    }
}
