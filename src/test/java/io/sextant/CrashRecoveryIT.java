package io.sextant;

import static org.assertj.core.api.Assertions.assertThat;

import io.sextant.testing.ApiClient;
import io.sextant.testing.ApiClient.Response;
import io.sextant.testing.PackagedJar;
import io.sextant.testing.PackagedJar.Instance;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * The packaged jar on its embedded database, killed the hard way: the JVM alone (its database
 * outlives it), and the JVM together with its database in the middle of concurrent ingest. Every
 * start must come up by itself, and every position acknowledged before a kill must be there after.
 * A client that retries a batch cut by a kill under its Idempotency-Key gets it answered.
 */
// Generous bounds, only against a hang: on a loaded machine one start of the jar can take minutes.
@Timeout(value = 30, unit = TimeUnit.MINUTES)
class CrashRecoveryIT {

    private static final String PASSWORD = "crash-test-admin-password";
    private static final Duration HEALTHY_WITHIN = Duration.ofMinutes(5);
    private static final int KILLS = 3;
    private static final int CLIENTS = 4;
    private static final int ASSETS = 8;
    private static final int BATCH = 200;
    /** Longer than a restart takes here (about 15 s), so that retries meet the dead requests' claims. */
    private static final Duration LEASE = Duration.ofSeconds(30);

    @TempDir
    Path workDir;

    @Test
    void a_service_killed_alone_comes_up_by_itself_stopping_the_database_it_left_running() throws Exception {
        PackagedJar jar = new PackagedJar(workDir);
        int port = PackagedJar.freePort();
        Instance first = jar.start("first", port, settings());
        first.awaitHealthy(HEALTHY_WITHIN);
        String token = first.api().signIn("admin", PASSWORD);
        String assetId = createAsset(first.api(), token, "kill-1");
        Response ingested = first.api()
                .post("/api/v1/positions")
                .bearer(token)
                .json(List.of(position("kill-1", Instant.now().minusSeconds(5), 4.9, 52.37)))
                .send();
        assertThat(ingested.json().get("accepted").asInt()).isEqualTo(1);
        long postmaster = postmasterPid(jar);

        first.kill();
        assertThat(ProcessHandle.of(postmaster).map(ProcessHandle::isAlive))
                .as("pg_ctl detached the postmaster: it outlives the JVM")
                .contains(true);

        Instance second = jar.start("second", port, settings());
        try {
            second.awaitHealthy(HEALTHY_WITHIN);
            assertThat(second.output())
                    .contains("Stopped the stale PostgreSQL server (pid " + postmaster + ") on " + jar.dataDir());
            assertThat(ProcessHandle.of(postmaster).filter(ProcessHandle::isAlive))
                    .isEmpty();
            Response asset =
                    second.api().get("/api/v1/assets/" + assetId).bearer(token).send();
            assertThat(asset.status()).isEqualTo(200);
            Response nearest = second.api()
                    .get("/api/v1/positions/latest?near=4.9,52.37&k=1")
                    .bearer(token)
                    .send();
            assertThat(nearest.json()
                            .get("features")
                            .get(0)
                            .get("properties")
                            .get("assetId")
                            .asString())
                    .isEqualTo(assetId);

            // A second service on the same data directory while this one lives: refused, not a silent wait.
            Instance intruder = jar.start("intruder", PackagedJar.freePort(), settings());
            assertThat(intruder.process().waitFor(HEALTHY_WITHIN.toSeconds(), TimeUnit.SECONDS))
                    .as("the second service gave up by itself")
                    .isTrue();
            assertThat(intruder.process().exitValue()).isNotZero();
            assertThat(intruder.output())
                    .contains("the data directory " + jar.dataDir() + " is in use by another running Sextant (pid "
                            + second.process().pid() + ")");
            assertThat(second.api().get("/actuator/health").send().status()).isEqualTo(200);
        } finally {
            second.stop();
        }
        assertThat(jar.dataDir().resolve("postmaster.pid"))
                .as("the embedded PostgreSQL server stopped with the service")
                .doesNotExist();
    }

