package io.sextant.platform.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.sextant.testing.SextantIT;
import io.sextant.testing.SocketHttp;
import io.sextant.testing.SocketHttp.Reply;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;

/**
 * Clients that hold a connection without finishing their request: one that stops inside the request
 * line, one that stops inside the body and one that trickles its body in. Each is cut off after its
 * timeout instead of holding the connection for as long as it likes.
 */
@TestPropertySource(
        properties = {
            "sextant.http.connection-timeout=2s",
            "sextant.http.body-timeout=2s",
            "sextant.http.body-min-rate=100B",
        })
class SlowClientIT extends SextantIT {

    /** Far beyond every timeout above; a server that never cuts the client off fails the test. */
    private static final Duration PATIENCE = Duration.ofSeconds(30);

    @Test
    void a_client_that_stops_inside_the_request_line_is_disconnected() throws IOException {
        try (Socket socket = connect()) {
            SocketHttp.send(socket, "GET /api/v1/ass".getBytes(StandardCharsets.US_ASCII));

            assertThat(drainUntilClosed(socket))
                    .as("the server closed the connection")
                    .isTrue();
        }
    }

    @Test
    void a_client_that_stops_inside_the_body_gets_a_408_problem_and_is_disconnected() throws IOException {
        try (Socket socket = connect()) {
            SocketHttp.send(
                    socket,
                    SocketHttp.head(
                            "POST /api/v1/assets HTTP/1.1",
                            "Authorization: Bearer " + adminToken,
                            "Content-Type: application/json",
                            "Content-Length: 200"));
            SocketHttp.send(socket, "{\"externalId\":\"stalled".getBytes(StandardCharsets.US_ASCII));

            Reply reply = SocketHttp.read(socket.getInputStream());

            assertThat(reply.status()).as(reply.toString()).isEqualTo(408);
            assertThat(reply.problemType()).isEqualTo("urn:sextant:problem:request-timeout");
            assertThat(reply.header("Connection")).isEqualTo("close");
            assertThat(SocketHttp.closedByServer(socket)).isTrue();
        }
    }

    @Test
    void a_client_that_trickles_its_body_is_cut_off_with_a_408_problem() throws IOException {
        TenantFixture tenant = newTenant();
        try (Socket socket = connect()) {
            SocketHttp.send(
                    socket,
                    SocketHttp.head(
                            "POST /api/v1/positions HTTP/1.1",
                            "Authorization: Bearer " + tenant.adminToken(),
                            "Content-Type: application/json",
                            "Content-Length: 5000"));
            // A byte every 200 ms: never silent for the 2 s the body timeout allows, but 5 bytes/s
            // where 100 are required once the 2 s grace period is over.
            InputStream in = socket.getInputStream();
            socket.setSoTimeout(200);
            long deadline = System.nanoTime() + PATIENCE.toNanos();
            int answered = -1;
            while (answered < 0 && System.nanoTime() < deadline) {
                SocketHttp.send(socket, new byte[] {' '});
                try {
                    answered = in.read();
                } catch (SocketTimeoutException stillReading) {
                    // the server is still waiting for the body: send the next byte
                }
            }
            assertThat(answered)
                    .as("the server answered before the client gave up")
                    .isEqualTo('H');
            socket.setSoTimeout(Math.toIntExact(PATIENCE.toMillis()));

            Reply reply = SocketHttp.read(prepend((byte) answered, in));

            assertThat(reply.status()).as(reply.toString()).isEqualTo(408);
            assertThat(reply.problemType()).isEqualTo("urn:sextant:problem:request-timeout");
            assertThat(reply.header("Connection")).isEqualTo("close");
        }
        assertThat(api.get("/api/v1/assets").bearer(tenant.adminToken()).send().status())
                .as("the server still serves other requests")
                .isEqualTo(200);
    }

    private Socket connect() throws IOException {
        Socket socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout(Math.toIntExact(PATIENCE.toMillis()));
        return socket;
    }

    /** Reads whatever the server sends until it closes the connection; false if it never does. */
    private static boolean drainUntilClosed(Socket socket) throws IOException {
        InputStream in = socket.getInputStream();
        try {
            while (in.read() >= 0) {
                // a response (if any) before the close
            }
            return true;
        } catch (SocketTimeoutException neverClosed) {
            return false;
        } catch (java.net.SocketException reset) {
            return true;
        }
    }

    private static InputStream prepend(byte first, InputStream rest) {
        return new java.io.SequenceInputStream(new java.io.ByteArrayInputStream(new byte[] {first}), rest);
    }
}
