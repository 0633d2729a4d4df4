package io.sextant.delivery;

import static io.sextant.testing.ProblemAssertions.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sextant.events.EventTypes;
import io.sextant.testing.ApiClient;
import io.sextant.testing.ApiClient.Response;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/** Webhook delivery end to end: signatures, the retry schedule, the delivery log, replay, dead letters. */
class WebhookDeliveryIT extends DeliveryIT {

    @Autowired
    JdbcClient jdbc;

    @Test
    void each_matching_event_is_delivered_once_as_a_signed_cloudevent_and_logged() {
        TenantFixture tenant = newTenant();
        UUID truck = UUID.randomUUID();
        try (WebhookReceiver receiver = WebhookReceiver.answering(204)) {
            JsonNode subscription = webhook(
                    tenant.adminToken(),
                    receiver.url(),
                    Map.of("types", List.of(EventTypes.ZONE_ENTERED), "assetIds", List.of(truck.toString())));
            String secret = subscription.get("secret").asString();
            String id = subscription.get("id").asString();

            Instant time = Instant.now().truncatedTo(ChronoUnit.MILLIS);
            UUID matching = append(tenant.id(), EventTypes.ZONE_ENTERED, truck, time);
            append(tenant.id(), EventTypes.ZONE_EXITED, truck, time);
            append(tenant.id(), EventTypes.ZONE_ENTERED, UUID.randomUUID(), time);

            List<JsonNode> log = deliveries(tenant.adminToken(), id, allFinal(1));
            assertThat(receiver.requests()).hasSize(1);
            WebhookReceiver.Request request = receiver.requests().getFirst();
            assertThat(request.method()).isEqualTo("POST");
            assertThat(request.webhookId()).isEqualTo(matching.toString());
            assertThat(request.headers().get("content-type")).isEqualTo("application/cloudevents+json");
            assertThat(Long.parseLong(request.headers().get("webhook-timestamp")))
                    .isCloseTo(Instant.now().getEpochSecond(), org.assertj.core.data.Offset.offset(30L));
            assertThat(request.signatureVerifies(secret)).isTrue();
            assertThat(request.signatureVerifies("whsec_" + "A".repeat(32))).isFalse();
            JsonNode cloudEvent = ApiClient.JSON.readTree(request.body());
            assertThat(cloudEvent.get("specversion").asString()).isEqualTo("1.0");
            assertThat(cloudEvent.get("id").asString()).isEqualTo(matching.toString());
            assertThat(cloudEvent.get("type").asString()).isEqualTo(EventTypes.ZONE_ENTERED);
            assertThat(cloudEvent.get("source").asString()).isEqualTo("/test");
            assertThat(cloudEvent.get("subject").asString()).isEqualTo(truck.toString());
            assertThat(Instant.parse(cloudEvent.get("time").asString())).isEqualTo(time);
            assertThat(cloudEvent.get("tenantid").asString()).isEqualTo(tenant.id());
            assertThat(cloudEvent.get("data").get("note").asString()).isEqualTo("appended by a test");

            JsonNode delivery = log.getFirst();
            assertThat(delivery.get("eventId").asString()).isEqualTo(matching.toString());
            assertThat(delivery.get("eventType").asString()).isEqualTo(EventTypes.ZONE_ENTERED);
            assertThat(delivery.get("status").asString()).isEqualTo("delivered");
            assertThat(delivery.get("attempts").asInt()).isEqualTo(1);
            assertThat(delivery.get("lastStatusCode").asInt()).isEqualTo(204);
            assertThat(delivery.has("lastLatencyMs")).isTrue();
            assertThat(delivery.has("deliveredAt")).isTrue();
            assertThat(delivery.has("attemptLog")).isFalse();
        }
    }

