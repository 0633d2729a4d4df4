package io.sextant.benchmark;

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
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.paho.client.mqttv3.IMqttActionListener;
import org.eclipse.paho.client.mqttv3.IMqttToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import tools.jackson.databind.json.JsonMapper;

/**
 * The MQTT ingest benchmark of docs/benchmarks.md ("MQTT ingest"), run by {@code
 * scripts/benchmark-mqtt.sh}: in one run against Sextant started as its own process on its own
 * database and the machine's MQTT broker, the same positions (NDJSON, {@code --per-message} to a
 * message or a request) stored through MQTT and, as the peer, posted to {@code POST
 * /api/v1/positions} by as many clients as there are publishers. MQTT's rate counts from the first
 * publish until Sextant has handled every message (its {@code sextant.mqtt.messages} counter), the
 * stored rows counted in PostgreSQL afterwards. Publishers keep at most {@code --window} messages
 * ahead of what Sextant has handled: a broker queues only so many for one subscriber (Mosquitto's
 * {@code max_queued_messages}, 1,000 by default) and drops the rest.
 */
public final class MqttBenchmark {

    static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Pattern HANDLED =
            Pattern.compile("(?m)^sextant_mqtt_messages_total(?:\\{[^}]*})? ([0-9.eE+]+)");

    int positions = 200_000;
    int perMessage = 100;
    int assets = 1_000;
    int clients = 2;
    int httpClients = 8;
    int window = 500;
    String mqttUrl = "tcp://127.0.0.1:1883";
    String database = "sextant_mqtt_bench";
    int port = 18_091;
    String jar = "target/sextant.jar";
    String adminPassword = "benchmark-admin-password";
    Path out = Path.of("target/benchmark-mqtt");
    Report report;
    SextantProcess sextant;
    String baseUrl;
    final HttpClient http =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    public static void main(String[] args) throws Exception {
        // HttpURLConnection keeps at most this many idle connections per server (default 5): one per
        // HTTP client, so none is closed and opened again between its requests.
        System.setProperty("http.maxConnections", "64");
        MqttBenchmark b = new MqttBenchmark();
        for (int i = 0; i + 1 < args.length; i += 2) {
            String value = args[i + 1];
            switch (args[i]) {
                case "--positions" -> b.positions = Integer.parseInt(value);
                case "--per-message" -> b.perMessage = Integer.parseInt(value);
                case "--assets" -> b.assets = Integer.parseInt(value);
                case "--clients" -> b.clients = Integer.parseInt(value);
                case "--http-clients" -> b.httpClients = Integer.parseInt(value);
                case "--window" -> b.window = Integer.parseInt(value);
                case "--mqtt-url" -> b.mqttUrl = value;
                case "--port" -> b.port = Integer.parseInt(value);
                case "--out" -> b.out = Path.of(value);
                default -> throw new IllegalArgumentException("unknown flag " + args[i]);
            }
        }
        if (args.length % 2 != 0) {
            throw new IllegalArgumentException("flags take a value each: " + String.join(" ", args));
        }
        int status = 0;
        try {
            b.run();
        } catch (Exception | Error e) {
            status = 1;
            System.err.println("benchmark failed: " + e);
            e.printStackTrace();
        } finally {
            if (b.sextant != null) {
                b.sextant.close();
            }
            try (Connection c = b.admin("postgres");
                    Statement s = c.createStatement()) {
                s.execute("drop database if exists " + b.database + " with (force)");
            }
        }
        System.exit(status);
    }

