package io.sextant.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sextant.testing.SextantIT;
import io.sextant.testing.SseClient;
import io.sextant.testing.WebSocketClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;

/**
 * A live stream whose client falls a whole buffer behind is ended rather than allowed to slow the
 * others, and its client resumes from the last event it received without a gap: over Server-Sent
 * Events (the connection ends) and over a WebSocket (close code 1013). A burst committed in one
 * transaction, larger than the buffer, reaches the streams at once and overflows it.
 */
@TestPropertySource(properties = {"sextant.events.stream-buffer=5", "sextant.events.relay-poll-interval=100ms"})
class StreamOverflowIT extends SextantIT {

    private static final int BURST = 40;

    @Autowired
    EventLog eventLog;

    @Autowired
    EventStreams streams;

    @Autowired
    TransactionTemplate transactions;

    /** Appends {@code count} events in one transaction; their ids in log order. */
    private List<String> burst(String tenant, int count) {
        return AppendedEvents.append(eventLog, transactions, tenant, EventTypes.ZONE_ENTERED, UUID.randomUUID(), count);
    }

    @Test
    void a_websocket_that_falls_a_buffer_behind_closes_with_1013_and_resumes_from_its_last_id_without_a_gap() {
        TenantFixture tenant = newTenant();
        String socketUrl = api.baseUrl() + "/api/v1/events/socket";
        List<String> appended = new ArrayList<>(burst(tenant.id(), 1));
        List<String> received = new ArrayList<>();
        // Opened after the first event, without resuming: the burst reaches it live, not from the log.
        try (WebSocketClient socket = WebSocketClient.open(socketUrl, tenant.adminToken())) {
            appended.addAll(burst(tenant.id(), BURST));
            WebSocketClient.Closed closed = socket.closedWithin(Duration.ofSeconds(10));
            assertThat(closed.code()).isEqualTo(1013);
            assertThat(closed.reason()).startsWith("too-slow");
            received.addAll(ids(socket.take(BURST, Duration.ofMillis(500))));
        }
        assertThat(received.size()).as("ended before the whole burst was sent").isLessThan(BURST);
        String resumeAfter = received.isEmpty() ? appended.getFirst() : received.getLast();
        try (WebSocketClient resumed =
                WebSocketClient.open(socketUrl + "?lastEventId=" + resumeAfter, tenant.adminToken())) {
            received.addAll(ids(resumed.take(BURST - received.size(), Duration.ofSeconds(10))));
            assertThat(resumed.take(1, Duration.ofMillis(300))).isEmpty();
        }
        assertThat(received).containsExactlyElementsOf(appended.subList(1, appended.size()));
    }

    @Test
    void a_server_sent_events_stream_that_falls_a_buffer_behind_ends_and_resumes_from_its_last_id_without_a_gap() {
        TenantFixture tenant = newTenant();
        String streamUrl = api.baseUrl() + "/api/v1/events/stream";
        int before = streams.open();
        List<String> appended = new ArrayList<>(burst(tenant.id(), 1));
        List<String> received = new ArrayList<>();
        try (SseClient stream = SseClient.open(streamUrl, tenant.adminToken(), null)) {
            appended.addAll(burst(tenant.id(), BURST));
            await().atMost(Duration.ofSeconds(10)).until(() -> streams.open() == before);
            stream.take(BURST, Duration.ofMillis(500)).forEach(message -> received.add(message.id()));
        }
        assertThat(received.size()).as("ended before the whole burst was sent").isLessThan(BURST);
        String resumeAfter = received.isEmpty() ? appended.getFirst() : received.getLast();
        try (SseClient resumed = SseClient.open(streamUrl, tenant.adminToken(), resumeAfter)) {
            resumed.take(BURST - received.size(), Duration.ofSeconds(10))
                    .forEach(message -> received.add(message.id()));
            assertThat(resumed.take(1, Duration.ofMillis(300))).isEmpty();
        }
        assertThat(received).containsExactlyElementsOf(appended.subList(1, appended.size()));
    }

    private static List<String> ids(List<JsonNode> messages) {
        return messages.stream().map(m -> m.get("id").asString()).toList();
    }
}