    @Test
    void every_acknowledged_position_survives_repeated_kills_of_the_service_and_its_database_mid_ingest()
            throws Exception {
        PackagedJar jar = new PackagedJar(workDir);
        int port = PackagedJar.freePort();
        Instance service = jar.start("run-0", port, settings());
        service.awaitHealthy(HEALTHY_WITHIN);
        String token = service.api().signIn("admin", PASSWORD);
        Map<String, String> assetIds = new LinkedHashMap<>();
        for (int i = 0; i < ASSETS; i++) {
            assetIds.put("crash-" + i, createAsset(service.api(), token, "crash-" + i));
        }
        // Each asset's positions are a millisecond apart from here on, so every one is new.
        Instant base = Instant.now().minus(2, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS);
        Map<String, AtomicLong> sequence = new HashMap<>();
        assetIds.keySet().forEach(externalId -> sequence.put(externalId, new AtomicLong()));
        Map<String, Set<Instant>> acknowledged = new ConcurrentHashMap<>();
        assetIds.keySet().forEach(externalId -> acknowledged.put(externalId, ConcurrentHashMap.newKeySet()));

        for (int kill = 1; kill <= KILLS; kill++) {
            AtomicBoolean running = new AtomicBoolean(true);
            AtomicInteger batchesAcknowledged = new AtomicInteger();
            List<Thread> clients = new ArrayList<>();
            for (int client = 0; client < CLIENTS; client++) {
                List<String> own = List.of("crash-" + client, "crash-" + (client + CLIENTS));
                ApiClient api = service.api();
                clients.add(Thread.ofPlatform()
                        .name("ingest-" + client)
                        .start(() ->
                                ingest(api, token, own, base, sequence, acknowledged, running, batchesAcknowledged)));
            }
            int before = batchesAcknowledged.get();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (batchesAcknowledged.get() < before + 10 && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertThat(batchesAcknowledged.get())
                    .as("ingest under way before kill %d", kill)
                    .isGreaterThanOrEqualTo(before + 10);

            // The service and its database die at the same moment, mid-ingest.
            killWithItsDatabase(jar, service, running, clients);

            service = jar.start("run-" + kill, port, settings());
            service.awaitHealthy(HEALTHY_WITHIN);
        }

        try {
            // Latest positions are written behind ingest: each start catches the table up with the
            // history, so after the last kill each asset's latest is its newest stored position.
            Response latestPage = service.api()
                    .get("/api/v1/positions/latest?limit=1000")
                    .bearer(token)
                    .send();
            assertThat(latestPage.status()).as(latestPage.body()).isEqualTo(200);
            Map<String, Instant> latest = new HashMap<>();
            latestPage
                    .json()
                    .get("features")
                    .forEach(feature -> latest.put(
                            feature.get("id").asString(),
                            Instant.parse(feature.get("properties").get("time").asString())));
            int total = 0;
            for (Map.Entry<String, String> asset : assetIds.entrySet()) {
                Set<Instant> stored = track(service.api(), token, asset.getValue(), base);
                Set<Instant> missing = new HashSet<>(acknowledged.get(asset.getKey()));
                missing.removeAll(stored);
                assertThat(missing)
                        .as("acknowledged positions of %s missing after %d kills", asset.getKey(), KILLS)
                        .isEmpty();
                assertThat(latest.get(asset.getValue()))
                        .as("latest position of %s after %d kills", asset.getKey(), KILLS)
                        .isEqualTo(stored.stream().max(Instant::compareTo).orElseThrow());
                total += acknowledged.get(asset.getKey()).size();
            }
            assertThat(total).isGreaterThan(0);
            System.out.println("CrashRecoveryIT: " + total + " acknowledged positions, all found after " + KILLS
                    + " kills of the service and its database");
        } finally {
            service.stop();
        }
    }

    @Test
    void a_client_that_retries_with_its_idempotency_key_after_a_kill_gets_every_batch_answered() throws Exception {
        PackagedJar jar = new PackagedJar(workDir);
        int port = PackagedJar.freePort();
        Map<String, String> settings = new HashMap<>(settings());
        settings.put("SEXTANT_HTTP_IDEMPOTENCY_LEASE", LEASE.toSeconds() + "s");
        Instance service = jar.start("keyed-0", port, settings);
        service.awaitHealthy(HEALTHY_WITHIN);
        String token = service.api().signIn("admin", PASSWORD);
        List<String> assetIds = new ArrayList<>();
        for (int client = 0; client < CLIENTS; client++) {
            assetIds.add(createAsset(service.api(), token, "keyed-" + client));
        }
        Instant base = Instant.now().minus(2, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS);
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicInteger answered = new AtomicInteger();
        List<KeyedClient> clients = new ArrayList<>();
        for (int client = 0; client < CLIENTS; client++) {
            clients.add(new KeyedClient("keyed-" + client, base));
        }
        List<Thread> threads = new ArrayList<>();
        for (KeyedClient client : clients) {
            ApiClient api = service.api();
            threads.add(Thread.ofPlatform().start(() -> client.sendUntilCut(api, token, running, answered)));
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (answered.get() < 10 && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(answered.get()).as("batches answered before the kill").isGreaterThanOrEqualTo(10);

        // The service and its database die at the same moment, while every client waits for an answer.
        killWithItsDatabase(jar, service, running, threads);

        service = jar.start("keyed-1", port, settings);
        try {
            service.awaitHealthy(HEALTHY_WITHIN);
            int cut = 0;
            int heldByTheDead = 0;
            int replayed = 0;
            for (KeyedClient client : clients) {
                if (client.unanswered == null) {
                    continue;
                }
                cut++;
                // The batch's fate is unknown: send it again under its key until the service answers.
                Response answer = null;
                long retryUntil = System.nanoTime() + LEASE.plusSeconds(60).toNanos();
                while (System.nanoTime() < retryUntil) {
                    answer = client.send(service.api(), token, client.unanswered);
                    if (answer.status() != 409) {
                        break;
                    }
                    assertThat(answer.header("Retry-After")).isEqualTo("1");
                    client.refusedAsRunning++;
                    Thread.sleep(1000);
                }
                assertThat(answer).isNotNull();
                assertThat(answer.status())
                        .as(
                                "the retry of %s's batch cut by the kill (refused %d times as still running): %s",
                                client.externalId, client.refusedAsRunning, answer)
                        .isEqualTo(200);
                for (JsonNode item : answer.json().get("items")) {
                    assertThat(item.get("status").asString()).isIn("accepted", "duplicate");
                }
                client.stored.addAll(client.unanswered.times());
                heldByTheDead += client.refusedAsRunning > 0 ? 1 : 0;
                replayed += "true".equals(answer.header("Idempotent-Replayed")) ? 1 : 0;
            }
            for (int i = 0; i < CLIENTS; i++) {
                KeyedClient client = clients.get(i);
                Set<Instant> stored = track(service.api(), token, assetIds.get(i), base);
                assertThat(stored)
                        .as("every batch of %s answered, before the kill or on its retry after it", client.externalId)
                        .containsAll(client.stored);
            }
            assertThat(cut).as("batches cut by the kill").isPositive();
            System.out.println("CrashRecoveryIT: " + cut + " batches cut by the kill, all answered on retry: "
                    + heldByTheDead + " after their dead request's claim ran out, " + replayed + " replayed");
        } finally {
            service.stop();
        }
    }

    /** One asset's client: a fresh Idempotency-Key per batch, and the batch it had in flight when cut. */
    private static final class KeyedClient {

        final String externalId;
        final Instant base;
        final Set<Instant> stored = ConcurrentHashMap.newKeySet();
        long next;
        Batch unanswered;
        int refusedAsRunning;

        KeyedClient(String externalId, Instant base) {
            this.externalId = externalId;
            this.base = base;
        }

        void sendUntilCut(ApiClient api, String token, AtomicBoolean running, AtomicInteger answered) {
            while (running.get()) {
                List<Instant> times = new ArrayList<>();
                for (int i = 0; i < BATCH; i++) {
                    times.add(base.plusMillis(next++));
                }
                Batch batch = new Batch("batch-" + UUID.randomUUID(), times);
                try {
                    Response response = send(api, token, batch);
                    if (response.status() != 200) {
                        // the database died first, and the service answered before it died too
                        unanswered = batch;
                        return;
                    }
                    stored.addAll(times);
                    answered.incrementAndGet();
                } catch (RuntimeException connectionLost) {
                    unanswered = batch;
                    return;
                }
            }
        }

        Response send(ApiClient api, String token, Batch batch) {
            List<Map<String, Object>> positions = new ArrayList<>();
            for (int i = 0; i < batch.times().size(); i++) {
                positions.add(position(externalId, batch.times().get(i), 4.9 + (i % 100) * 0.001, 52.37));
            }
            return api.post("/api/v1/positions")
                    .bearer(token)
                    .header("Idempotency-Key", batch.key())
                    .json(positions)
                    .send();
        }
    }

    private record Batch(String key, List<Instant> times) {}

    /** Sends batches until stopped, recording each position the service answered as accepted. */
    private static void ingest(
            ApiClient api,
            String token,
            List<String> assets,
            Instant base,
            Map<String, AtomicLong> sequence,
            Map<String, Set<Instant>> acknowledged,
            AtomicBoolean running,
            AtomicInteger batchesAcknowledged) {
        for (int round = 0; running.get(); round++) {
            String externalId = assets.get(round % assets.size());
            List<Instant> times = new ArrayList<>();
            List<Map<String, Object>> batch = new ArrayList<>();
            for (int i = 0; i < BATCH; i++) {
                Instant time = base.plusMillis(sequence.get(externalId).getAndIncrement());
                times.add(time);
                batch.add(position(externalId, time, 4.9 + (i % 100) * 0.001, 52.37));
            }
            try {
                Response response =
                        api.post("/api/v1/positions").bearer(token).json(batch).send();
                if (response.status() != 200) {
                    continue;
                }
                JsonNode items = response.json().get("items");
                for (JsonNode item : items) {
                    if (item.get("status").asString().equals("accepted")) {
                        acknowledged
                                .get(externalId)
                                .add(times.get(item.get("index").asInt()));
                    }
                }
                batchesAcknowledged.incrementAndGet();
            } catch (RuntimeException connectionLost) {
                // the service was killed: this batch's outcome is unknown, so it is not recorded
            }
        }
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
            assertThat(page.status()).as(page.body()).isEqualTo(200);
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

    private static String createAsset(ApiClient api, String token, String externalId) {
        Response created = api.post("/api/v1/assets")
                .bearer(token)
                .json(Map.of("externalId", externalId, "name", externalId, "type", "vehicle"))
                .send();
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        return created.json().get("id").asString();
    }

    private static Map<String, Object> position(String externalId, Instant time, double lon, double lat) {
        return Map.of("externalId", externalId, "time", time.toString(), "lon", lon, "lat", lat);
    }

    /** Kills the service and its database at once (kill -9), then stops its clients and waits for all. */
    private static void killWithItsDatabase(
            PackagedJar jar, Instance service, AtomicBoolean running, List<Thread> clients) throws Exception {
        ProcessHandle postmaster = ProcessHandle.of(postmasterPid(jar)).orElseThrow();
        postmaster.destroyForcibly();
        service.process().destroyForcibly();
        running.set(false);
        for (Thread client : clients) {
            client.join();
        }
        service.process().waitFor(30, TimeUnit.SECONDS);
        postmaster.onExit().get(30, TimeUnit.SECONDS);
    }

    private static long postmasterPid(PackagedJar jar) throws IOException {
        return Long.parseLong(Files.readAllLines(jar.dataDir().resolve("postmaster.pid"))
                .getFirst()
                .strip());
    }

    private static Map<String, String> settings() {
        return Map.of(
                "SEXTANT_BOOTSTRAP_ADMIN_PASSWORD",
                PASSWORD,
                // Ingest as fast as the clients can: the rate limit is not under test.
                "SEXTANT_HTTP_RATE_LIMIT_ENABLED",
                "false");
    }
}
