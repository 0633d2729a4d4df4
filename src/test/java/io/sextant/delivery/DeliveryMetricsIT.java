package io.sextant.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sextant.events.EventTypes;
import io.sextant.testing.ApiClient.Response;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * What {@code /actuator/prometheus} shows of deliveries: histogram buckets for the timers, the jobs'
 * queue depth and each subscription's backlog. Receivers that hang until the test lets them go keep
 * deliveries unfinished for as long as a gauge needs to be read (they refresh every 5 s).
 */
class DeliveryMetricsIT extends DeliveryIT {

    private static final Duration GAUGE_PATIENCE = Duration.ofSeconds(20);

    @Test
    void the_ingest_fence_evaluation_delivery_and_request_timers_publish_bounded_histogram_buckets() {
        TenantFixture tenant = newTenant();
        createAsset(tenant.adminToken(), "histogram-truck", "vehicle", List.of());
        Response ingested = api.post("/api/v1/positions")
                .bearer(tenant.adminToken())
                .json(List.of(Map.of(
                        "externalId", "histogram-truck", "time", Instant.now().toString(), "lon", 4.9, "lat", 52.37)))
                .send();
        assertThat(ingested.status()).as(ingested.toString()).isEqualTo(200);
        try (WebhookReceiver receiver = WebhookReceiver.answering(204)) {
            String id = webhook(tenant.adminToken(), receiver.url(), Map.of())
                    .get("id")
                    .asString();
            append(tenant.id(), EventTypes.ZONE_ENTERED, UUID.randomUUID(), Instant.now());
            deliveries(tenant.adminToken(), id, allFinal(1));
        }

        String metrics = scrape();

        for (String timer : List.of(
                "sextant_ingest_commit_seconds",
                "sextant_ingest_lag_seconds",
                "sextant_fences_evaluation_seconds",
                "sextant_delivery_latency_seconds",
                "sextant_events_relay_lag_seconds",
                "sextant_jobs_run_seconds",
                "http_server_requests_seconds")) {
            List<String> buckets = metrics.lines()
                    .filter(l -> l.startsWith(timer + "_bucket{"))
                    .toList();
            assertThat(buckets).as("buckets of %s", timer).isNotEmpty();
            // One series' buckets: those sharing the first line's labels apart from le.
            String series = buckets.getFirst().replaceAll(",?le=\"[^\"]*\"", "").replaceAll(" .*", "");
            long perSeries = buckets.stream()
                    .filter(l -> l.replaceAll(",?le=\"[^\"]*\"", "")
                            .replaceAll(" .*", "")
                            .equals(series))
                    .count();
            assertThat(perSeries).as("buckets per series of %s", timer).isBetween(10L, 110L);
        }
        assertThat(metrics)
                .as("an exact bucket for deliveries within 5 minutes")
                .containsPattern("sextant_delivery_latency_seconds_bucket\\{channel=\"webhook\",le=\"300\\.0\"}");
    }

    @Test
    void deliveries_in_flight_to_a_hanging_receiver_are_counted_as_queued_jobs() {
        TenantFixture tenant = newTenant();
        CountDownLatch release = new CountDownLatch(1);
        try (WebhookReceiver receiver = hangingUntil(release)) {
            subscribe(tenant.adminToken(), hanging(receiver));
            for (int i = 0; i < 3; i++) {
                append(tenant.id(), EventTypes.ZONE_ENTERED, UUID.randomUUID(), Instant.now());
            }

            // Three assets, four workers: every delivery is mid-attempt, none is waiting to be claimed.
            await().atMost(GAUGE_PATIENCE).pollInterval(Duration.ofMillis(250)).untilAsserted(() -> {
                String metrics = scrape();
                assertThat(gauge(metrics, "sextant_jobs_queued", "kind", "delivery"))
                        .hasValueSatisfying(v -> assertThat(v).isGreaterThanOrEqualTo(3));
                assertThat(gauge(metrics, "sextant_jobs_running", "kind", "delivery"))
                        .hasValueSatisfying(v -> assertThat(v).isGreaterThanOrEqualTo(3));
            });
        } finally {
            release.countDown();
        }
    }