    @Test
    void a_failing_receiver_is_retried_on_schedule_and_every_attempt_is_logged() {
        TenantFixture tenant = newTenant();
        AtomicInteger requests = new AtomicInteger();
        try (WebhookReceiver receiver = new WebhookReceiver(
                request -> new WebhookReceiver.Answer(requests.incrementAndGet() <= 2 ? 503 : 200, 0))) {
            JsonNode subscription = webhook(tenant.adminToken(), receiver.url(), Map.of());
            String id = subscription.get("id").asString();

            UUID event = append(tenant.id(), EventTypes.ZONE_DWELL, UUID.randomUUID(), Instant.now());

            JsonNode delivery = deliveries(tenant.adminToken(), id, allFinal(1)).getFirst();
            assertThat(delivery.get("status").asString()).isEqualTo("delivered");
            assertThat(delivery.get("attempts").asInt()).isEqualTo(3);
            List<WebhookReceiver.Request> received = receiver.requests();
            assertThat(received).extracting(WebhookReceiver.Request::webhookId).containsOnly(event.toString());
            assertThat(received)
                    .allMatch(
                            r -> r.signatureVerifies(subscription.get("secret").asString()));
            assertThat(Duration.between(
                            received.get(0).arrived(), received.get(1).arrived()))
                    .isGreaterThanOrEqualTo(Duration.ofMillis(180));
            assertThat(Duration.between(
                            received.get(1).arrived(), received.get(2).arrived()))
                    .isGreaterThanOrEqualTo(Duration.ofMillis(360));

            JsonNode detail = api.get(SUBSCRIPTIONS + "/" + id + "/deliveries/"
                            + delivery.get("id").asString())
                    .bearer(tenant.adminToken())
                    .send()
                    .json();
            List<JsonNode> attempts = detail.get("attemptLog").valueStream().toList();
            assertThat(attempts).extracting(a -> a.get("attempt").asInt()).containsExactly(1, 2, 3);
            assertThat(attempts).extracting(a -> a.get("statusCode").asInt()).containsExactly(503, 503, 200);
            assertThat(attempts.get(0).get("error").asString()).isEqualTo("HTTP 503");
            assertThat(attempts.get(2).has("error")).isFalse();
            assertThat(attempts).allMatch(a -> a.has("startedAt") && a.has("latencyMs"));
        }
    }

    @Test
    void a_timeout_is_a_failed_attempt_and_a_redirect_is_not_followed() {
        TenantFixture tenant = newTenant();
        AtomicInteger requests = new AtomicInteger();
        try (WebhookReceiver receiver = new WebhookReceiver(request -> switch (requests.incrementAndGet()) {
            case 1 -> new WebhookReceiver.Answer(200, 1500);
            case 2 -> new WebhookReceiver.Answer(302, 0);
            default -> new WebhookReceiver.Answer(200, 0);
        })) {
            String id = subscribe(
                            tenant.adminToken(),
                            Map.of(
                                    "name",
                                    "impatient",
                                    "channel",
                                    Map.of("type", "webhook", "url", receiver.url(), "timeoutMs", 500)))
                    .get("id")
                    .asString();

            append(tenant.id(), EventTypes.ASSET_STALE, UUID.randomUUID(), Instant.now());

            JsonNode delivery = deliveries(tenant.adminToken(), id, allFinal(1)).getFirst();
            JsonNode detail = api.get(SUBSCRIPTIONS + "/" + id + "/deliveries/"
                            + delivery.get("id").asString())
                    .bearer(tenant.adminToken())
                    .send()
                    .json();
            List<JsonNode> attempts = detail.get("attemptLog").valueStream().toList();
            assertThat(attempts).hasSize(3);
            assertThat(attempts.get(0).has("statusCode")).isFalse();
            assertThat(attempts.get(0).get("error").asString()).isEqualTo("no response within 500 ms");
            assertThat(attempts.get(1).get("statusCode").asInt()).isEqualTo(302);
            assertThat(attempts.get(2).get("statusCode").asInt()).isEqualTo(200);
            assertThat(receiver.requests()).hasSize(3);
        }
    }