    void run() throws Exception {
        Files.createDirectories(out);
        report = new Report(out.resolve("report.md"));
        report.h1("Sextant MQTT ingest benchmark — " + Instant.now().truncatedTo(ChronoUnit.SECONDS));
        report.line(String.format(
                Locale.ROOT,
                "Parameters: positions=%,d per-message=%d assets=%,d publishers=%d http-clients=%d window=%d broker=%s",
                positions,
                perMessage,
                assets,
                clients,
                httpClients,
                window,
                mqttUrl));
        report.h2("Machine");
        report.line("- CPU: " + PositionsBenchmark.cpuModel() + ", "
                + Runtime.getRuntime().availableProcessors() + " cores (nproc)");
        report.line("- Memory: " + PositionsBenchmark.memTotal());
        report.line("- JDK: " + System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
        try (Connection c = admin("postgres");
                Statement s = c.createStatement()) {
            report.line("- PostgreSQL: " + PositionsBenchmark.scalar(c, "select version()"));
            s.execute("drop database if exists " + database + " with (force)");
            s.execute("create database " + database);
        }
        report.line("- Broker: " + mqttUrl + " (the machine's, as configured there)");

        // The assets and the source's key, before MQTT is configured with the key.
        start("setup", Map.of());
        String token = signIn();
        AtomicInteger next = new AtomicInteger();
        PositionsBenchmark.runConcurrently(4, () -> {
            int i;
            while ((i = next.getAndIncrement()) < assets) {
                HttpResponse<String> r = post(
                        "/api/v1/assets",
                        token,
                        Map.of("externalId", "mq-" + i, "name", "MQTT asset " + i, "type", "vehicle"));
                if (r.statusCode() != 201) {
                    throw new IllegalStateException("asset creation failed: " + r.statusCode() + " " + r.body());
                }
            }
            return null;
        });
        HttpResponse<String> key = post(
                "/api/v1/api-keys", token, Map.of("name", "mqtt bench", "permissions", List.of("positions:write")));
        String apiKey = JSON.readTree(key.body()).get("token").asString();
        sextant.close();

        String root = "bench-" + UUID.randomUUID();
        String clientId = "sextant-bench-" + UUID.randomUUID();
        Map<String, String> mqtt = new LinkedHashMap<>();
        mqtt.put("SEXTANT_MQTT_URL", mqttUrl);
        mqtt.put("SEXTANT_MQTT_CLIENT_ID", clientId);
        mqtt.put("SEXTANT_MQTT_SOURCES_0_TOPIC", root + "/+/position");
        mqtt.put("SEXTANT_MQTT_SOURCES_0_API_KEY", apiKey);
        start("mqtt", mqtt);
        String bearer = signIn();
        Thread.sleep(2_000); // subscribed

        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        report.h2("Warm-up");
        double warmHttp = http(bearer, bodies(now.minus(9, ChronoUnit.HOURS), positions / 5));
        double warmMqtt = mqtt(root, bodies(now.minus(8, ChronoUnit.HOURS), positions / 5));
        report.line(String.format(
                Locale.ROOT,
                "A fifth of the size each: HTTP %,.0f positions/s, MQTT %,.0f positions/s.",
                warmHttp,
                warmMqtt));

        report.h2("Measured");
        Instant httpBase = now.minus(6, ChronoUnit.HOURS);
        Instant mqttBase = now.minus(3, ChronoUnit.HOURS);
        double httpRate = http(bearer, bodies(httpBase, positions));
        double mqttRate = mqtt(root, bodies(mqttBase, positions));
        long httpRows;
        long mqttRows;
        try (Connection c = admin(database)) {
            httpRows = Long.parseLong(PositionsBenchmark.scalar(
                    c,
                    "select count(*) from position where event_time >= '" + httpBase + "' and event_time < '"
                            + httpBase.plus(1, ChronoUnit.HOURS) + "'"));
            mqttRows = Long.parseLong(PositionsBenchmark.scalar(
                    c,
                    "select count(*) from position where event_time >= '" + mqttBase + "' and event_time < '"
                            + mqttBase.plus(1, ChronoUnit.HOURS) + "'"));
        }
        report.table(
                List.of("path", "positions/s", "messages or requests/s", "rows stored"),
                List.of(
                        List.of(
                                "HTTP `POST /api/v1/positions` (peer), NDJSON, " + httpClients + " clients",
                                PositionsBenchmark.fmt(httpRate),
                                PositionsBenchmark.fmt(httpRate / perMessage),
                                String.format(Locale.ROOT, "%,d", httpRows)),
                        List.of(
                                "MQTT QoS 1 through the broker, " + clients + " asynchronous publishers",
                                PositionsBenchmark.fmt(mqttRate),
                                PositionsBenchmark.fmt(mqttRate / perMessage),
                                String.format(Locale.ROOT, "%,d", mqttRows))));
        report.line(String.format(Locale.ROOT, "MQTT ÷ HTTP: **%.2f**.", mqttRate / httpRate));
        if (httpRows != positions || mqttRows != positions) {
            report.line("**WARNING: rows stored differ from the positions sent.**");
        }
        report.metric("mqtt.positions_per_s", mqttRate);
        report.metric("mqtt.http_positions_per_s", httpRate);
        report.metric("mqtt.ratio", mqttRate / httpRate);
        report.summary();
        sextant.close();
        sextant = null;
        forgetSession(clientId);
    }

    /** NDJSON bodies of {@link #perMessage} positions: asset {@code j % assets}, a second apart per asset. */
    List<byte[]> bodies(Instant base, int count) {
        List<byte[]> bodies = new ArrayList<>();
        StringBuilder body = new StringBuilder();
        for (int j = 0; j < count; j++) {
            int asset = j % assets;
            Instant time = base.plusSeconds(j / assets);
            body.append("{\"externalId\":\"mq-")
                    .append(asset)
                    .append("\",\"time\":\"")
                    .append(time)
                    .append("\",\"lon\":")
                    .append(4.8 + (asset % 100) * 0.001)
                    .append(",\"lat\":")
                    .append(45.7 + (asset / 100) * 0.001)
                    .append("}\n");
            if ((j + 1) % perMessage == 0 || j == count - 1) {
                bodies.add(body.toString().getBytes(StandardCharsets.UTF_8));
                body.setLength(0);
            }
        }
        return bodies;
    }

    /** Posts every body with {@link #httpClients} clients; positions per second. */
    double http(String token, List<byte[]> bodies) throws Exception {
        AtomicInteger next = new AtomicInteger();
        AtomicLong sent = new AtomicLong();
        long t0 = System.nanoTime();
        PositionsBenchmark.runConcurrently(httpClients, () -> {
            int i;
            while ((i = next.getAndIncrement()) < bodies.size()) {
                byte[] body = bodies.get(i);
                HttpURLConnection c = (HttpURLConnection)
                        URI.create(baseUrl + "/api/v1/positions").toURL().openConnection();
                c.setRequestMethod("POST");
                c.setDoOutput(true);
                c.setFixedLengthStreamingMode(body.length);
                c.setRequestProperty("Content-Type", "application/x-ndjson");
                c.setRequestProperty("Prefer", "return=minimal");
                c.setRequestProperty("Authorization", "Bearer " + token);
                try (OutputStream o = c.getOutputStream()) {
                    o.write(body);
                }
                int status = c.getResponseCode();
                try (InputStream in = status < 400 ? c.getInputStream() : c.getErrorStream()) {
                    String text = in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8);
                    if (status != 200) {
                        throw new IllegalStateException("ingest failed: " + status + " " + text);
                    }
                }
                sent.addAndGet(lines(body));
            }
            return null;
        });
        return sent.get() / ((System.nanoTime() - t0) / 1e9);
    }

