package io.sextant.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sextant.shared.TenantContext;
import io.sextant.testing.ProblemAssertions;
import io.sextant.testing.SextantIT;
import io.sextant.testing.SseClient;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.TestPropertySource;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;

@Import(EventLogIT.Recording.class)
@TestPropertySource(properties = {"sextant.events.stream-heartbeat=300ms", "sextant.events.relay-poll-interval=100ms"})
class EventLogIT extends SextantIT {

    @Autowired
    EventLog eventLog;

    @Autowired
    EventStreams streams;

    @Autowired
    TransactionTemplate transactions;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    RecordingConsumer recorder;

    @TestConfiguration
    static class Recording {
        @Bean
        RecordingConsumer recordingConsumer() {
            return new RecordingConsumer();
        }
    }

    /** A durable consumer that remembers every event it was handed, in order. */
    static class RecordingConsumer implements EventConsumer {
        final List<Event> seen = new CopyOnWriteArrayList<>();

        @Override
        public String name() {
            return "test-recorder";
        }

        @Override
        public void consume(List<Event> events) {
            seen.addAll(events);
        }
    }

    private UUID append(UUID tenantId, String type, UUID assetId, UUID zoneId, Instant time, List<String> tags) {
        return TenantContext.callAs(
                tenantId,
                () -> transactions.execute(status -> eventLog.append(new NewEvent(
                        tenantId,
                        type,
                        "/zones/" + zoneId,
                        assetId.toString(),
                        time,
                        assetId,
                        zoneId,
                        tags,
                        List.of("depot"),
                        Map.of("assetId", assetId.toString(), "zoneId", zoneId.toString())))));
    }

    @Test
    void the_event_log_is_searchable_by_type_asset_zone_and_time_and_pages_without_gaps() {
        var tenant = newTenant();
        UUID tenantId = UUID.fromString(tenant.id());
        UUID truck = UUID.randomUUID();
        UUID van = UUID.randomUUID();
        UUID depot = UUID.randomUUID();
        Instant t0 = Instant.parse("2026-11-01T08:00:00Z");
        List<UUID> truckEvents = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            truckEvents.add(append(
                    tenantId,
                    i % 2 == 0 ? EventTypes.ZONE_ENTERED : EventTypes.ZONE_EXITED,
                    truck,
                    depot,
                    t0.plus(i, ChronoUnit.MINUTES),
                    List.of("heavy")));
        }
        append(tenantId, EventTypes.ZONE_DWELL, van, depot, t0.plusSeconds(30), List.of());

        List<String> paged = new ArrayList<>();
        String cursor = null;
        do {
            var page = api.get("/api/v1/events?assetId=" + truck + "&limit=3"
                            + (cursor == null ? "" : "&cursor=" + cursor))
                    .bearer(tenant.adminToken())
                    .send();
            assertThat(page.status()).as(page.toString()).isEqualTo(200);
            page.json().get("items").forEach(e -> paged.add(e.get("id").asString()));
            JsonNode next = page.json().get("nextCursor");
            cursor = next == null || next.isNull() ? null : next.asString();
        } while (cursor != null);
        assertThat(paged)
                .containsExactlyElementsOf(
                        truckEvents.stream().map(UUID::toString).toList());

        var entered = api.get("/api/v1/events?type=sextant.zone.entered&zoneId=" + depot)
                .bearer(tenant.adminToken())
                .send()
                .json()
                .get("items");
        assertThat(entered).hasSize(4);
        entered.forEach(e -> assertThat(e.get("type").asString()).isEqualTo(EventTypes.ZONE_ENTERED));

        var window = api.get(
                        "/api/v1/events?type=sextant.zone.*&from=2026-11-01T08:01:00Z&to=2026-11-01T08:03:00Z&order=desc")
                .bearer(tenant.adminToken())
                .send()
                .json()
                .get("items");
        assertThat(window).hasSize(2);
        assertThat(window.get(0).get("time").asString()).isEqualTo("2026-11-01T08:02:00Z");

        var byTag = api.get("/api/v1/events?assetTag=heavy")
                .bearer(tenant.adminToken())
                .send()
                .json()
                .get("items");
        assertThat(byTag).hasSize(7);

