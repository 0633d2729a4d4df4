package io.sextant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.RedisClient;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.sextant.delivery.WebhookReceiver;
import io.sextant.events.EventTypes;
import io.sextant.testing.ApiClient;
import io.sextant.testing.ApiClient.Response;
import io.sextant.testing.PackagedJar;
import io.sextant.testing.PackagedJar.Instance;
import io.sextant.testing.SseClient;
import io.sextant.testing.TestDatabases;
import io.sextant.testing.TestRedis;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import tools.jackson.databind.JsonNode;

/**
 * A split deployment: three processes of the packaged jar, one per role (api, ingest, worker), on
 * their own ports against one PostgreSQL database and one Redis. Positions posted to the ingest node
 * become zone events that a live stream on the api node and a webhook sent by the worker carry; the
 * api node's live positions follow the ingest node. The worker is killed (SIGKILL) while the
 * receiver holds its first delivery open, and started again: every event still arrives, at least
 * once and signed, and the deliveries API reports each delivered.
 */
// Generous bounds, only against a hang: on a loaded machine one start of the jar can take minutes.
@Timeout(value = 15, unit = TimeUnit.MINUTES)
class ThreeRolesIT {

    private static final String PASSWORD = "three-roles-admin-password";
    private static final String ISSUER = "http://sextant.three-roles.test";
    private static final Duration HEALTHY_WITHIN = Duration.ofMinutes(4);
    /** Events, positions and deliveries cross the nodes through PostgreSQL and Redis well within this. */
    private static final Duration PATIENCE = Duration.ofSeconds(30);
    /**
     * A delivery cut off by the kill is the job's running attempt: a worker takes it over when its
     * lease (SEXTANT_JOBS_LEASE, 15 s, no longer renewed by the dead worker) expires, counts it failed
     * and retries it.
     */
    private static final Duration REDELIVERED_WITHIN = Duration.ofMinutes(3);
    /**
     * By the time the restarted worker is healthy the lease has (nearly) run out: it takes the
     * attempt over at its next poll (1 s) and retries it after the first retry delay (1 s here). With
     * the delivery handler's whole one-minute timeout as the lease it would wait most of a minute.
     */
    private static final Duration REDELIVERED_AFTER_RESTART_WITHIN = Duration.ofSeconds(20);

    // A yard of about 700 m x 1100 m around (5.005, 52.005).
    private static final List<List<Double>> YARD = List.of(
            List.of(5.0, 52.0), List.of(5.01, 52.0), List.of(5.01, 52.01), List.of(5.0, 52.01), List.of(5.0, 52.0));
    private static final double[] OUTSIDE = {5.05, 52.05};
    private static final double[] INSIDE = {5.005, 52.005};
    private static final double[] GONE = {5.03, 52.005};

