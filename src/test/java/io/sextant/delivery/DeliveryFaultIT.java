package io.sextant.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sextant.SextantApplication;
import io.sextant.events.EventLog;
import io.sextant.events.EventTypes;
import io.sextant.events.NewEvent;
import io.sextant.shared.TenantContext;
import io.sextant.testing.ApiClient;
import io.sextant.testing.ApiClient.Response;
import io.sextant.testing.TestDatabases;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Delivery under faults, end to end: a receiver that fails about a third of the requests with 500
 * and now and then answers only after the sender's timeout; 150 events over 10 assets; and the
 * service restarted (closed and started again on the same database) while deliveries are in
 * flight. Every event must arrive, every request must carry a valid signature, the retry schedule
 * must be honoured for every event, and each asset's events must first succeed in event order.
 */
class DeliveryFaultIT {

    private static final String ADMIN_PASSWORD = "fault-test-admin-password";
    private static final List<Duration> DELAYS = List.of(
            Duration.ofMillis(200),
            Duration.ofMillis(400),
            Duration.ofMillis(800),
            Duration.ofMillis(1600),
            Duration.ofMillis(3200));
    private static final double JITTER = 0.1;
    private static final int TIMEOUT_MS = 300;
    private static final int EVENTS = 150;
    private static final int ASSETS = 10;
    /** Failures per event the receiver gives at most: fewer than the six attempts each event has. */
    private static final int MAX_FAILURES_PER_EVENT = 3;

    @Test
    void every_event_arrives_signed_on_schedule_and_in_order_per_asset_across_a_restart() {
        Random random = new Random(20261123);
        Map<String, AtomicInteger> requestsPerEvent = new ConcurrentHashMap<>();
        try (WebhookReceiver receiver = new WebhookReceiver(request -> {
            int n = requestsPerEvent
                    .computeIfAbsent(request.webhookId(), id -> new AtomicInteger())
                    .incrementAndGet();
            double roll;
            synchronized (random) {
                roll = random.nextDouble();
            }
            if (n > MAX_FAILURES_PER_EVENT || roll >= 0.45) {
                return new WebhookReceiver.Answer(200, 0);
            }
            return roll < 1.0 / 3
                    ? new WebhookReceiver.Answer(500, 0)
                    : new WebhookReceiver.Answer(200, TIMEOUT_MS + 400);
        })) {
            String database = TestDatabases.create();
            List<UUID> assets = new ArrayList<>();
            for (int i = 0; i < ASSETS; i++) {
                assets.add(UUID.randomUUID());
            }
            Map<UUID, UUID> assetOfEvent = new LinkedHashMap<>();
            String secret;

            ConfigurableApplicationContext first = start(database);
            try {
                ApiClient api = new ApiClient(port(first));
                String token = api.signIn("admin", ADMIN_PASSWORD);
                UUID tenantId = UUID.fromString(api.get("/api/v1/me")
                        .bearer(token)
                        .send()
                        .json()
                        .get("tenantId")
                        .asString());
                Response created = api.post("/api/v1/subscriptions")
                        .bearer(token)
                        .json(Map.of(
                                "name",
                                "flaky receiver",
                                "channel",
                                Map.of("type", "webhook", "url", receiver.url(), "timeoutMs", TIMEOUT_MS)))
                        .send();
                assertThat(created.status()).as(created.toString()).isEqualTo(201);
                secret = created.json().get("secret").asString();

                EventLog eventLog = first.getBean(EventLog.class);
                TransactionTemplate transactions = first.getBean(TransactionTemplate.class);
                Instant base = Instant.now().minusSeconds(EVENTS);
                for (int i = 0; i < EVENTS; i++) {
                    UUID asset = assets.get(i % ASSETS);
                    Instant time = base.plusSeconds(i);
                    String type = i % 2 == 0 ? EventTypes.ZONE_ENTERED : EventTypes.ZONE_EXITED;
                    UUID id = TenantContext.callAs(
                            tenantId,
                            () -> transactions.execute(status -> eventLog.append(new NewEvent(
                                    tenantId,
                                    type,
                                    "/zones/depot",
                                    asset.toString(),
                                    time,
                                    asset,
                                    null,
                                    List.of(),
                                    List.of(),
                                    Map.of("sequence", assetOfEvent.size())))));
                    assetOfEvent.put(Objects.requireNonNull(id), asset);
                }

                await().atMost(Duration.ofSeconds(60))
                        .until(() -> succeededEvents(receiver).size() >= EVENTS / 4);
            } finally {
                first.close();
            }
            int deliveredBeforeRestart = succeededEvents(receiver).size();
            assertThat(deliveredBeforeRestart)
                    .as("deliveries were still in flight at the restart")
                    .isLessThan(EVENTS);

            ConfigurableApplicationContext second = start(database);
            try {
                await().atMost(Duration.ofMinutes(2))
                        .until(() -> succeededEvents(receiver).containsAll(ids(assetOfEvent)));
            } finally {
                second.close();
            }

            List<WebhookReceiver.Request> requests = receiver.requests();
            assertThat(succeededEvents(receiver)).containsExactlyInAnyOrderElementsOf(ids(assetOfEvent));
            assertThat(requests)
                    .allSatisfy(r -> assertThat(r.signatureVerifies(secret))
                            .as("signature of a request for %s", r.webhookId())
                            .isTrue());
            assertRetriesKeptTheSchedule(requests);
            assertFirstSuccessesInEventOrderPerAsset(requests, assetOfEvent, assets);
        }
    }

