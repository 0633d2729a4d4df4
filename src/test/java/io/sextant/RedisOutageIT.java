package io.sextant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.sextant.delivery.WebhookReceiver;
import io.sextant.testing.ApiClient;
import io.sextant.testing.ApiClient.Response;
import io.sextant.testing.PackagedJar;
import io.sextant.testing.PackagedJar.Instance;
import io.sextant.testing.TestDatabases;
import io.sextant.testing.TestRedis;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import redis.embedded.RedisServer;
import tools.jackson.databind.JsonNode;

/**
 * Redis stopped for a few seconds and started again (with its data, as a Redis with AOF keeps it)
 * while the packaged jar ingests positions, produces zone events and delivers them to a webhook: no
 * acknowledged position or event is lost, ingest goes on answering, health shows Redis down and
 * then up, and delivery resumes without a restart of Sextant.
 */
// Generous bounds, only against a hang: on a loaded machine one start of the jar can take minutes.
@Timeout(value = 15, unit = TimeUnit.MINUTES)
class RedisOutageIT {

    private static final String PASSWORD = "redis-outage-admin-password";
    private static final Duration HEALTHY_WITHIN = Duration.ofMinutes(4);
    private static final Duration OUTAGE = Duration.ofSeconds(5);
    private static final Duration PATIENCE = Duration.ofSeconds(30);
    /**
     * An attempt that ran while Redis went away cannot be recorded: its job stays running until its
     * lease (SEXTANT_JOBS_LEASE, 15 s, renewed while its worker can reach the store) expires, and is
     * then retried.
     */
    private static final Duration DELIVERED_WITHIN = Duration.ofMinutes(3);
    /** Positions alternate between outside and inside the yard in runs of this many. */
    private static final int RUN = 10;

    // A yard of about 700 m x 1100 m around (5.005, 52.005).
    private static final List<List<Double>> YARD = List.of(
            List.of(5.0, 52.0), List.of(5.01, 52.0), List.of(5.01, 52.01), List.of(5.0, 52.01), List.of(5.0, 52.0));