    @Test
    void positions_on_the_ingest_node_reach_the_api_nodes_stream_and_the_workers_webhooks_through_a_kill_of_the_worker()
            throws Exception {
        Path workDir = Files.createTempDirectory(Path.of("target"), "three-roles-");
        String prefix = "sextant-it-" + UUID.randomUUID() + ":";
        Map<String, String> common = new HashMap<>();
        common.put("SEXTANT_DB_URL", TestDatabases.create());
        common.put("SEXTANT_DB_POOL_SIZE", "10");
        common.put("SEXTANT_REDIS_URL", TestRedis.url());
        common.put("SEXTANT_REDIS_KEY_PREFIX", prefix);
        common.put("SEXTANT_AUTH_ISSUER", ISSUER);
        common.put("SEXTANT_BOOTSTRAP_ADMIN_PASSWORD", PASSWORD);
        // The api node generates the key on its first start; the others read the same file.
        common.put(
                "SEXTANT_SECRETS_KEYSET_FILE", workDir.resolve("secrets.keyset").toString());
        common.put("SEXTANT_DELIVERY_WEBHOOK_ALLOWED_NETWORKS", "127.0.0.1/32");
        common.put("SEXTANT_DELIVERY_WEBHOOK_RETRY_DELAYS", "1s,1s,1s,1s,1s,1s,1s,1s");
        common.put("SEXTANT_HTTP_RATE_LIMIT_ENABLED", "false");
        common.put("SEXTANT_HTTP_SHUTDOWN_DRAIN", "0s");
        System.out.println("ThreeRolesIT: node logs in " + workDir.toAbsolutePath());

        PackagedJar jar = new PackagedJar(workDir);
        List<Instance> started = new ArrayList<>();
        FirstRequestHeld held = new FirstRequestHeld();
        try (WebhookReceiver receiver = held.receiver()) {
            Instance api = jar.start("api", PackagedJar.freePort(), roles(common, "api"));
            started.add(api);
            Duration apiStart = api.awaitHealthy(HEALTHY_WITHIN);

            Setup setup = setUp(api.api(), receiver);

            // Started after the setup, the ingest node loads the zone and the asset as it starts.
            Instant nodesStarting = Instant.now();
            Instance ingest = jar.start("ingest", PackagedJar.freePort(), roles(common, "ingest"));
            started.add(ingest);
            Instance worker = jar.start("worker", PackagedJar.freePort(), roles(common, "worker"));
            started.add(worker);
            ingest.awaitHealthy(HEALTHY_WITHIN);
            Duration ingestStart = Duration.between(nodesStarting, Instant.now());
            worker.awaitHealthy(HEALTHY_WITHIN);
            Duration workerStart = Duration.between(nodesStarting, Instant.now());

            String token = setup.token();
            assertMisdirected(api.api(), ingest.api(), worker.api(), token);

            try (SseClient stream = SseClient.open(api.api().baseUrl() + "/api/v1/events/stream", token, null)) {
                assertThat(stream.nextComment(Duration.ofSeconds(10))).isEqualTo("connected");
                Instant base = Instant.now().truncatedTo(ChronoUnit.MILLIS).minusSeconds(60);

                ingest(ingest.api(), token, setup.externalId(), base, OUTSIDE);
                Instant entering = ingest(ingest.api(), token, setup.externalId(), base.plusSeconds(10), INSIDE);
                SseClient.Message entered = awaitEvent(stream, EventTypes.ZONE_ENTERED);
                Duration enteredToSse = Duration.between(entering, Instant.now());
                assertThat(entered.data().get("data").get("assetId").asString()).isEqualTo(setup.assetId());
                assertThat(entered.data().get("data").get("zoneId").asString()).isEqualTo(setup.zoneId());
                await().atMost(PATIENCE)
                        .until(() -> latestOn(api.api(), token, setup.assetId())
                                .equals(Optional.of(List.of(INSIDE[0], INSIDE[1]))));

                // The worker is mid-delivery: the receiver holds its request open, unanswered.
                assertThat(held.arrived().await(PATIENCE.toMillis(), TimeUnit.MILLISECONDS))
                        .as("the worker's first delivery arrived")
                        .isTrue();
                assertThat(held.webhookId()).isEqualTo(entered.id());
                Duration enteredToWebhook = Duration.between(entering, held.arrivedAt());
                assertThat(worker.process().isAlive()).isTrue();
                worker.kill();
                Instant killedAt = Instant.now();
                assertThat(worker.process().isAlive()).isFalse();
                held.release();

                // With no worker, ingest and the api node go on: the exit is streamed and followed.
                Instant leaving = ingest(ingest.api(), token, setup.externalId(), base.plusSeconds(20), GONE);
                SseClient.Message exited = awaitEvent(stream, EventTypes.ZONE_EXITED);
                Duration exitedToSse = Duration.between(leaving, Instant.now());
                assertThat(exited.data().get("data").get("zoneId").asString()).isEqualTo(setup.zoneId());
                await().atMost(PATIENCE)
                        .until(() -> latestOn(api.api(), token, setup.assetId())
                                .equals(Optional.of(List.of(GONE[0], GONE[1]))));

                Instant restarting = Instant.now();
                Instance restarted = jar.start("worker-restarted", PackagedJar.freePort(), roles(common, "worker"));
                started.add(restarted);
                Duration workerRestart = restarted.awaitHealthy(HEALTHY_WITHIN);
                Instant workerBack = Instant.now();

                List<String> events = eventIds(api.api(), token);
                assertThat(events).containsExactlyInAnyOrder(entered.id(), exited.id());
                List<JsonNode> deliveries = await().atMost(REDELIVERED_WITHIN)
                        .pollInterval(Duration.ofMillis(250))
                        .until(
                                () -> deliveries(api.api(), token, setup.subscriptionId()),
                                items -> items.size() == events.size()
                                        && items.stream()
                                                .allMatch(d -> d.get("status")
                                                        .asString()
                                                        .equals("delivered")));
                assertThat(deliveries)
                        .extracting(d -> d.get("eventId").asString())
                        .containsExactlyInAnyOrderElementsOf(events);

                List<WebhookReceiver.Request> requests = receiver.requests();
                assertThat(requests)
                        .as("every request is signed with the subscription's secret")
                        .allMatch(r -> r.signatureVerifies(setup.secret()));
                Map<String, Long> perEvent = requests.stream()
                        .collect(Collectors.groupingBy(
                                WebhookReceiver.Request::webhookId, TreeMap::new, Collectors.counting()));
                assertThat(perEvent.keySet()).containsExactlyInAnyOrderElementsOf(events);
                assertThat(perEvent.get(entered.id()))
                        .as("the delivery cut off by the kill was sent again")
                        .isGreaterThanOrEqualTo(2);
                Instant redelivered = requests.stream()
                        .filter(r -> r.webhookId().equals(entered.id())
                                && r.arrived().isAfter(killedAt))
                        .map(WebhookReceiver.Request::arrived)
                        .min(Instant::compareTo)
                        .orElseThrow();
                assertThat(Duration.between(workerBack, redelivered))
                        .as("the killed worker's lease ran out within %s of the kill", "15 s")
                        .isLessThan(REDELIVERED_AFTER_RESTART_WITHIN);
                Instant exitDelivered = requests.stream()
                        .filter(r -> r.webhookId().equals(exited.id()))
                        .map(WebhookReceiver.Request::arrived)
                        .min(Instant::compareTo)
                        .orElseThrow();
                assertThat(exitDelivered)
                        .as("ordered per asset (the default), the exit waited for the cut-off entry")
                        .isAfterOrEqualTo(redelivered);
                assertThat(keysUnder(prefix))
                        .as("the jobs lived in Redis under the deployment's prefix")
                        .contains(prefix + "jobs:ready");

                System.out.printf(
                        "ThreeRolesIT timings: api node healthy in %d ms; ingest and worker nodes (started together)"
                                + " in %d ms and %d ms; worker restart %d ms%n",
                        apiStart.toMillis(), ingestStart.toMillis(), workerStart.toMillis(), workerRestart.toMillis());
                System.out.printf(
                        "ThreeRolesIT timings: zone entered -> SSE on the api node %d ms, -> webhook from the worker"
                                + " %d ms; zone exited -> SSE %d ms (no worker running)%n",
                        enteredToSse.toMillis(), enteredToWebhook.toMillis(), exitedToSse.toMillis());
                System.out.printf(
                        "ThreeRolesIT timings: kill -> redelivery of the cut-off event %d ms (its lease, no longer"
                                + " renewed, expires within 15 s); worker restart began -> exit event's webhook %d ms (it waits, ordered per asset,"
                                + " for the cut-off one)%n",
                        Duration.between(killedAt, redelivered).toMillis(),
                        Duration.between(restarting, exitDelivered).toMillis());
                System.out.println("ThreeRolesIT: webhook requests per event " + perEvent + " ("
                        + (requests.size() - perEvent.size()) + " duplicates), all signed correctly");
            }
        } finally {
            held.release();
            for (Instance instance : started.reversed()) {
                if (instance.process().isAlive()) {
                    instance.stop();
                }
            }
            deleteKeysUnder(prefix);
        }
    }