        JsonNode one = api.get("/api/v1/events/" + truckEvents.getFirst())
                .bearer(tenant.adminToken())
                .send()
                .json();
        assertThat(one.get("specversion").asString()).isEqualTo("1.0");
        assertThat(one.get("source").asString()).isEqualTo("/zones/" + depot);
        assertThat(one.get("subject").asString()).isEqualTo(truck.toString());
        assertThat(one.get("data").get("zoneId").asString()).isEqualTo(depot.toString());
    }

    @Test
    void a_type_prefix_holding_a_like_wildcard_finds_no_other_type_through_the_events_api() {
        var tenant = newTenant();
        UUID tenantId = UUID.fromString(tenant.id());
        append(tenantId, "axb.enter", UUID.randomUUID(), UUID.randomUUID(), Instant.now(), List.of());

        JsonNode problem = ProblemAssertions.assertProblem(
                api.get("/api/v1/events?type=a_b.*").bearer(tenant.adminToken()).send(), 400, "/api/v1/events");
        assertThat(problem.toString()).contains("a_b.*");
        assertThat(api.get("/api/v1/events?type=sextant.*")
                        .bearer(tenant.adminToken())
                        .send()
                        .json()
                        .get("items"))
                .isEmpty();
    }

    @Test
    void another_tenants_events_are_invisible_and_bad_parameters_are_problems() {
        var mine = newTenant();
        var theirs = newTenant();
        UUID theirEvent = append(
                UUID.fromString(theirs.id()),
                EventTypes.ZONE_ENTERED,
                UUID.randomUUID(),
                UUID.randomUUID(),
                Instant.now(),
                List.of());

        ProblemAssertions.assertProblem(
                api.get("/api/v1/events/" + theirEvent)
                        .bearer(mine.adminToken())
                        .send(),
                404,
                "/api/v1/events/" + theirEvent);
        assertThat(api.get("/api/v1/events")
                        .bearer(mine.adminToken())
                        .send()
                        .json()
                        .get("items"))
                .isEmpty();
        ProblemAssertions.assertProblem(
                api.get("/api/v1/events?type=sextant.nothing")
                        .bearer(mine.adminToken())
                        .send(),
                400,
                "/api/v1/events");
        ProblemAssertions.assertProblem(
                api.get("/api/v1/events?order=sideways")
                        .bearer(mine.adminToken())
                        .send(),
                400,
                "/api/v1/events");
        ProblemAssertions.assertProblem(
                api.get("/api/v1/events?cursor=bm9wZQ")
                        .bearer(mine.adminToken())
                        .send(),
                400,
                "/api/v1/events");
        ProblemAssertions.assertProblem(
                api.get("/api/v1/events?from=2026-01-02T00:00:00Z&to=2026-01-01T00:00:00Z")
                        .bearer(mine.adminToken())
                        .send(),
                400,
                "/api/v1/events");
    }

    @Test
    void a_live_stream_delivers_matching_events_in_order_and_sends_heartbeats() throws Exception {
        var tenant = newTenant();
        UUID tenantId = UUID.fromString(tenant.id());
        UUID truck = UUID.randomUUID();
        UUID depot = UUID.randomUUID();
        try (SseClient stream = SseClient.open(
                api.baseUrl() + "/api/v1/events/stream?type=sextant.zone.entered&type=sextant.zone.exited",
                tenant.adminToken(),
                null)) {
            assertThat(stream.nextComment(Duration.ofSeconds(5))).isEqualTo("connected");
            List<UUID> expected = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                String type = i % 2 == 0 ? EventTypes.ZONE_ENTERED : EventTypes.ZONE_EXITED;
                expected.add(append(tenantId, type, truck, depot, Instant.now(), List.of()));
                append(tenantId, EventTypes.ZONE_DWELL, truck, depot, Instant.now(), List.of());
            }
            append(UUID.fromString(newTenant().id()), EventTypes.ZONE_ENTERED, truck, depot, Instant.now(), List.of());

            var messages = stream.take(7, Duration.ofSeconds(5));
            assertThat(messages.stream().map(SseClient.Message::id))
                    .containsExactlyElementsOf(
                            expected.stream().map(UUID::toString).toList());
            assertThat(messages.getFirst().event()).isEqualTo(EventTypes.ZONE_ENTERED);
            assertThat(messages.getFirst().data().get("specversion").asString()).isEqualTo("1.0");
            assertThat(stream.nextComment(Duration.ofSeconds(3))).isEqualTo("heartbeat");
        }
    }

    @Test
    void a_stream_resumed_with_last_event_id_loses_and_repeats_nothing() {
        var tenant = newTenant();
        UUID tenantId = UUID.fromString(tenant.id());
        UUID truck = UUID.randomUUID();
        UUID depot = UUID.randomUUID();
        List<String> appended = new ArrayList<>();
        List<String> received = new ArrayList<>();
        String last;
        try (SseClient first = SseClient.open(api.baseUrl() + "/api/v1/events/stream", tenant.adminToken(), null)) {
            for (int i = 0; i < 5; i++) {
                appended.add(append(tenantId, EventTypes.ZONE_ENTERED, truck, depot, Instant.now(), List.of())
                        .toString());
            }
            first.take(5, Duration.ofSeconds(5)).forEach(m -> received.add(m.id()));
            last = received.getLast();
        }
        // While disconnected.
        for (int i = 0; i < 5; i++) {
            appended.add(append(tenantId, EventTypes.ZONE_EXITED, truck, depot, Instant.now(), List.of())
                    .toString());
        }
        try (SseClient resumed = SseClient.open(api.baseUrl() + "/api/v1/events/stream", tenant.adminToken(), last)) {
            resumed.take(5, Duration.ofSeconds(5)).forEach(m -> received.add(m.id()));
            for (int i = 0; i < 5; i++) {
                appended.add(append(tenantId, EventTypes.ZONE_DWELL, truck, depot, Instant.now(), List.of())
                        .toString());
            }
            resumed.take(5, Duration.ofSeconds(5)).forEach(m -> received.add(m.id()));
            assertThat(resumed.take(1, Duration.ofMillis(500))).isEmpty();
        }
        assertThat(received).containsExactlyElementsOf(appended);
    }

    @Test
    void a_head_request_is_answered_with_the_streams_headers_after_the_same_checks_and_holds_no_stream() {
        var tenant = newTenant();
        int before = streams.open();
        for (int i = 0; i < 3; i++) {
            var head = api.method("HEAD", "/api/v1/events/stream")
                    .bearer(tenant.adminToken())
                    .send();
            assertThat(head.status()).as("%s", head).isEqualTo(200);
            assertThat(head.header("Content-Type")).startsWith("text/event-stream");
            assertThat(head.body()).isEmpty();
        }
        assertThat(api.method("HEAD", "/api/v1/events/stream")
                        .bearer(tenant.adminToken())
                        .header("Last-Event-ID", UUID.randomUUID().toString())
                        .send()
                        .status())
                .isEqualTo(400);
        assertThat(api.method("HEAD", "/api/v1/events/stream").send().status()).isEqualTo(401);
        // A stream writing into a HEAD would never see its client go: none may stay open.
        await().atMost(Duration.ofSeconds(5)).until(() -> streams.open() == before);
    }

    @Test
    void an_unknown_last_event_id_is_a_problem_not_a_stream() {
        var tenant = newTenant();
        var response = api.get("/api/v1/events/stream")
                .bearer(tenant.adminToken())
                .header("Last-Event-ID", UUID.randomUUID().toString())
                .send();
        ProblemAssertions.assertProblem(response, 400, "/api/v1/events/stream");
    }

    @Test
    void a_durable_consumer_sees_every_event_once_in_log_order_however_commits_interleave() throws Exception {
        var tenant = newTenant();
        UUID tenantId = UUID.fromString(tenant.id());
        Set<UUID> appended = ConcurrentHashMap.newKeySet();
        try (var pool = Executors.newFixedThreadPool(8)) {
            for (int i = 0; i < 200; i++) {
                pool.submit(() -> TenantContext.callAs(
                        tenantId,
                        () -> transactions.execute(status -> {
                            for (int j = 0; j < 3; j++) {
                                appended.add(eventLog.append(new NewEvent(
                                        tenantId,
                                        EventTypes.ZONE_ENTERED,
                                        "/test",
                                        null,
                                        Instant.now(),
                                        null,
                                        null,
                                        List.of(),
                                        List.of(),
                                        Map.of())));
                                sleepUpTo(5);
                            }
                            return null;
                        })));
            }
        }
        await().atMost(Duration.ofSeconds(20))
                .until(() -> recorder.seen.stream()
                                .filter(e -> e.tenantId().equals(tenantId))
                                .count()
                        >= appended.size());
        List<Event> mine = recorder.seen.stream()
                .filter(e -> e.tenantId().equals(tenantId))
                .toList();
        assertThat(mine).hasSize(600);
        assertThat(mine.stream().map(Event::id).toList()).containsExactlyInAnyOrderElementsOf(appended);
        List<LogPosition> positions =
                recorder.seen.stream().map(Event::position).toList();
        List<LogPosition> sorted = new ArrayList<>(positions);
        Collections.sort(sorted);
        assertThat(positions).isEqualTo(sorted).doesNotHaveDuplicates();
    }

    @Test
    void the_log_is_read_in_transaction_id_order_not_in_the_text_order_of_the_ids() {
        var tenant = newTenant();
        // Transaction ids 9 and 10 precede every real one: "10" sorts before "9" as text.
        for (String xid : List.of("10", "9")) {
            jdbc.sql("""
                            insert into event (xid, id, tenant_id, type, source, time, data)
                            values (cast(:xid as xid8), :id, :tenantId, 'sextant.zone.entered', '/test', now(), '{}')""")
                    .param("xid", xid)
                    .param("id", UUID.randomUUID())
                    .param("tenantId", UUID.fromString(tenant.id()))
                    .update();
        }

        List<Event> oldest = eventLog.readAfter(LogPosition.START, 2);
        assertThat(oldest).extracting(e -> e.position().xid()).containsExactly(9L, 10L);
        assertThat(eventLog.readAfter(oldest.getFirst().position(), 1))
                .extracting(e -> e.position().xid())
                .containsExactly(10L);
    }

    private static void sleepUpTo(int millis) {
        try {
            Thread.sleep(ThreadLocalRandom.current().nextInt(millis + 1));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
