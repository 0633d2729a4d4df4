package io.sextant.events;

import static io.sextant.testing.ProblemAssertions.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sextant.testing.ApiClient.Response;
import io.sextant.testing.SextantIT;
import io.sextant.testing.WebSocketClient;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;

/**
 * The live stream of events over a WebSocket: the same events, filters, per-message authorization
 * and resumption as the Server-Sent Events stream, through a real handshake on the real server.
 */
@TestPropertySource(properties = {"sextant.events.stream-heartbeat=300ms", "sextant.events.relay-poll-interval=100ms"})
class EventSocketIT extends SextantIT {

    private static final String SOCKET = "/api/v1/events/socket";

    @Autowired
    EventLog eventLog;

    @Autowired
    EventStreams streams;

    @Autowired
    TransactionTemplate transactions;

    private String append(String tenant, String type, UUID asset) {
        return AppendedEvents.append(eventLog, transactions, tenant, type, asset, 1)
                .getFirst();
    }

    private static List<String> ids(List<JsonNode> messages) {
        return messages.stream().map(m -> m.get("id").asString()).toList();
    }

    @Test
    void matching_events_arrive_in_order_as_cloudevents_one_per_text_message_and_an_idle_socket_is_pinged() {
        TenantFixture tenant = newTenant();
        UUID truck = UUID.randomUUID();
        try (WebSocketClient socket = WebSocketClient.open(
                api.baseUrl() + SOCKET + "?type=sextant.zone.entered&type=sextant.zone.exited",
                tenant.adminToken(),
                "cloudevents.json")) {
            assertThat(socket.subprotocol()).isEqualTo("cloudevents.json");
            List<String> expected = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                expected.add(append(tenant.id(), i % 2 == 0 ? EventTypes.ZONE_ENTERED : EventTypes.ZONE_EXITED, truck));
                append(tenant.id(), EventTypes.ZONE_DWELL, truck);
            }
            append(newTenant().id(), EventTypes.ZONE_ENTERED, truck);

            List<JsonNode> messages = socket.take(7, Duration.ofSeconds(5));
            assertThat(ids(messages)).containsExactlyElementsOf(expected);
            JsonNode first = messages.getFirst();
            assertThat(first.get("specversion").asString()).isEqualTo("1.0");
            assertThat(first.get("type").asString()).isEqualTo(EventTypes.ZONE_ENTERED);
            assertThat(first.get("tenantid").asString()).isEqualTo(tenant.id());
            await().atMost(Duration.ofSeconds(5)).until(() -> socket.pings() >= 2);
        }
    }

    @Test
    void a_socket_resumed_after_its_last_event_id_loses_and_repeats_nothing_and_one_closed_is_unregistered() {
        TenantFixture tenant = newTenant();
        UUID truck = UUID.randomUUID();
        int before = streams.open();
        List<String> appended = new ArrayList<>();
        List<String> received = new ArrayList<>();
        try (WebSocketClient first = WebSocketClient.open(api.baseUrl() + SOCKET, tenant.adminToken())) {
            assertThat(first.subprotocol()).isEmpty();
            for (int i = 0; i < 5; i++) {
                appended.add(append(tenant.id(), EventTypes.ZONE_ENTERED, truck));
            }
            received.addAll(ids(first.take(5, Duration.ofSeconds(5))));
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> streams.open() == before);
        for (int i = 0; i < 5; i++) {
            appended.add(append(tenant.id(), EventTypes.ZONE_EXITED, truck));
        }
        try (WebSocketClient resumed = WebSocketClient.open(
                api.baseUrl() + SOCKET + "?lastEventId=" + received.getLast(), tenant.adminToken())) {
            received.addAll(ids(resumed.take(5, Duration.ofSeconds(5))));
            for (int i = 0; i < 5; i++) {
                appended.add(append(tenant.id(), EventTypes.ZONE_DWELL, truck));
            }
            received.addAll(ids(resumed.take(5, Duration.ofSeconds(5))));
            assertThat(resumed.take(1, Duration.ofMillis(500))).isEmpty();
        }
        assertThat(received).containsExactlyElementsOf(appended);
    }

    @Test
    void a_handshake_is_refused_with_the_status_of_the_stream_before_any_socket_opens() {
        TenantFixture tenant = newTenant();
        int before = streams.open();
        assertThat(refusal(null, "")).isEqualTo(401);
        assertThat(refusal(tenant.adminToken(), "?type=%25")).isEqualTo(400);
        assertThat(refusal(tenant.adminToken(), "?assetId=truck")).isEqualTo(400);
        assertThat(refusal(tenant.adminToken(), "?lastEventId=" + UUID.randomUUID()))
                .isEqualTo(400);
        assertThat(refusal(tenant.adminToken(), "?lastEventId=yesterday")).isEqualTo(400);
        Response user = api.post("/api/v1/tenants/" + tenant.id() + "/users")
                .bearer(tenant.adminToken())
                .json(Map.of(
                        "username", "nobody-" + tenant.slug(), "password", "password-of-nobody", "roles", List.of()))
                .send();
        assertThat(user.status()).as("%s", user).isEqualTo(201);
        String nobody = api.signIn("nobody-" + tenant.slug(), "password-of-nobody");
        assertThat(refusal(nobody, "")).isEqualTo(403);
        assertThat(streams.open()).isEqualTo(before);

        Response plain = api.get(SOCKET).bearer(tenant.adminToken()).send();
        assertProblem(plain, 426, SOCKET);
        assertThat(plain.header("Upgrade")).isEqualTo("websocket");
        Response badFilter =
                api.get(SOCKET + "?type=%25").bearer(tenant.adminToken()).send();
        assertProblem(badFilter, 400, SOCKET);
    }

    @Test
    void a_handshake_of_another_version_or_without_a_proper_key_is_a_problem_document() throws IOException {
        TenantFixture tenant = newTenant();
        String oldVersion = rawHandshake(tenant.adminToken(), "8", "dGhlIHNhbXBsZSBub25jZQ==");
        assertThat(oldVersion).startsWith("HTTP/1.1 426");
        assertThat(oldVersion).containsIgnoringCase("Sec-WebSocket-Version: 13");
        assertThat(oldVersion).contains("urn:sextant:problem:upgrade-required");
        String shortKey = rawHandshake(tenant.adminToken(), "13", "c2hvcnQ=");
        assertThat(shortKey).startsWith("HTTP/1.1 400");
        assertThat(shortKey).contains("Sec-WebSocket-Key");
        String proper = rawHandshake(tenant.adminToken(), "13", "dGhlIHNhbXBsZSBub25jZQ==");
        assertThat(proper).startsWith("HTTP/1.1 101");
        // RFC 6455 §1.3: the accept value of the sample nonce.
        assertThat(proper).containsIgnoringCase("Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
    }

    @Test
    void a_client_that_answers_no_ping_is_closed_and_one_that_does_stays_open_busy_or_idle() throws Exception {
        TenantFixture silent = newTenant();
        TenantFixture busy = newTenant();
        int before = streams.open();
        URI base = URI.create(api.baseUrl());
        try (WebSocketClient answering = WebSocketClient.open(api.baseUrl() + SOCKET, busy.adminToken());
                Socket unanswering = new Socket(base.getHost(), base.getPort())) {
            unanswering.setSoTimeout(30_000);
            OutputStream out = unanswering.getOutputStream();
            out.write(handshake(silent.adminToken(), "13", "dGhlIHNhbXBsZSBub25jZQ==")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            var in = unanswering.getInputStream();
            String head = readHead(in);
            assertThat(head).startsWith("HTTP/1.1 101");
            await().atMost(Duration.ofSeconds(5)).until(() -> streams.open() == before + 2);

            // Tomcat checks for silence every few seconds: the client that never answers a ping
            // (3 heartbeats of 300 ms) is closed, while the other receives events all along.
            UUID truck = UUID.randomUUID();
            List<String> sent = new ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(25).toNanos();
            boolean closed = false;
            unanswering.setSoTimeout(50);
            while (!closed && System.nanoTime() < deadline) {
                sent.add(append(busy.id(), EventTypes.ZONE_ENTERED, truck));
                closed = closedOrPinged(in);
            }
            assertThat(closed).as("the silent client was closed").isTrue();
            await().atMost(Duration.ofSeconds(5)).until(() -> streams.open() == before + 1);
            assertThat(ids(answering.take(sent.size(), Duration.ofSeconds(10)))).containsExactlyElementsOf(sent);
            assertThat(answering.pings()).isPositive();
            String after = append(busy.id(), EventTypes.ZONE_EXITED, truck);
            assertThat(ids(answering.take(1, Duration.ofSeconds(5)))).containsExactly(after);
        }
    }

    /** Reads what the server sent for up to the socket's timeout: true at a close frame or the end of the stream. */
    private static boolean closedOrPinged(java.io.InputStream in) throws IOException {
        try {
            while (true) {
                int first = in.read();
                if (first == -1 || (first & 0x0F) == 0x8) {
                    return true;
                }
                int length = in.read() & 0x7F;
                if (length == 126) {
                    length = (in.read() << 8) | in.read();
                }
                in.readNBytes(length);
            }
        } catch (java.net.SocketTimeoutException quiet) {
            return false;
        } catch (java.net.SocketException reset) {
            return true;
        }
    }

    private static String readHead(java.io.InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int next = in.read();
            if (next == -1) {
                break;
            }
            head.append((char) next);
        }
        return head.toString();
    }

    @Test
    void a_browser_offers_its_token_as_a_subprotocol_which_is_never_echoed_and_is_read_nowhere_else() {
        TenantFixture tenant = newTenant();
        try (WebSocketClient socket = WebSocketClient.open(
                api.baseUrl() + SOCKET, null, "cloudevents.json", "sextant.bearer." + tenant.adminToken())) {
            assertThat(socket.subprotocol()).isEqualTo("cloudevents.json");
            String seen = append(tenant.id(), EventTypes.ZONE_ENTERED, UUID.randomUUID());
            assertThat(ids(socket.take(1, Duration.ofSeconds(5)))).containsExactly(seen);
        }
        assertThat(refusal(null, "", "cloudevents.json", "sextant.bearer.not-a-token"))
                .isEqualTo(401);
        assertThat(refusal(
                        null,
                        "",
                        "cloudevents.json",
                        "sextant.bearer." + tenant.adminToken(),
                        "sextant.bearer." + newTenant().adminToken()))
                .isEqualTo(401);
        // Only a WebSocket handshake reads that header.
        Response plain = api.get("/api/v1/assets")
                .header("Sec-WebSocket-Protocol", "sextant.bearer." + tenant.adminToken())
                .send();
        assertThat(plain.status()).as("%s", plain).isEqualTo(401);
    }

    @Test
    void a_message_from_the_client_closes_the_socket_with_1003() {
        TenantFixture tenant = newTenant();
        try (WebSocketClient socket = WebSocketClient.open(api.baseUrl() + SOCKET, tenant.adminToken())) {
            socket.send("{\"subscribe\":\"everything\"}");
            WebSocketClient.Closed closed = socket.closedWithin(Duration.ofSeconds(5));
            assertThat(closed.code()).isEqualTo(1003);
        }
    }

    @Test
    void a_socket_whose_subscriber_loses_every_grant_of_events_read_closes_with_1008_access_ended() {
        TenantFixture tenant = newTenant();
        String name = "watcher-" + tenant.slug();
        Response user = api.post("/api/v1/tenants/" + tenant.id() + "/users")
                .bearer(tenant.adminToken())
                .json(Map.of("username", name, "password", "password-of-watcher", "roles", List.of()))
                .send();
        assertThat(user.status()).as("%s", user).isEqualTo(201);
        Response grant = api.post("/api/v1/grants")
                .bearer(tenant.adminToken())
                .json(Map.of("subject", "user:" + user.json().get("id").asString(), "role", "viewer"))
                .send();
        assertThat(grant.status()).as("%s", grant).isEqualTo(201);
        String watcher = api.signIn(name, "password-of-watcher");
        UUID truck = UUID.randomUUID();
        try (WebSocketClient socket = WebSocketClient.open(api.baseUrl() + SOCKET, watcher)) {
            String seen = append(tenant.id(), EventTypes.ZONE_ENTERED, truck);
            assertThat(ids(socket.take(1, Duration.ofSeconds(5)))).containsExactly(seen);

            assertThat(api.delete("/api/v1/grants/" + grant.json().get("id").asString())
                            .bearer(tenant.adminToken())
                            .send()
                            .status())
                    .isEqualTo(204);
            append(tenant.id(), EventTypes.ZONE_EXITED, truck);
            WebSocketClient.Closed closed = socket.closedWithin(Duration.ofSeconds(10));
            assertThat(closed).isEqualTo(new WebSocketClient.Closed(1008, "access-ended"));
            assertThat(socket.take(1, Duration.ofMillis(300))).isEmpty();
        }
    }

    @Test
    void a_node_that_stops_closes_its_sockets_with_1001_shutting_down() {
        TenantFixture tenant = newTenant();
        try (WebSocketClient socket = WebSocketClient.open(api.baseUrl() + SOCKET, tenant.adminToken())) {
            String seen = append(tenant.id(), EventTypes.ZONE_ENTERED, UUID.randomUUID());
            assertThat(ids(socket.take(1, Duration.ofSeconds(5)))).containsExactly(seen);
            streams.stop(); // what the node's shutdown does first
            assertThat(socket.closedWithin(Duration.ofSeconds(5)))
                    .isEqualTo(new WebSocketClient.Closed(1001, "shutting-down"));
        } finally {
            streams.start();
        }
    }

    private int refusal(@Nullable String token, String query, String... subprotocols) {
        try {
            WebSocketClient.open(api.baseUrl() + SOCKET + query, token, subprotocols)
                    .close();
            throw new AssertionError("opened");
        } catch (WebSocketClient.Refused refused) {
            return refused.status();
        }
    }

    private String handshake(String token, String version, String key) {
        URI base = URI.create(api.baseUrl());
        return "GET " + SOCKET + " HTTP/1.1\r\n"
                + "Host: " + base.getHost() + ":" + base.getPort() + "\r\n"
                + "Upgrade: websocket\r\n"
                + "Connection: Upgrade\r\n"
                + "Sec-WebSocket-Key: " + key + "\r\n"
                + "Sec-WebSocket-Version: " + version + "\r\n"
                + "Authorization: Bearer " + token + "\r\n"
                + "\r\n";
    }

    /** A handshake written by hand, for what the JDK's client will not send; the answer's head and body. */
    private String rawHandshake(String token, String version, String key) throws IOException {
        URI base = URI.create(api.baseUrl());
        try (Socket socket = new Socket(base.getHost(), base.getPort())) {
            socket.setSoTimeout(5_000);
            OutputStream out = socket.getOutputStream();
            out.write(handshake(token, version, key).getBytes(StandardCharsets.US_ASCII));
            out.flush();
            BufferedReader in =
                    new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            StringBuilder answer = new StringBuilder();
            String line;
            boolean switching = false;
            while ((line = in.readLine()) != null) {
                answer.append(line).append('\n');
                if (answer.length() == line.length() + 1) {
                    switching = line.startsWith("HTTP/1.1 101");
                }
                if (line.isEmpty() && switching) {
                    break; // the socket is open: nothing more comes until an event
                }
                if (line.isEmpty()) {
                    char[] body = new char[4096];
                    int read = in.read(body);
                    if (read > 0) {
                        answer.append(body, 0, read);
                    }
                    break;
                }
            }
            return answer.toString();
        }
    }
}