    /** What the test created on the api node. */
    private record Setup(
            String token, String assetId, String externalId, String zoneId, String subscriptionId, String secret) {}

    private static Setup setUp(ApiClient api, WebhookReceiver receiver) {
        String adminToken = api.signIn("admin", PASSWORD);
        String slug = "roles-" + UUID.randomUUID().toString().substring(0, 8);
        Response tenant = api.post("/api/v1/tenants")
                .bearer(adminToken)
                .json(Map.of("slug", slug, "name", "Three roles"))
                .send();
        assertThat(tenant.status()).as("%s", tenant).isEqualTo(201);
        Response user = api.post("/api/v1/tenants/" + tenant.json().get("id").asString() + "/users")
                .bearer(adminToken)
                .json(Map.of("username", "admin@" + slug, "password", PASSWORD, "roles", List.of("admin")))
                .send();
        assertThat(user.status()).as("%s", user).isEqualTo(201);
        String token = api.signIn("admin@" + slug, PASSWORD);

        String externalId = "truck-" + slug;
        Response asset = api.post("/api/v1/assets")
                .bearer(token)
                .json(Map.of("externalId", externalId, "name", externalId, "type", "vehicle"))
                .send();
        assertThat(asset.status()).as("%s", asset).isEqualTo(201);
        Response zone = api.post("/api/v1/zones")
                .bearer(token)
                .json(Map.of("name", "Yard", "geometry", Map.of("type", "Polygon", "coordinates", List.of(YARD))))
                .send();
        assertThat(zone.status()).as("%s", zone).isEqualTo(201);
        // A long timeout: the attempt is still waiting for its answer when the worker is killed.
        Response subscription = api.post("/api/v1/subscriptions")
                .bearer(token)
                .json(Map.of(
                        "name",
                        "yard hook",
                        "channel",
                        Map.of("type", "webhook", "url", receiver.url(), "timeoutMs", 30_000)))
                .send();
        assertThat(subscription.status()).as("%s", subscription).isEqualTo(201);
        return new Setup(
                token,
                asset.json().get("id").asString(),
                externalId,
                zone.json().get("id").asString(),
                subscription.json().get("id").asString(),
                subscription.json().get("secret").asString());
    }