    @Test
    void replaying_a_delivery_sends_the_same_event_again_with_the_same_webhook_id() {
        TenantFixture tenant = newTenant();
        try (WebhookReceiver receiver = WebhookReceiver.answering(200)) {
            String id = webhook(tenant.adminToken(), receiver.url(), Map.of())
                    .get("id")
                    .asString();
            UUID event = append(tenant.id(), EventTypes.ZONE_ENTERED, UUID.randomUUID(), Instant.now());
            String first = deliveries(tenant.adminToken(), id, allFinal(1))
                    .getFirst()
                    .get("id")
                    .asString();

            Response replayed = api.post(SUBSCRIPTIONS + "/" + id + "/deliveries/" + first + "/replay")
                    .bearer(tenant.adminToken())
                    .send();

            assertThat(replayed.status()).as(replayed.toString()).isEqualTo(202);
            assertThat(replayed.json().get("replayOf").asString()).isEqualTo(first);
            assertThat(replayed.json().get("eventId").asString()).isEqualTo(event.toString());
            List<JsonNode> log = deliveries(tenant.adminToken(), id, allFinal(2));
            assertThat(log.getFirst().get("id").asString())
                    .isEqualTo(replayed.json().get("id").asString());
            assertThat(log.getFirst().get("status").asString()).isEqualTo("delivered");
            assertThat(receiver.requests())
                    .extracting(WebhookReceiver.Request::webhookId)
                    .containsExactly(event.toString(), event.toString());
            String missing = SUBSCRIPTIONS + "/" + id + "/deliveries/" + UUID.randomUUID() + "/replay";
            assertProblem(api.post(missing).bearer(tenant.adminToken()).send(), 404, missing);
        }
    }

    @Test
    void the_delivery_log_names_each_deliverys_event_type_until_the_event_leaves_the_log() {
        TenantFixture tenant = newTenant();
        try (WebhookReceiver receiver = WebhookReceiver.answering(200)) {
            String id = webhook(tenant.adminToken(), receiver.url(), Map.of())
                    .get("id")
                    .asString();
            UUID event = append(tenant.id(), EventTypes.ZONE_EXITED, UUID.randomUUID(), Instant.now());
            String first = deliveries(tenant.adminToken(), id, allFinal(1))
                    .getFirst()
                    .get("id")
                    .asString();
            String detail = SUBSCRIPTIONS + "/" + id + "/deliveries/" + first;

            assertThat(api.get(detail)
                            .bearer(tenant.adminToken())
                            .send()
                            .json()
                            .get("eventType")
                            .asString())
                    .isEqualTo(EventTypes.ZONE_EXITED);
            Response replayed =
                    api.post(detail + "/replay").bearer(tenant.adminToken()).send();
            assertThat(replayed.status()).as(replayed.toString()).isEqualTo(202);
            assertThat(replayed.json().get("eventType").asString()).isEqualTo(EventTypes.ZONE_EXITED);
            deliveries(tenant.adminToken(), id, allFinal(2));

            jdbc.sql("delete from event where id = :id").param("id", event).update();

            List<JsonNode> log = deliveries(tenant.adminToken(), id, allFinal(2));
            assertThat(log).hasSize(2).noneMatch(delivery -> delivery.has("eventType"));
            assertThat(api.get(detail).bearer(tenant.adminToken()).send().json().has("eventType"))
                    .isFalse();
        }
    }