    /** Publishes every body with {@link #clients} publishers; positions per second until all are handled. */
    double mqtt(String root, List<byte[]> bodies) throws Exception {
        long before = handled();
        AtomicLong handled = new AtomicLong(before);
        AtomicInteger next = new AtomicInteger();
        long total = bodies.stream().mapToLong(MqttBenchmark::lines).sum();
        Thread poller = Thread.ofPlatform().daemon().start(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                try {
                    handled.set(handled());
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    return;
                } catch (Exception e) {
                    // the next scrape
                }
            }
        });
        long t0 = System.nanoTime();
        try {
            // Asynchronous publishers, each with up to 100 publishes awaiting the broker's PUBACK: a
            // publisher that waits for each PUBACK is bound by the round trip (Nagle and delayed ACK
            // hold a small PUBACK up to 40 ms here), not by Sextant.
            java.util.concurrent.atomic.AtomicReference<Throwable> failed =
                    new java.util.concurrent.atomic.AtomicReference<>();
            PositionsBenchmark.runConcurrently(clients, () -> {
                MqttAsyncClient client =
                        new MqttAsyncClient(mqttUrl, "bench-pub-" + UUID.randomUUID(), new MemoryPersistence());
                MqttConnectOptions options = new MqttConnectOptions();
                options.setCleanSession(true);
                options.setMaxInflight(1_000);
                client.connect(options).waitForCompletion();
                java.util.concurrent.Semaphore inFlight = new java.util.concurrent.Semaphore(100);
                IMqttActionListener released = new IMqttActionListener() {
                    @Override
                    public void onSuccess(IMqttToken token) {
                        inFlight.release();
                    }

                    @Override
                    public void onFailure(IMqttToken token, Throwable e) {
                        failed.compareAndSet(null, e);
                        inFlight.release();
                    }
                };
                int i;
                while ((i = next.getAndIncrement()) < bodies.size()) {
                    while (i - (handled.get() - before) > window) {
                        Thread.sleep(1);
                    }
                    inFlight.acquire();
                    MqttMessage message = new MqttMessage(bodies.get(i));
                    message.setQos(1);
                    client.publish(root + "/gw-" + (i % 16) + "/position", message, null, released);
                }
                inFlight.acquire(100);
                client.disconnect().waitForCompletion();
                client.close();
                return null;
            });
            if (failed.get() != null) {
                throw new IllegalStateException("a publish failed", failed.get());
            }
            long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
            while (handled.get() - before < bodies.size()) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("Sextant handled " + (handled.get() - before) + " of "
                            + bodies.size() + " messages in 10 minutes");
                }
                Thread.sleep(5);
            }
        } finally {
            poller.interrupt();
        }
        return total / ((System.nanoTime() - t0) / 1e9);
    }

    private static long lines(byte[] body) {
        long n = 0;
        for (byte b : body) {
            if (b == '\n') {
                n++;
            }
        }
        return n;
    }

    long handled() throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(
                HttpRequest.newBuilder(URI.create(baseUrl + "/actuator/prometheus"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        Matcher m = HANDLED.matcher(r.body());
        return m.find() ? (long) Double.parseDouble(m.group(1)) : 0;
    }

    void start(String label, Map<String, String> extra) throws Exception {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("SEXTANT_DB_URL", "jdbc:postgresql://127.0.0.1:5432/" + database);
        env.put("SEXTANT_DB_USERNAME", "postgres");
        env.put("SEXTANT_HTTP_RATE_LIMIT_ENABLED", "false");
        env.put("SEXTANT_BOOTSTRAP_ADMIN_PASSWORD", adminPassword);
        env.put("SEXTANT_DEMO", "false");
        env.putAll(extra);
        sextant = SextantProcess.start(Path.of(jar), List.of(), env, port, out.resolve("sextant-" + label + ".log"));
        long ready = sextant.awaitReady(Duration.ofMinutes(5));
        baseUrl = "http://127.0.0.1:" + port;
        report.line("Sextant (" + label + ") ready " + ready + " ms after process start.");
    }

    String signIn() throws Exception {
        HttpResponse<String> r = http.send(
                HttpRequest.newBuilder(URI.create(baseUrl + "/api/v1/auth/token"))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(
                                JSON.writeValueAsString(Map.of("username", "admin", "password", adminPassword))))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        return JSON.readTree(r.body()).get("access_token").asString();
    }

    HttpResponse<String> post(String path, String token, Object body) throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create(baseUrl + path))
                        .header("Content-Type", "application/json")
                        .header("Authorization", "Bearer " + token)
                        .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    Connection admin(String db) throws SQLException {
        return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/" + db + "?user=postgres");
    }

    void forgetSession(String clientId) {
        try {
            MqttClient client = new MqttClient(mqttUrl, clientId, new MemoryPersistence());
            MqttConnectOptions options = new MqttConnectOptions();
            options.setCleanSession(true);
            client.connect(options);
            client.disconnect();
            client.close();
        } catch (Exception e) {
            System.err.println("could not end the MQTT session " + clientId + ": " + e);
        }
    }
}