    @Test
    void redis_stopped_and_started_mid_ingest_and_delivery_loses_nothing_acknowledged_and_delivery_resumes_by_itself()
            throws Exception {
        Path workDir = Files.createTempDirectory(Path.of("target"), "redis-outage-");
        Path redisDir = Files.createDirectories(workDir.resolve("redis"));
        int redisPort = TestRedis.freePort();
        RedisServer redis = TestRedis.persistentServer(redisPort, redisDir);
        String redisUrl = "redis://127.0.0.1:" + redisPort;
        redis.start();
        System.out.println("RedisOutageIT: logs and Redis data in " + workDir.toAbsolutePath());

        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("SEXTANT_DB_URL", TestDatabases.create());
        settings.put("SEXTANT_DB_POOL_SIZE", "10");
        settings.put("SEXTANT_REDIS_URL", redisUrl);
        settings.put("SEXTANT_BOOTSTRAP_ADMIN_PASSWORD", PASSWORD);
        settings.put(
                "SEXTANT_SECRETS_KEYSET_FILE", workDir.resolve("secrets.keyset").toString());
        settings.put("SEXTANT_DELIVERY_WEBHOOK_ALLOWED_NETWORKS", "127.0.0.1/32");
        settings.put("SEXTANT_DELIVERY_WEBHOOK_RETRY_DELAYS", "1s,1s,1s,1s,1s,1s,1s,1s");
        // Rate limiting stays on, so each request asks Redis for its bucket; the limit itself never bites.
        settings.put("SEXTANT_HTTP_RATE_LIMIT_CAPACITY", "1000000");
        settings.put("SEXTANT_HTTP_RATE_LIMIT_REFILL_PER_SECOND", "1000000");
        settings.put("SEXTANT_HTTP_SHUTDOWN_DRAIN", "0s");

        PackagedJar jar = new PackagedJar(workDir);
        Instance sextant = null;
        try (WebhookReceiver receiver = WebhookReceiver.answering(204)) {
            sextant = jar.start("sextant", PackagedJar.freePort(), settings);
            Duration startup = sextant.awaitHealthy(HEALTHY_WITHIN);
            long pid = sextant.process().pid();
            ApiClient api = sextant.api();
            String token = api.signIn("admin", PASSWORD);
            String externalId = "truck-outage";
            String assetId = createAsset(api, token, externalId);
            createZone(api, token);
            Response subscription = api.post("/api/v1/subscriptions")
                    .bearer(token)
                    .json(Map.of(
                            "name",
                            "yard hook",
                            "channel",
                            Map.of("type", "webhook", "url", receiver.url(), "timeoutMs", 5_000)))
                    .send();
            assertThat(subscription.status()).as("%s", subscription).isEqualTo(201);
            String subscriptionId = subscription.json().get("id").asString();
            String secret = subscription.json().get("secret").asString();
            String sentinel = "redis-outage-it:sentinel";
            withRedis(redisUrl, r -> r.set(sentinel, "kept"));

            Instant base = Instant.now().truncatedTo(ChronoUnit.SECONDS).minus(20, ChronoUnit.MINUTES);
            Ingest ingest = new Ingest(api, token, externalId, base);
            Thread ingesting = Thread.ofPlatform().name("ingest").start(ingest);
            Instant stopped;
            Instant restarting;
            Instant restarted;
            Duration downSeen;
            Duration upSeen;
            int eventsBeforeOutage;
            int eventsDuringOutage;
            int acknowledgedDuringOutage;
            try {
                // Running before the outage: positions acknowledged, zone events delivered.
                await().atMost(PATIENCE).until(() -> receiver.requests().size() >= 2);

                redis.stop();
                stopped = Instant.now();
                int acknowledgedAtStop = ingest.acknowledged();
                eventsBeforeOutage = eventIds(api, token).size();
                await().atMost(PATIENCE).until(() -> redisHealth(api).equals("DOWN"));
                downSeen = Duration.between(stopped, Instant.now());
                // Down for at least the outage, and until ingest has produced zone events meanwhile.
                await().pollDelay(OUTAGE)
                        .atMost(PATIENCE)
                        .until(() -> eventIds(api, token).size() >= eventsBeforeOutage + 2);
                assertThat(redisHealth(api)).isEqualTo("DOWN");
                eventsDuringOutage = eventIds(api, token).size() - eventsBeforeOutage;
                acknowledgedDuringOutage = ingest.acknowledged() - acknowledgedAtStop;

                restarting = Instant.now();
                redis.start();
                restarted = Instant.now();
                await().atMost(PATIENCE).until(() -> redisHealth(api).equals("UP"));
                upSeen = Duration.between(restarted, Instant.now());
                int acknowledgedAtRestart = ingest.acknowledged();
                await().atMost(PATIENCE).until(() -> ingest.acknowledged() >= acknowledgedAtRestart + 2 * RUN);
            } finally {
                ingest.stop();
                ingesting.join();
            }

            assertThat(withRedis(redisUrl, r -> r.get(sentinel)))
                    .as("the restarted Redis kept its data")
                    .isEqualTo("kept");
            assertThat(acknowledgedDuringOutage)
                    .as("positions acknowledged while Redis was down")
                    .isPositive();
            assertThat(ingest.failures())
                    .as("every ingest request answered 200, Redis down or not")
                    .isEmpty();

            Set<Instant> stored = track(api, token, assetId, base);
            Set<Instant> missing = new HashSet<>(ingest.times());
            missing.removeAll(stored);
            assertThat(missing).as("acknowledged positions missing").isEmpty();

            List<String> events = eventIds(api, token);
            Instant deliveryWait = Instant.now();
            List<JsonNode> deliveries = await().atMost(DELIVERED_WITHIN)
                    .pollInterval(Duration.ofMillis(500))
                    .until(
                            () -> deliveries(api, token, subscriptionId),
                            items -> items.size() == events.size()
                                    && items.stream()
                                            .allMatch(d ->
                                                    d.get("status").asString().equals("delivered")));
            Instant allDelivered = Instant.now();
            assertThat(deliveries)
                    .extracting(d -> d.get("eventId").asString())
                    .containsExactlyInAnyOrderElementsOf(events);
            List<WebhookReceiver.Request> requests = receiver.requests();
            assertThat(requests)
                    .as("every request is signed with the subscription's secret")
                    .allMatch(r -> r.signatureVerifies(secret));
            Map<String, Long> perEvent = requests.stream()
                    .collect(Collectors.groupingBy(WebhookReceiver.Request::webhookId, Collectors.counting()));
            assertThat(perEvent.keySet()).containsExactlyInAnyOrderElementsOf(events);
            List<WebhookReceiver.Request> ofTheOutage = requests.stream()
                    .filter(r -> recordedAt(r).isAfter(stopped) && recordedAt(r).isBefore(restarting))
                    .toList();
            assertThat(ofTheOutage)
                    .as("the events recorded while Redis was down waited for it (their jobs live there)")
                    .isNotEmpty()
                    .allMatch(r -> r.arrived().isAfter(restarting));

            assertThat(sextant.process().isAlive()).isTrue();
            assertThat(sextant.process().pid())
                    .as("the same process throughout")
                    .isEqualTo(pid);
            assertThat(sextant.output()).containsOnlyOnce("Started SextantApplication");

            System.out.printf(
                    "RedisOutageIT: healthy in %d ms; Redis down %d ms (health showed it in %d ms, UP again %d ms"
                            + " after the restart)%n",
                    startup.toMillis(),
                    Duration.between(stopped, restarted).toMillis(),
                    downSeen.toMillis(),
                    upSeen.toMillis());
            System.out.printf(
                    "RedisOutageIT: %d positions acknowledged (%d while Redis was down), all stored; %d zone events"
                            + " (%d before the outage, %d during it), all delivered %d ms after Redis returned"
                            + " (%d ms after ingest stopped); %d webhook requests, %d duplicates, all signed%n",
                    ingest.acknowledged(),
                    acknowledgedDuringOutage,
                    events.size(),
                    eventsBeforeOutage,
                    eventsDuringOutage,
                    Duration.between(restarted, allDelivered).toMillis(),
                    Duration.between(deliveryWait, allDelivered).toMillis(),
                    requests.size(),
                    requests.size() - perEvent.size());
        } finally {
            if (sextant != null && sextant.process().isAlive()) {
                sextant.stop();
            }
            redis.stop();
        }
    }

