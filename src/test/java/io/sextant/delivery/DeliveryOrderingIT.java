package io.sextant.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import io.sextant.events.EventTypes;
import io.sextant.events.NewEvent;
import io.sextant.shared.TenantContext;
import io.sextant.testing.ApiClient;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * A subscription's ordering against a receiver that fails one event's first attempts: ordered per
 * asset, the asset's later events wait until the failed one succeeds; with no ordering, they are
 * delivered while it waits for its retry. The events of one test are appended in one transaction,
 * so their deliveries are queued, and claimable, together.
 */
class DeliveryOrderingIT extends DeliveryIT {

    @Test
    void ordered_per_asset_an_assets_later_events_wait_until_its_failed_event_succeeds() {
        TenantFixture tenant = newTenant();
        UUID truck = UUID.randomUUID();
        UUID car = UUID.randomUUID();
        AtomicInteger failures = new AtomicInteger();
        try (WebhookReceiver receiver = new WebhookReceiver(request -> {
            // The truck's first event fails twice (of its three attempts), then succeeds.
            return isHead(request) && failures.incrementAndGet() <= 2
                    ? new WebhookReceiver.Answer(503, 0)
                    : new WebhookReceiver.Answer(200, 0);
        })) {
            String id = subscribe(tenant.adminToken(), ordered("per-asset", receiver.url()))
                    .get("id")
                    .asString();

            List<UUID> events = appendTogether(tenant.id(), List.of(truck, truck, truck, car));

            List<JsonNode> log = deliveries(tenant.adminToken(), id, allFinal(4));
            assertThat(log).allMatch(d -> d.get("status").asString().equals("delivered"));
            List<WebhookReceiver.Request> requests = receiver.requests();
            Instant headDelivered = firstSuccess(requests, events.get(0));
            assertThat(requests.stream()
                            .filter(r -> r.webhookId().equals(events.get(0).toString())))
                    .hasSize(3);
            for (UUID later : events.subList(1, 3)) {
                assertThat(firstRequest(requests, later))
                        .as("the truck's later event %s is first sent after the failed one succeeded", later)
                        .isAfterOrEqualTo(headDelivered);
            }
            assertThat(firstSuccess(requests, events.get(1))).isBefore(firstSuccess(requests, events.get(2)));
            assertThat(firstSuccess(requests, events.get(3)))
                    .as("another asset's event does not wait")
                    .isBefore(headDelivered);
        }
    }

    @Test
    void with_no_ordering_an_assets_later_events_are_delivered_while_its_failed_event_waits_for_its_retry() {
        TenantFixture tenant = newTenant();
        UUID truck = UUID.randomUUID();
        List<UUID> events = new ArrayList<>();
        Set<String> delivered = ConcurrentHashMap.newKeySet();
        AtomicInteger headAttempts = new AtomicInteger();
        try (WebhookReceiver receiver = new WebhookReceiver(request -> {
            boolean head = isHead(request);
            if (head && (headAttempts.incrementAndGet() == 1 || delivered.size() < 2)) {
                // The head fails its first attempt, and any later one made before the others arrived.
                return new WebhookReceiver.Answer(503, 0);
            }
            if (!head) {
                delivered.add(request.webhookId());
            }
            return new WebhookReceiver.Answer(200, 0);
        })) {
            String id = subscribe(tenant.adminToken(), ordered("none", receiver.url()))
                    .get("id")
                    .asString();

            events.addAll(appendTogether(tenant.id(), List.of(truck, truck, truck)));

            List<JsonNode> log = deliveries(tenant.adminToken(), id, allFinal(3));
            assertThat(log).allMatch(d -> d.get("status").asString().equals("delivered"));
            List<WebhookReceiver.Request> requests = receiver.requests();
            WebhookReceiver.Request headFailure = requests.stream()
                    .filter(r -> r.webhookId().equals(events.get(0).toString()))
                    .findFirst()
                    .orElseThrow();
            assertThat(headFailure.answer().status()).isEqualTo(503);
            Instant headDelivered = firstSuccess(requests, events.get(0));
            for (UUID later : events.subList(1, 3)) {
                assertThat(firstSuccess(requests, later))
                        .as("the truck's later event %s is delivered before the failed one's retry succeeds", later)
                        .isBefore(headDelivered);
            }
            assertThat(log.stream()
                            .filter(d -> d.get("eventId")
                                    .asString()
                                    .equals(events.get(0).toString()))
                            .findFirst()
                            .orElseThrow()
                            .get("attempts")
                            .asInt())
                    .isGreaterThanOrEqualTo(2);
        }
    }

    /** The first event appended by {@link #appendTogether}. */
    private static boolean isHead(WebhookReceiver.Request request) {
        return ApiClient.JSON
                        .readTree(request.body())
                        .path("data")
                        .path("sequence")
                        .asInt(-1)
                == 0;
    }

    private static Map<String, Object> ordered(String ordering, String url) {
        return Map.of(
                "name",
                "ordering " + ordering,
                "ordering",
                ordering,
                "channel",
                Map.of("type", "webhook", "url", url, "timeoutMs", 2000));
    }

    /** Appends one zone event per asset, in order, in one transaction; data.sequence is the index. */
    private List<UUID> appendTogether(String tenantId, List<UUID> assets) {
        UUID tenant = UUID.fromString(tenantId);
        Instant time = Instant.now();
        return Objects.requireNonNull(TenantContext.callAs(
                tenant,
                () -> transactions.execute(status -> {
                    List<UUID> ids = new ArrayList<>();
                    for (int i = 0; i < assets.size(); i++) {
                        UUID asset = assets.get(i);
                        ids.add(eventLog.append(new NewEvent(
                                tenant,
                                i % 2 == 0 ? EventTypes.ZONE_ENTERED : EventTypes.ZONE_EXITED,
                                "/test",
                                asset.toString(),
                                time.plusMillis(i),
                                asset,
                                null,
                                List.of(),
                                List.of(),
                                Map.of("sequence", i))));
                    }
                    return ids;
                })));
    }

    private static Instant firstSuccess(List<WebhookReceiver.Request> requests, UUID event) {
        return requests.stream()
                .filter(r -> r.webhookId().equals(event.toString()) && r.succeeded())
                .map(WebhookReceiver.Request::arrived)
                .min(Instant::compareTo)
                .orElseThrow(() -> new AssertionError("event " + event + " never succeeded"));
    }

    private static Instant firstRequest(List<WebhookReceiver.Request> requests, UUID event) {
        return requests.stream()
                .filter(r -> r.webhookId().equals(event.toString()))
                .map(WebhookReceiver.Request::arrived)
                .min(Instant::compareTo)
                .orElseThrow();
    }
}