    @Test
    void the_backlog_gauges_count_each_subscriptions_unfinished_deliveries_and_age_and_drop_deleted_ones() {
        TenantFixture tenant = newTenant();
        UUID truck = UUID.randomUUID();
        CountDownLatch release = new CountDownLatch(1);
        try (WebhookReceiver stuck = hangingUntil(release);
                WebhookReceiver idle = WebhookReceiver.answering(204)) {
            String stuckId =
                    subscribe(tenant.adminToken(), hanging(stuck)).get("id").asString();
            JsonNode idleSubscription =
                    webhook(tenant.adminToken(), idle.url(), Map.of("types", List.of(EventTypes.ASSET_STALE)));
            String idleId = idleSubscription.get("id").asString();
            for (int i = 0; i < 4; i++) {
                append(tenant.id(), EventTypes.ZONE_ENTERED, truck, Instant.now());
            }

            // The truck's first event hangs in its attempt; the other three wait behind it.
            await().atMost(GAUGE_PATIENCE).pollInterval(Duration.ofMillis(250)).untilAsserted(() -> {
                String metrics = scrape();
                assertThat(gauge(metrics, "sextant_delivery_backlog", "subscription", stuckId))
                        .hasValue(4.0);
                assertThat(gauge(metrics, "sextant_delivery_backlog_oldest_seconds", "subscription", stuckId))
                        .hasValueSatisfying(age -> assertThat(age).isGreaterThan(1.0));
                assertThat(gauge(metrics, "sextant_delivery_backlog", "subscription", idleId))
                        .hasValue(0.0);
                assertThat(gauge(metrics, "sextant_delivery_backlog_oldest_seconds", "subscription", idleId))
                        .hasValue(0.0);
            });
            assertThat(gauge(scrape(), "sextant_delivery_backlog", "subscription", stuckId, "tenant", tenant.id()))
                    .isPresent();

            release.countDown();
            deliveries(tenant.adminToken(), stuckId, allFinal(4));
            await().atMost(GAUGE_PATIENCE)
                    .pollInterval(Duration.ofMillis(250))
                    .until(() -> gauge(scrape(), "sextant_delivery_backlog", "subscription", stuckId)
                            .equals(Optional.of(0.0)));

            Response deleted = api.delete(SUBSCRIPTIONS + "/" + idleId)
                    .bearer(tenant.adminToken())
                    .send();
            assertThat(deleted.status()).isEqualTo(204);
            await().atMost(GAUGE_PATIENCE).pollInterval(Duration.ofMillis(250)).until(() -> !scrape().contains(idleId));
            assertThat(gauge(scrape(), "sextant_delivery_backlog", "subscription", stuckId))
                    .hasValue(0.0);
        } finally {
            release.countDown();
        }
    }

    /** A receiver whose every request waits for {@code release} (up to 25 s), then succeeds. */
    private static WebhookReceiver hangingUntil(CountDownLatch release) {
        return new WebhookReceiver(request -> {
            try {
                release.await(25, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return new WebhookReceiver.Answer(200, 0);
        });
    }

    private static Map<String, Object> hanging(WebhookReceiver receiver) {
        return Map.of(
                "name",
                "hanging " + UUID.randomUUID(),
                "channel",
                Map.of("type", "webhook", "url", receiver.url(), "timeoutMs", 30_000));
    }

    private String scrape() {
        Response response = api.get("/actuator/prometheus").send();
        assertThat(response.status()).isEqualTo(200);
        return response.body();
    }

    /** The value of the one series of {@code name} carrying every given label, if there is one. */
    private static Optional<Double> gauge(String metrics, String name, String... labels) {
        List<String> lines = metrics.lines()
                .filter(l -> l.startsWith(name + "{"))
                .filter(l -> {
                    for (int i = 0; i < labels.length; i += 2) {
                        if (!l.contains(labels[i] + "=\"" + labels[i + 1] + "\"")) {
                            return false;
                        }
                    }
                    return true;
                })
                .collect(Collectors.toList());
        assertThat(lines).as("series of %s with %s", name, List.of(labels)).hasSizeLessThanOrEqualTo(1);
        return lines.isEmpty()
                ? Optional.empty()
                : Optional.of(Double.parseDouble(
                        lines.getFirst().substring(lines.getFirst().lastIndexOf(' ') + 1)));
    }
}