    private static void assertRetriesKeptTheSchedule(List<WebhookReceiver.Request> requests) {
        Map<String, List<WebhookReceiver.Request>> byEvent =
                requests.stream().collect(Collectors.groupingBy(WebhookReceiver.Request::webhookId));
        int retried = 0;
        for (List<WebhookReceiver.Request> attempts : byEvent.values()) {
            List<WebhookReceiver.Request> ordered = attempts.stream()
                    .sorted(Comparator.comparing(WebhookReceiver.Request::arrived))
                    .toList();
            for (int i = 1; i < ordered.size(); i++) {
                Duration delay = DELAYS.get(Math.min(i - 1, DELAYS.size() - 1));
                Duration least = Duration.ofNanos(Math.round(delay.toNanos() * (1 - JITTER)));
                assertThat(Duration.between(
                                ordered.get(i - 1).arrived(), ordered.get(i).arrived()))
                        .as(
                                "gap before attempt %d of event %s",
                                i + 1, ordered.get(i).webhookId())
                        .isGreaterThanOrEqualTo(least);
                retried++;
            }
        }
        assertThat(retried).as("retries happened at all").isGreaterThan(EVENTS / 4);
    }

    private static void assertFirstSuccessesInEventOrderPerAsset(
            List<WebhookReceiver.Request> requests, Map<UUID, UUID> assetOfEvent, List<UUID> assets) {
        Map<String, Instant> firstSuccess = new ConcurrentHashMap<>();
        requests.stream()
                .filter(WebhookReceiver.Request::succeeded)
                .forEach(r -> firstSuccess.merge(r.webhookId(), r.arrived(), (a, b) -> a.isBefore(b) ? a : b));
        for (UUID asset : assets) {
            List<Instant> inEventOrder = assetOfEvent.entrySet().stream()
                    .filter(e -> e.getValue().equals(asset))
                    .map(e -> firstSuccess.get(e.getKey().toString()))
                    .toList();
            assertThat(inEventOrder).as("first successes of asset %s", asset).isSorted();
        }
    }

    private static Set<String> succeededEvents(WebhookReceiver receiver) {
        return receiver.requests().stream()
                .filter(WebhookReceiver.Request::succeeded)
                .map(WebhookReceiver.Request::webhookId)
                .collect(Collectors.toSet());
    }

    private static List<String> ids(Map<UUID, UUID> assetOfEvent) {
        return assetOfEvent.keySet().stream().map(UUID::toString).toList();
    }

    /** The whole service on a random port over {@code database}, configured by its command line. */
    private static ConfigurableApplicationContext start(String database) {
        return new SpringApplicationBuilder(SextantApplication.class)
                .run(
                        "--server.port=0",
                        "--sextant.db.url=" + database,
                        "--sextant.auth.issuer=http://sextant.test",
                        "--sextant.auth.bootstrap.admin-password=" + ADMIN_PASSWORD,
                        "--sextant.http.rate-limit.enabled=false",
                        // The restart must come while deliveries are in flight: no drain in which
                        // the job worker would go on and work off the whole backlog first.
                        "--sextant.http.shutdown-drain=0s",
                        "--sextant.jobs.workers=" + ASSETS,
                        "--sextant.delivery.webhook.allowed-networks=127.0.0.1/32",
                        "--sextant.delivery.webhook.retry-delays="
                                + DELAYS.stream().map(d -> d.toMillis() + "ms").collect(Collectors.joining(",")),
                        "--sextant.delivery.webhook.retry-jitter=" + JITTER,
                        "--logging.level.root=WARN",
                        "--logging.level.io.sextant.jobs=WARN");
    }

    private static int port(ConfigurableApplicationContext context) {
        return Objects.requireNonNull(context.getEnvironment().getProperty("local.server.port", Integer.class));
    }
}
