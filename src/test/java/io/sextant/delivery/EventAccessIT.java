package io.sextant.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sextant.events.EventTypes;
import io.sextant.events.NewEvent;
import io.sextant.shared.TenantContext;
import io.sextant.testing.ApiClient.Response;
import io.sextant.testing.SseClient;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Grants narrow the events a subject sees on every path: the search (complete pages of exactly the
 * reached events), an event by id (404 when hidden), live streams and webhooks (each event checked
 * against the subject's grants as they stand when it is sent, so a revoked grant stops the next one).
 */
class EventAccessIT extends DeliveryIT {

    /** The region of the tests: lon 10..11, lat 50..51. */
    private static final Map<String, Object> NORTH = Map.of(
            "type",
            "Polygon",
            "coordinates",
            List.of(List.of(List.of(10, 50), List.of(11, 50), List.of(11, 51), List.of(10, 51), List.of(10, 50))));

    private String user(TenantFixture tenant, String name) {
        Response created = api.post("/api/v1/tenants/" + tenant.id() + "/users")
                .bearer(tenant.adminToken())
                .json(Map.of("username", name, "password", "password-of-" + name, "roles", List.of()))
                .send();
        assertThat(created.status()).as("%s", created).isEqualTo(201);
        return created.json().get("id").asString();
    }

    private String grant(TenantFixture tenant, String userId, String role, Map<String, Object> scope) {
        Response granted = api.post("/api/v1/grants")
                .bearer(tenant.adminToken())
                .json(Map.of("subject", "user:" + userId, "role", role, "scope", scope))
                .send();
        assertThat(granted.status()).as("%s", granted).isEqualTo(201);
        return granted.json().get("id").asString();
    }

    private void revoke(TenantFixture tenant, String grantId) {
        assertThat(api.delete("/api/v1/grants/" + grantId)
                        .bearer(tenant.adminToken())
                        .send()
                        .status())
                .isEqualTo(204);
    }

    private UUID asset(TenantFixture tenant, String externalId, String tag) {
        return UUID.fromString(createAsset(tenant.adminToken(), externalId, "truck", List.of(tag))
                .get("id")
                .asString());
    }

    /** Appends an event of {@code asset} at ({@code lon}, {@code lat}) — none if lon is null — about a zone with {@code zoneTags}, if any. */
    private UUID event(
            TenantFixture tenant,
            String type,
            @Nullable UUID asset,
            @Nullable Double lon,
            double lat,
            @Nullable List<String> zoneTags,
            Instant time) {
        UUID tenantId = UUID.fromString(tenant.id());
        UUID zoneId = zoneTags == null ? null : UUID.randomUUID();
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("assetId", asset == null ? null : asset.toString());
        if (lon != null) {
            data.put("position", Map.of("time", time.toString(), "lon", lon, "lat", lat));
        }
        return TenantContext.callAs(
                tenantId,
                () -> transactions.execute(status -> eventLog.append(new NewEvent(
                        tenantId,
                        type,
                        "/test",
                        asset == null ? null : asset.toString(),
                        time,
                        asset,
                        zoneId,
                        List.of(),
                        zoneTags == null ? List.of() : zoneTags,
                        data))));
    }

    private List<String> search(String token, String query, int limit) {
        List<String> ids = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            Response page = api.get(
                            "/api/v1/events?limit=" + limit + query + (cursor == null ? "" : "&cursor=" + cursor))
                    .bearer(token)
                    .send();
            assertThat(page.status()).as("%s", page).isEqualTo(200);
            List<JsonNode> items = page.json().get("items").valueStream().toList();
            JsonNode next = page.json().get("nextCursor");
            cursor = next == null || next.isNull() ? null : next.asString();
            if (cursor != null) {
                assertThat(items).as("a page with a next one is full").hasSize(limit);
            }
            items.forEach(item -> ids.add(item.get("id").asString()));
            assertThat(++pages).isLessThan(100);
        } while (cursor != null);
        return ids;
    }

    @Test
    void a_reader_limited_to_a_region_tags_zone_tags_and_a_window_finds_exactly_the_events_inside_page_by_page() {
        TenantFixture tenant = newTenant();
        UUID fleetA = asset(tenant, "a-" + tenant.slug(), "fleet-a");
        UUID fleetB = asset(tenant, "b-" + tenant.slug(), "fleet-b");
        String readerId = user(tenant, "r-" + tenant.slug());
        grant(
                tenant,
                readerId,
                "viewer",
                Map.of(
                        "region",
                        Map.of("polygon", NORTH),
                        "assetTags",
                        List.of("fleet-a"),
                        "zoneTags",
                        List.of("public"),
                        "dataWindow",
                        "PT24H"));
        String reader = api.signIn("r-" + tenant.slug(), "password-of-r-" + tenant.slug());

        Instant start = Instant.now().minus(2, ChronoUnit.HOURS).truncatedTo(ChronoUnit.MILLIS);
        List<String> expected = new ArrayList<>();
        List<String> all = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            Instant time = start.plusSeconds(60L * i);
            // Inside, of fleet-a: about no zone, or a public one — reached.
            UUID inside = event(tenant, EventTypes.SPEEDING_STARTED, fleetA, 10.5, 50.5, null, time);
            UUID publicZone = event(
                    tenant, EventTypes.ZONE_ENTERED, fleetA, 10.2, 50.9, List.of("public", "x"), time.plusMillis(1));
            expected.add(inside.toString());
            expected.add(publicZone.toString());
            all.add(inside.toString());
            all.add(publicZone.toString());
            // Everything below is not reached: a secret zone, outside the region, fleet-b, no location,
            // no asset, older than the window.
            all.add(event(tenant, EventTypes.ZONE_ENTERED, fleetA, 10.5, 50.5, List.of("secret"), time.plusMillis(2))
                    .toString());
            all.add(event(tenant, EventTypes.SPEEDING_STARTED, fleetA, 12.5, 50.5, null, time.plusMillis(3))
                    .toString());
            all.add(event(tenant, EventTypes.SPEEDING_STARTED, fleetB, 10.5, 50.5, null, time.plusMillis(4))
                    .toString());
            all.add(event(tenant, EventTypes.ZONE_DWELL, fleetA, null, 0, List.of("public"), time.plusMillis(5))
                    .toString());
            all.add(event(tenant, EventTypes.SUBSCRIPTION_DISABLED, null, 10.5, 50.5, null, time.plusMillis(6))
                    .toString());
            all.add(event(tenant, EventTypes.SPEEDING_STARTED, fleetA, 10.5, 50.5, null, time.minus(3, ChronoUnit.DAYS))
                    .toString());
        }
        String hidden = all.get(2);

        for (int limit : List.of(1, 3, 5, 50)) {
            assertThat(search(reader, "", limit)).as("limit %d", limit).containsExactlyElementsOf(expected);
        }
        assertThat(search(reader, "&order=desc", 4)).containsExactlyElementsOf(expected.reversed());
        assertThat(search(reader, "&type=sextant.zone.entered", 5))
                .containsExactlyElementsOf(expected.stream()
                        .filter(id -> expected.indexOf(id) % 2 == 1)
                        .toList());
        assertThat(search(tenant.adminToken(), "", 40)).containsExactlyInAnyOrderElementsOf(all);

        assertThat(api.get("/api/v1/events/" + expected.getFirst())
                        .bearer(reader)
                        .send()
                        .status())
                .isEqualTo(200);
        Response denied = api.get("/api/v1/events/" + hidden).bearer(reader).send();
        Response missing =
                api.get("/api/v1/events/" + UUID.randomUUID()).bearer(reader).send();
        assertThat(denied.status()).isEqualTo(404);
        assertThat(missing.status()).isEqualTo(404);
        assertThat(api.get("/api/v1/events/" + hidden)
                        .bearer(tenant.adminToken())
                        .send()
                        .status())
                .isEqualTo(200);
    }

    @Test
    void a_grant_revoked_mid_stream_stops_the_next_event_on_a_live_stream_and_on_a_webhook() throws Exception {
        TenantFixture tenant = newTenant();
        UUID fleetA = asset(tenant, "a-" + tenant.slug(), "fleet-a");
        UUID fleetB = asset(tenant, "b-" + tenant.slug(), "fleet-b");
        String watcherName = "w-" + tenant.slug();
        String watcherId = user(tenant, watcherName);
        String regionGrant = grant(
                tenant,
                watcherId,
                "viewer",
                Map.of("region", Map.of("polygon", NORTH), "assetTags", List.of("fleet-a")));
        String fleetBGrant = grant(tenant, watcherId, "admin", Map.of("assetTags", List.of("fleet-b")));
        String watcher = api.signIn(watcherName, "password-of-" + watcherName);

        try (WebhookReceiver watcherHook = WebhookReceiver.answering(204);
                WebhookReceiver adminHook = WebhookReceiver.answering(204);
                SseClient watcherStream = SseClient.open(api.baseUrl() + "/api/v1/events/stream", watcher, null);
                SseClient adminStream =
                        SseClient.open(api.baseUrl() + "/api/v1/events/stream", tenant.adminToken(), null)) {
            String watcherSubscription =
                    webhook(watcher, watcherHook.url(), Map.of()).get("id").asString();
            String adminSubscription = webhook(tenant.adminToken(), adminHook.url(), Map.of())
                    .get("id")
                    .asString();
            assertThat(watcherStream.nextComment(Duration.ofSeconds(5))).isEqualTo("connected");
            assertThat(adminStream.nextComment(Duration.ofSeconds(5))).isEqualTo("connected");

            Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
            String anchor = event(tenant, EventTypes.SPEEDING_STARTED, fleetB, 10.5, 50.5, null, now.minusMillis(1))
                    .toString();
            String before = event(tenant, EventTypes.SPEEDING_STARTED, fleetA, 10.5, 50.5, null, now)
                    .toString();
            assertThat(ids(watcherStream.take(2, Duration.ofSeconds(10)))).containsExactly(anchor, before);
            assertThat(ids(adminStream.take(2, Duration.ofSeconds(10)))).containsExactly(anchor, before);
            await().atMost(PATIENCE).until(() -> watcherHook.requests().size() == 2);

            revoke(tenant, regionGrant);
            String after = event(tenant, EventTypes.SPEEDING_ENDED, fleetA, 10.5, 50.5, null, now.plusMillis(1))
                    .toString();
            String stillReached = event(
                            tenant, EventTypes.SPEEDING_STARTED, fleetB, 10.5, 50.5, null, now.plusMillis(2))
                    .toString();

            // The unrestricted subscriber gets both; the watcher only the one its remaining grant reaches.
            assertThat(ids(adminStream.take(2, Duration.ofSeconds(10)))).containsExactly(after, stillReached);
            assertThat(ids(watcherStream.take(1, Duration.ofSeconds(10)))).containsExactly(stillReached);
            deliveries(tenant.adminToken(), adminSubscription, allFinal(4));
            List<JsonNode> log = deliveries(tenant.adminToken(), watcherSubscription, allFinal(4));
            assertThat(adminHook.requests().stream().map(WebhookReceiver.Request::webhookId))
                    .containsExactlyInAnyOrder(anchor, before, after, stillReached);
            assertThat(watcherHook.requests().stream().map(WebhookReceiver.Request::webhookId))
                    .containsExactlyInAnyOrder(anchor, before, stillReached);
            JsonNode skipped = log.stream()
                    .filter(d -> d.get("eventId").asString().equals(after))
                    .findFirst()
                    .orElseThrow();
            assertThat(skipped.get("status").asString()).isEqualTo("skipped");
            assertThat(skipped.get("lastError").asString()).contains("no grant of events:read");

            // A resumed stream replays only what the grants reach now; a hidden event is no place to resume from.
            try (SseClient resumed = SseClient.open(api.baseUrl() + "/api/v1/events/stream", watcher, anchor)) {
                assertThat(ids(resumed.take(1, Duration.ofSeconds(10)))).containsExactly(stillReached);
                assertThat(resumed.take(1, Duration.ofMillis(500))).isEmpty();
            }
            assertThat(api.get("/api/v1/events/stream")
                            .bearer(watcher)
                            .header("Last-Event-ID", before)
                            .send()
                            .status())
                    .isEqualTo(400);

            // Without any grant of events:read the stream ends at the next event.
            revoke(tenant, fleetBGrant);
            event(tenant, EventTypes.SPEEDING_ENDED, fleetB, 10.5, 50.5, null, now.plusMillis(3));
            String last = null;
            for (int i = 0; i < 20 && !"access-ended".equals(last); i++) {
                last = watcherStream.nextComment(Duration.ofSeconds(1));
            }
            assertThat(last).isEqualTo("access-ended");
            assertThat(watcherStream.take(1, Duration.ofMillis(500))).isEmpty();
        }
    }

    private static List<String> ids(List<SseClient.Message> messages) {
        return messages.stream().map(SseClient.Message::id).toList();
    }
}