    /**
     * Posts one position at a time until stopped, alternating runs outside and inside the yard (a
     * zone event at each change), recording each position the service answered as accepted and
     * every request that was not.
     */
    private static final class Ingest implements Runnable {

        private final ApiClient api;
        private final String token;
        private final String externalId;
        private final Instant base;
        private final Set<Instant> acknowledged = ConcurrentHashMap.newKeySet();
        private final AtomicInteger count = new AtomicInteger();
        private final List<String> failures = new CopyOnWriteArrayList<>();
        private volatile boolean running = true;

        Ingest(ApiClient api, String token, String externalId, Instant base) {
            this.api = api;
            this.token = token;
            this.externalId = externalId;
            this.base = base;
        }

        @Override
        public void run() {
            for (int i = 0; running; i++) {
                Instant time = base.plusMillis(100L * i);
                boolean inside = (i / RUN) % 2 == 1;
                Map<String, Object> position = Map.of(
                        "externalId",
                        externalId,
                        "time",
                        time.toString(),
                        "lon",
                        inside ? 5.005 : 5.05,
                        "lat",
                        inside ? 52.005 : 52.05);
                try {
                    Response response = api.post("/api/v1/positions")
                            .bearer(token)
                            .json(List.of(position))
                            .send();
                    if (response.status() == 200
                            && response.json().get("accepted").asInt() == 1) {
                        acknowledged.add(time);
                        count.incrementAndGet();
                    } else {
                        failures.add(Instant.now() + ": " + response);
                    }
                } catch (RuntimeException e) {
                    failures.add(Instant.now() + ": " + e);
                }
                try {
                    Thread.sleep(20); // a steady stream, not a flood
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }

        void stop() {
            running = false;
        }

        int acknowledged() {
            return count.get();
        }

        Set<Instant> times() {
            return Set.copyOf(acknowledged);
        }

        List<String> failures() {
            return List.copyOf(failures);
        }
    }

    /** When the event a webhook request carries was recorded in the log. */
    private static Instant recordedAt(WebhookReceiver.Request request) {
        return Instant.parse(
                ApiClient.JSON.readTree(request.body()).get("recordedtime").asString());
    }

    private static String createAsset(ApiClient api, String token, String externalId) {
        Response created = api.post("/api/v1/assets")
                .bearer(token)
                .json(Map.of("externalId", externalId, "name", externalId, "type", "vehicle"))
                .send();
        assertThat(created.status()).as("%s", created).isEqualTo(201);
        return created.json().get("id").asString();
    }

    private static void createZone(ApiClient api, String token) {
        Response zone = api.post("/api/v1/zones")
                .bearer(token)
                .json(Map.of("name", "Yard", "geometry", Map.of("type", "Polygon", "coordinates", List.of(YARD))))
                .send();
        assertThat(zone.status()).as("%s", zone).isEqualTo(201);
    }

    /** The status of the {@code redis} check in /actuator/health. */
    private static String redisHealth(ApiClient api) {
        Response health = api.get("/actuator/health").send();
        return health.json().path("components").path("redis").path("status").asString("absent");
    }

    /** Every event id in the tenant's log, oldest first, page by page. */
    private static List<String> eventIds(ApiClient api, String token) {
        List<String> ids = new ArrayList<>();
        String cursor = null;
        do {
            Response page = api.get("/api/v1/events?limit=500" + (cursor == null ? "" : "&cursor=" + cursor))
                    .bearer(token)
                    .send();
            assertThat(page.status()).as("%s", page).isEqualTo(200);
            page.json().get("items").forEach(event -> ids.add(event.get("id").asString()));
            JsonNode next = page.json().path("nextCursor");
            cursor = next.isString() ? next.asString() : null;
        } while (cursor != null);
        return ids;
    }

    private static List<JsonNode> deliveries(ApiClient api, String token, String subscriptionId) {
        List<JsonNode> items = new ArrayList<>();
        String cursor = null;
        do {
            Response page = api.get("/api/v1/subscriptions/" + subscriptionId + "/deliveries?limit=500"
                            + (cursor == null ? "" : "&cursor=" + cursor))
                    .bearer(token)
                    .send();
            assertThat(page.status()).as("%s", page).isEqualTo(200);
            page.json().get("items").forEach(items::add);
            JsonNode next = page.json().path("nextCursor");
            cursor = next.isString() ? next.asString() : null;
        } while (cursor != null);
        return items;
    }

    /** Every stored event time of one asset, read back page by page through the track API. */
    private static Set<Instant> track(ApiClient api, String token, String assetId, Instant base) {
        Set<Instant> times = new HashSet<>();
        String from = base.toString();
        String to = base.plus(1, ChronoUnit.DAYS).toString();
        while (true) {
            Response page = api.get(
                            "/api/v1/assets/" + assetId + "/track?format=points&limit=50000&from=" + from + "&to=" + to)
                    .bearer(token)
                    .send();
            assertThat(page.status()).as("%s", page).isEqualTo(200);
            JsonNode body = page.json();
            body.get("features")
                    .forEach(feature -> times.add(
                            Instant.parse(feature.get("properties").get("time").asString())));
            if (!body.get("truncated").asBoolean()) {
                return times;
            }
            from = body.get("nextFrom").asString();
        }
    }

    /** Runs one command on Redis at {@code url} over a connection of the test's own. */
    private static String withRedis(String url, Function<RedisCommands<String, String>, String> work) {
        RedisClient client = RedisClient.create(url);
        try (StatefulRedisConnection<String, String> connection = client.connect()) {
            return work.apply(connection.sync());
        } finally {
            client.shutdown();
        }
    }
}