    @Test
    void a_range_replay_queues_the_matching_events_in_the_range_and_refuses_too_many() {
        TenantFixture tenant = newTenant();
        UUID truck = UUID.randomUUID();
        try (WebhookReceiver receiver = WebhookReceiver.answering(200)) {
            String id = webhook(tenant.adminToken(), receiver.url(), Map.of("types", List.of("sextant.zone.*")))
                    .get("id")
                    .asString();
            Instant t0 = Instant.parse("2026-03-01T10:00:00Z");
            List<UUID> events = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                events.add(append(tenant.id(), EventTypes.ZONE_ENTERED, truck, t0.plusSeconds(60L * i)));
                append(tenant.id(), EventTypes.ASSET_STALE, truck, t0.plusSeconds(60L * i));
            }
            deliveries(tenant.adminToken(), id, allFinal(5));

            Response replayed = api.post(SUBSCRIPTIONS + "/" + id + "/replay")
                    .bearer(tenant.adminToken())
                    .json(Map.of(
                            "from",
                            t0.plusSeconds(60).toString(),
                            "to",
                            t0.plusSeconds(240).toString()))
                    .send();

            assertThat(replayed.status()).as(replayed.toString()).isEqualTo(202);
            assertThat(replayed.json().get("queued").asInt()).isEqualTo(3);
            deliveries(tenant.adminToken(), id, allFinal(8));
            assertThat(receiver.requests().subList(5, 8))
                    .extracting(WebhookReceiver.Request::webhookId)
                    .containsExactly(
                            events.get(1).toString(),
                            events.get(2).toString(),
                            events.get(3).toString());

            for (int i = 0; i < 20; i++) {
                append(tenant.id(), EventTypes.ZONE_EXITED, truck, t0.plusSeconds(3600 + i));
            }
            deliveries(tenant.adminToken(), id, allFinal(28));
            String path = SUBSCRIPTIONS + "/" + id + "/replay";
            JsonNode tooMany = assertProblem(
                    api.post(path)
                            .bearer(tenant.adminToken())
                            .json(Map.of(
                                    "from",
                                    t0.toString(),
                                    "to",
                                    t0.plusSeconds(7200).toString()))
                            .send(),
                    400,
                    path);
            assertThat(tooMany.get("detail").asString())
                    .contains("more than 20 events match")
                    .contains("narrow the range");
            assertProblem(
                    api.post(path)
                            .bearer(tenant.adminToken())
                            .json(Map.of("from", t0.toString(), "to", t0.toString()))
                            .send(),
                    400,
                    path);
        }
    }

    @Test
    void an_owner_who_may_not_read_events_has_its_deliveries_skipped_without_a_request() {
        TenantFixture tenant = newTenant();
        String keyToken = api.post("/api/v1/api-keys")
                .bearer(tenant.adminToken())
                .json(Map.of("name", "subscriptions only", "permissions", List.of("subscriptions:manage")))
                .send()
                .json()
                .get("token")
                .asString();
        try (WebhookReceiver receiver = WebhookReceiver.answering(200)) {
            JsonNode subscription = webhook(keyToken, receiver.url(), Map.of());
            assertThat(ApiClient.strings(subscription.get("owner").get("permissions")))
                    .containsExactly("subscriptions:manage");

            append(tenant.id(), EventTypes.ZONE_ENTERED, UUID.randomUUID(), Instant.now());

            JsonNode delivery = deliveries(keyToken, subscription.get("id").asString(), allFinal(1))
                    .getFirst();
            assertThat(delivery.get("status").asString()).isEqualTo("skipped");
            assertThat(delivery.get("attempts").asInt()).isZero();
            assertThat(delivery.get("lastError").asString()).contains("may not receive this event");
            assertThat(receiver.requests()).isEmpty();
        }
    }

    @Test
    void consecutive_dead_letters_disable_a_subscription_and_other_subscriptions_hear_of_it() {
        TenantFixture tenant = newTenant();
        UUID truck = UUID.randomUUID();
        try (WebhookReceiver failing = WebhookReceiver.answering(500);
                WebhookReceiver watcher = WebhookReceiver.answering(200)) {
            String failingId = webhook(tenant.adminToken(), failing.url(), Map.of())
                    .get("id")
                    .asString();
            String watcherId = webhook(
                            tenant.adminToken(),
                            watcher.url(),
                            Map.of("types", List.of(EventTypes.SUBSCRIPTION_DISABLED)))
                    .get("id")
                    .asString();

            append(tenant.id(), EventTypes.ZONE_ENTERED, truck, Instant.now());
            append(tenant.id(), EventTypes.ZONE_EXITED, truck, Instant.now());

            List<JsonNode> log = deliveries(tenant.adminToken(), failingId, allFinal(2));
            assertThat(log)
                    .allMatch(d -> d.get("status").asString().equals("dead")
                            && d.get("attempts").asInt() == 3);
            JsonNode disabled = api.get(SUBSCRIPTIONS + "/" + failingId)
                    .bearer(tenant.adminToken())
                    .send()
                    .json();
            assertThat(disabled.get("enabled").asBoolean()).isFalse();
            assertThat(disabled.get("consecutiveDeadLetters").asInt()).isEqualTo(2);
            assertThat(disabled.get("disabledReason").asString())
                    .isEqualTo("2 deliveries in a row went to the dead letter");

            deliveries(tenant.adminToken(), watcherId, allFinal(1));
            WebhookReceiver.Request notice = watcher.requests().getFirst();
            JsonNode cloudEvent = ApiClient.JSON.readTree(notice.body());
            assertThat(cloudEvent.get("type").asString()).isEqualTo(EventTypes.SUBSCRIPTION_DISABLED);
            assertThat(cloudEvent.get("subject").asString()).isEqualTo(failingId);
            assertThat(cloudEvent.get("data").get("subscriptionId").asString()).isEqualTo(failingId);
            assertThat(cloudEvent.get("data").get("consecutiveDeadLetters").asInt())
                    .isEqualTo(2);
            assertThat(failing.requests())
                    .hasSize(6)
                    .noneMatch(r -> r.body().contains(EventTypes.SUBSCRIPTION_DISABLED));

            Response reenabled = api.method("PATCH", SUBSCRIPTIONS + "/" + failingId)
                    .bearer(tenant.adminToken())
                    .header("If-Match", "\"" + disabled.get("version").asLong() + "\"")
                    .json(Map.of("enabled", true))
                    .send();
            assertThat(reenabled.json().get("consecutiveDeadLetters").asInt()).isZero();
            assertThat(reenabled.json().has("disabledReason")).isFalse();
        }
    }

    @Test
    void events_committed_together_are_attempted_together_and_each_delivery_keeps_its_own_outcome() {
        TenantFixture tenant = newTenant();
        UUID tenantId = UUID.fromString(tenant.id());
        List<UUID> assets =
                java.util.stream.Stream.generate(UUID::randomUUID).limit(12).toList();
        // Two failing, not more: this context disables a subscription after two dead letters in a row,
        // and a third failing delivery whose last retry came after the other two had died would rightly
        // be skipped, not attempted (the jitter on the retries decides whether that happens).
        java.util.Set<String> failing =
                java.util.Set.of(assets.get(1).toString(), assets.get(7).toString());
        try (WebhookReceiver receiver = new WebhookReceiver(request ->
                new WebhookReceiver.Answer(failing.stream().anyMatch(request.body()::contains) ? 500 : 200, 50))) {
            JsonNode subscription = webhook(tenant.adminToken(), receiver.url(), Map.of());
            String id = subscription.get("id").asString();

            // One transaction: the relay queues the twelve deliveries at once, a worker claims them together.
            io.sextant.shared.TenantContext.callAs(
                    tenantId,
                    () -> transactions.execute(status -> eventLog.append(assets.stream()
                            .map(asset -> new io.sextant.events.NewEvent(
                                    tenantId,
                                    EventTypes.ZONE_ENTERED,
                                    "/test",
                                    asset.toString(),
                                    Instant.now(),
                                    asset,
                                    null,
                                    List.of(),
                                    List.of(),
                                    Map.<String, Object>of("note", "appended by a test")))
                            .toList())));

            List<JsonNode> log = deliveries(tenant.adminToken(), id, allFinal(12));
            for (JsonNode delivery : log) {
                String asset = receiver.requests().stream()
                        .filter(r ->
                                r.webhookId().equals(delivery.get("eventId").asString()))
                        .findFirst()
                        .map(r -> assets.stream()
                                .map(UUID::toString)
                                .filter(r.body()::contains)
                                .findFirst()
                                .orElseThrow())
                        .orElseThrow(() -> new AssertionError("no request for " + delivery));
                boolean fails = failing.contains(asset);
                assertThat(delivery.get("status").asString()).as(asset).isEqualTo(fails ? "dead" : "delivered");
                assertThat(delivery.get("attempts").asInt()).as(asset).isEqualTo(fails ? 3 : 1);
                assertThat(delivery.get("lastStatusCode").asInt()).as(asset).isEqualTo(fails ? 500 : 200);
            }
            List<WebhookReceiver.Request> delivered = receiver.requests().stream()
                    .filter(r -> r.answer().status() == 200)
                    .toList();
            assertThat(delivered).hasSize(10);
            assertThat(delivered.stream()
                            .map(WebhookReceiver.Request::webhookId)
                            .distinct())
                    .hasSize(10);
            assertThat(receiver.requests())
                    .hasSize(10 + 2 * 3)
                    .allMatch(
                            r -> r.signatureVerifies(subscription.get("secret").asString()));
        }
    }

    @Test
    void a_success_resets_the_count_of_dead_letters_in_a_row() {
        TenantFixture tenant = newTenant();
        UUID truck = UUID.randomUUID();
        try (WebhookReceiver receiver = new WebhookReceiver(request ->
                new WebhookReceiver.Answer(request.body().contains(EventTypes.ZONE_ENTERED) ? 500 : 200, 0))) {
            String id = webhook(tenant.adminToken(), receiver.url(), Map.of())
                    .get("id")
                    .asString();

            append(tenant.id(), EventTypes.ZONE_ENTERED, truck, Instant.now());
            append(tenant.id(), EventTypes.ZONE_EXITED, truck, Instant.now());
            append(tenant.id(), EventTypes.ZONE_ENTERED, truck, Instant.now());

            List<JsonNode> log = deliveries(tenant.adminToken(), id, allFinal(3));
            assertThat(log).extracting(d -> d.get("status").asString()).containsExactly("dead", "delivered", "dead");
            JsonNode subscription = api.get(SUBSCRIPTIONS + "/" + id)
                    .bearer(tenant.adminToken())
                    .send()
                    .json();
            assertThat(subscription.get("enabled").asBoolean()).isTrue();
            assertThat(subscription.get("consecutiveDeadLetters").asInt()).isEqualTo(1);
        }
    }

    @Test
    void retrying_a_dead_delivery_job_by_hand_attempts_the_same_delivery_again() {
        TenantFixture tenant = newTenant();
        AtomicInteger requests = new AtomicInteger();
        try (WebhookReceiver receiver = new WebhookReceiver(
                request -> new WebhookReceiver.Answer(requests.incrementAndGet() <= 3 ? 500 : 200, 0))) {
            String id = webhook(tenant.adminToken(), receiver.url(), Map.of())
                    .get("id")
                    .asString();
            UUID event = append(tenant.id(), EventTypes.ZONE_ENTERED, UUID.randomUUID(), Instant.now());
            JsonNode dead = deliveries(tenant.adminToken(), id, allFinal(1)).getFirst();
            assertThat(dead.get("status").asString()).isEqualTo("dead");
            assertThat(dead.get("lastError").asString()).isEqualTo("HTTP 500");
            String job = api.get("/api/v1/jobs?kind=delivery&status=dead")
                    .bearer(tenant.adminToken())
                    .send()
                    .json()
                    .get("items")
                    .get(0)
                    .get("id")
                    .asString();

            Response retried = api.post("/api/v1/jobs/" + job + "/retry")
                    .bearer(tenant.adminToken())
                    .send();

            assertThat(retried.status()).as(retried.toString()).isEqualTo(200);
            JsonNode delivered = deliveries(
                            tenant.adminToken(),
                            id,
                            items -> items.getFirst().get("status").asString().equals("delivered"))
                    .getFirst();
            assertThat(delivered.get("id").asString()).isEqualTo(dead.get("id").asString());
            assertThat(delivered.get("attempts").asInt()).isEqualTo(4);
            assertThat(receiver.requests())
                    .hasSize(4)
                    .allMatch(r -> r.webhookId().equals(event.toString()));
        }
    }

    @Test
    void a_target_refused_at_delivery_time_goes_to_the_dead_letter_at_once_without_a_request() {
        TenantFixture tenant = newTenant();
        try (WebhookReceiver receiver = WebhookReceiver.answering(200)) {
            String id = webhook(tenant.adminToken(), receiver.url(), Map.of())
                    .get("id")
                    .asString();
            // As if the target's DNS now answered with a forbidden address: 127.0.0.2 is outside the
            // allowed 127.0.0.1/32.
            jdbc.sql("update subscription set channel = jsonb_set(channel, '{url}', to_jsonb(cast(:url as text)))"
                            + " where id = :id")
                    .param("url", receiver.url().replace("127.0.0.1", "127.0.0.2"))
                    .param("id", UUID.fromString(id))
                    .update();

            append(tenant.id(), EventTypes.ZONE_ENTERED, UUID.randomUUID(), Instant.now());

            JsonNode delivery = deliveries(tenant.adminToken(), id, allFinal(1)).getFirst();
            assertThat(delivery.get("status").asString()).isEqualTo("dead");
            assertThat(delivery.get("attempts").asInt()).isEqualTo(1);
            assertThat(delivery.get("lastError").asString()).contains("127.0.0.2 is a loopback address");
            await().during(Duration.ofMillis(500))
                    .until(() -> receiver.requests().isEmpty());
        }
    }
}