    /**
     * A receiver that answers 204 at once, except to the first request: that one it holds open,
     * unanswered, until released (once its sender has been killed).
     */
    private static final class FirstRequestHeld {

        private final CountDownLatch arrived = new CountDownLatch(1);
        private final CountDownLatch released = new CountDownLatch(1);
        private final AtomicBoolean first = new AtomicBoolean(true);
        private volatile Instant arrivedAt = Instant.MAX;
        private volatile String webhookId = "";

        WebhookReceiver receiver() {
            return new WebhookReceiver(request -> {
                if (first.compareAndSet(true, false)) {
                    arrivedAt = request.arrived();
                    webhookId = request.webhookId();
                    arrived.countDown();
                    try {
                        released.await(5, TimeUnit.MINUTES);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                return new WebhookReceiver.Answer(204, 0);
            });
        }

        CountDownLatch arrived() {
            return arrived;
        }

        Instant arrivedAt() {
            return arrivedAt;
        }

        String webhookId() {
            return webhookId;
        }

        void release() {
            released.countDown();
        }
    }

    /** Each node refuses what another role serves: 421, not a silent success or a 404. */
    private static void assertMisdirected(ApiClient api, ApiClient ingest, ApiClient worker, String token) {
        List<Map<String, Object>> position =
                List.of(position("nobody", Instant.now().minusSeconds(1), OUTSIDE[0], OUTSIDE[1]));
        assertThat(api.post("/api/v1/positions")
                        .bearer(token)
                        .json(position)
                        .send()
                        .status())
                .isEqualTo(421);
        assertThat(worker.post("/api/v1/positions")
                        .bearer(token)
                        .json(position)
                        .send()
                        .status())
                .isEqualTo(421);
        Response assets = ingest.get("/api/v1/assets").bearer(token).send();
        assertThat(assets.status()).isEqualTo(421);
        assertThat(assets.isProblem()).isTrue();
        assertThat(worker.get("/api/v1/assets").bearer(token).send().status()).isEqualTo(421);
    }

    /** Posts one position, asserts it accepted, and returns when the answer came. */
    private static Instant ingest(ApiClient ingest, String token, String externalId, Instant time, double[] lonLat) {
        Response response = ingest.post("/api/v1/positions")
                .bearer(token)
                .json(List.of(position(externalId, time, lonLat[0], lonLat[1])))
                .send();
        assertThat(response.status()).as("%s", response).isEqualTo(200);
        assertThat(response.json().get("accepted").asInt()).as("%s", response).isEqualTo(1);
        return Instant.now();
    }

    private static Map<String, Object> position(String externalId, Instant time, double lon, double lat) {
        return Map.of("externalId", externalId, "time", time.toString(), "lon", lon, "lat", lat);
    }

    /** The next message of {@code type} on the stream; fails if none comes within the patience. */
    private static SseClient.Message awaitEvent(SseClient stream, String type) {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        List<String> seen = new ArrayList<>();
        while (System.nanoTime() < deadline) {
            List<SseClient.Message> next = stream.take(1, Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
            if (next.isEmpty()) {
                break;
            }
            SseClient.Message message = next.getFirst();
            if (type.equals(message.event())) {
                assertThat(message.data().get("type").asString()).isEqualTo(type);
                assertThat(message.data().get("id").asString()).isEqualTo(message.id());
                return message;
            }
            seen.add(message.event());
        }
        throw new AssertionError("no " + type + " on the stream within " + PATIENCE + "; saw " + seen);
    }

    /** The asset's latest position as {@code node} serves it from its live index: [lon, lat]. */
    private static Optional<List<Double>> latestOn(ApiClient node, String token, String assetId) {
        Response response = node.get("/api/v1/positions/latest?bbox=-180,-90,180,90&limit=1000")
                .bearer(token)
                .send();
        assertThat(response.status()).as("%s", response).isEqualTo(200);
        for (JsonNode feature : response.json().get("features")) {
            if (feature.get("properties").get("assetId").asString().equals(assetId)) {
                JsonNode coordinates = feature.get("geometry").get("coordinates");
                return Optional.of(List.of(
                        coordinates.get(0).asDouble(), coordinates.get(1).asDouble()));
            }
        }
        return Optional.empty();
    }

    private static List<String> eventIds(ApiClient api, String token) {
        Response page = api.get("/api/v1/events?limit=500").bearer(token).send();
        assertThat(page.status()).as("%s", page).isEqualTo(200);
        assertThat(page.json().path("nextCursor").isNull()
                        || page.json().path("nextCursor").isMissingNode())
                .isTrue();
        return page.json()
                .get("items")
                .valueStream()
                .map(e -> e.get("id").asString())
                .toList();
    }

    private static List<JsonNode> deliveries(ApiClient api, String token, String subscriptionId) {
        Response response = api.get("/api/v1/subscriptions/" + subscriptionId + "/deliveries?limit=500")
                .bearer(token)
                .send();
        assertThat(response.status()).as("%s", response).isEqualTo(200);
        return response.json().get("items").valueStream().toList();
    }

    private static Map<String, String> roles(Map<String, String> common, String roles) {
        Map<String, String> settings = new LinkedHashMap<>(common);
        settings.put("SEXTANT_ROLES", roles);
        return settings;
    }

    private static Set<String> keysUnder(String prefix) {
        RedisClient client = RedisClient.create(TestRedis.url());
        try (StatefulRedisConnection<String, String> connection = client.connect()) {
            RedisCommands<String, String> redis = connection.sync();
            Set<String> keys = new java.util.TreeSet<>();
            ScanCursor cursor = ScanCursor.INITIAL;
            do {
                KeyScanCursor<String> page = redis.scan(
                        cursor, ScanArgs.Builder.matches(prefix + "*").limit(500));
                keys.addAll(page.getKeys());
                cursor = page;
            } while (!cursor.isFinished());
            return keys;
        } finally {
            client.shutdown();
        }
    }

    private static void deleteKeysUnder(String prefix) {
        Set<String> keys = keysUnder(prefix);
        if (keys.isEmpty()) {
            return;
        }
        RedisClient client = RedisClient.create(TestRedis.url());
        try (StatefulRedisConnection<String, String> connection = client.connect()) {
            connection.sync().del(keys.toArray(String[]::new));
        } finally {
            client.shutdown();
        }
    }
}
