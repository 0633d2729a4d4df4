package io.sextant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sextant.testing.ApiClient;
import io.sextant.testing.ApiClient.Response;
import io.sextant.testing.PackagedJar;
import io.sextant.testing.SocketHttp;
import io.sextant.testing.SocketHttp.Reply;
import java.io.EOFException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A graceful shutdown seen from outside, on the packaged jar: after SIGTERM readiness goes down at
 * once; during the drain period new requests, on new connections or kept-alive ones, are answered
 * 503 {@code shutting-down}; then the listener closes and new connections are refused, while a
 * request on a connection kept alive from before is still answered 503; a large ingest batch that
 * was in flight all along completes and is acknowledged. No request is answered with a reset or an
 * empty reply.
 */
class GracefulShutdownIT {

    private static final String PASSWORD = "drain-test-admin-password";
    private static final Duration DRAIN = Duration.ofSeconds(5);
    private static final int BATCH = 5000;
    /** Generous: on a loaded two-core machine the jar has needed two minutes to start. */
    private static final Duration STARTUP = Duration.ofMinutes(5);

    @TempDir
    Path workDir;

    @Test
    void sigterm_finishes_in_flight_requests_answers_new_ones_503_then_refuses_connections() throws Exception {
        int port = PackagedJar.freePort();
        PackagedJar.Instance instance = new PackagedJar(workDir)
                .start(
                        "service",
                        port,
                        Map.of(
                                "SEXTANT_BOOTSTRAP_ADMIN_PASSWORD",
                                PASSWORD,
                                "SEXTANT_HTTP_SHUTDOWN_DRAIN",
                                DRAIN.toSeconds() + "s"));
        ApiClient api = instance.api();
        Process service = instance.process();
        try {
            instance.awaitHealthy(STARTUP);
            String token = api.signIn("admin", PASSWORD);
            Response asset = api.post("/api/v1/assets")
                    .bearer(token)
                    .json(Map.of("externalId", "drain-1", "name", "Drain", "type", "vehicle"))
                    .send();
            assertThat(asset.status()).as(asset.toString()).isEqualTo(201);

            // A large batch whose body is only half sent: the request is in flight when the signal comes.
            byte[] batch = batch();
            Socket inFlight = connect(port);
            SocketHttp.send(
                    inFlight,
                    SocketHttp.head(
                            "POST /api/v1/positions HTTP/1.1",
                            "Authorization: Bearer " + token,
                            "Content-Type: application/json",
                            "Content-Length: " + batch.length));
            SocketHttp.send(inFlight, Arrays.copyOfRange(batch, 0, batch.length / 2));
            // Clients that keep their connection open between requests: one sends its next request
            // during the drain, the other only once the listener is closed.
            Socket keptAlive = connect(port);
            SocketHttp.send(keptAlive, get(token, false));
            assertThat(SocketHttp.read(keptAlive.getInputStream()).status()).isEqualTo(200);
            Socket idle = connect(port);
            SocketHttp.send(idle, get(token, false));
            assertThat(SocketHttp.read(idle.getInputStream()).status()).isEqualTo(200);

            service.destroy(); // SIGTERM

            await().atMost(DRAIN).untilAsserted(() -> {
                Response readiness = api.get("/actuator/health/readiness").send();
                assertThat(readiness.status()).isEqualTo(503);
                assertThat(readiness.json().get("status").asString()).isEqualTo("OUT_OF_SERVICE");
            });
            SocketHttp.send(keptAlive, get(token, false));
            Reply onKeptAlive = SocketHttp.read(keptAlive.getInputStream());
            assertShuttingDown(onKeptAlive);
            assertThat(SocketHttp.closedByServer(keptAlive))
                    .as("the kept-alive connection is closed after the 503")
                    .isTrue();

            List<String> outcomes = probeUntilRefused(port, token);
            System.out.println("New connections after SIGTERM: " + outcomes);
            // A connection queued for the listener at the moment the listener closes is not refused:
            // the kernel resets it, or the connector, stopping, closes what it had just accepted (an
            // empty reply). One such probe, right before the refusals begin, is that moment (and
            // nowhere else may a probe be reset or go unanswered).
            int switchedAt = outcomes.indexOf("refused");
            if (switchedAt > 0
                    && (outcomes.get(switchedAt - 1).startsWith("reset: ")
                            || outcomes.get(switchedAt - 1).equals("empty reply"))) {
                outcomes = new java.util.ArrayList<>(outcomes);
                outcomes.remove(switchedAt - 1);
            }
            assertThat(outcomes)
                    .as("answers to new connections after SIGTERM")
                    .allMatch(o -> o.equals("served") || o.equals("shutting-down") || o.equals("refused"))
                    .contains("shutting-down")
                    .endsWith("refused", "refused", "refused");

            // The listener is closed, but a request on an open connection is still read and answered.
            SocketHttp.send(idle, get(token, false));
            assertShuttingDown(SocketHttp.read(idle.getInputStream()));
            assertThat(SocketHttp.closedByServer(idle)).isTrue();

            // The in-flight request still gets the rest of its body, and its answer.
            SocketHttp.send(inFlight, Arrays.copyOfRange(batch, batch.length / 2, batch.length));
            Reply acknowledged = SocketHttp.read(inFlight.getInputStream());
            assertThat(acknowledged.status()).as(acknowledged.toString()).isEqualTo(200);
            assertThat(acknowledged.json().get("accepted").asInt()).isEqualTo(BATCH);

            assertThat(service.waitFor(60, TimeUnit.SECONDS))
                    .as("stopped within 60 s of SIGTERM")
                    .isTrue();
            assertThat(service.exitValue()).as("exit status after SIGTERM").isIn(0, 143);
        } catch (AssertionError | Exception e) {
            service.destroyForcibly();
            throw new AssertionError(e.getMessage() + "\n--- service log ---\n" + instance.output(), e);
        }
    }

    /**
     * New connections, one every 100 ms, until three in a row are refused: what each got, as
     * served, shutting-down, refused or (a failure) anything else.
     */
    private static List<String> probeUntilRefused(int port, String token) throws InterruptedException {
        List<String> outcomes = new ArrayList<>();
        Instant deadline = Instant.now().plus(DRAIN.multipliedBy(4));
        int refusedInARow = 0;
        while (refusedInARow < 3 && Instant.now().isBefore(deadline)) {
            String outcome = probe(port, token);
            outcomes.add(outcome);
            refusedInARow = outcome.equals("refused") ? refusedInARow + 1 : 0;
            Thread.sleep(100);
        }
        return outcomes;
    }

    private static String probe(int port, String token) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 2000);
            socket.setSoTimeout(10_000);
            SocketHttp.send(socket, get(token, true));
            Reply reply = SocketHttp.read(socket.getInputStream());
            if (reply.status() == 200) {
                return "served";
            }
            if (reply.status() == 503
                    && "urn:sextant:problem:shutting-down".equals(reply.problemType())
                    && reply.header("Retry-After") != null) {
                return "shutting-down";
            }
            return "answered " + reply;
        } catch (ConnectException e) {
            return "refused";
        } catch (EOFException e) {
            return "empty reply";
        } catch (SocketException e) {
            return "reset: " + e.getMessage();
        } catch (IOException e) {
            return "failed: " + e;
        }
    }

    private static void assertShuttingDown(Reply reply) {
        assertThat(reply.status()).as(reply.toString()).isEqualTo(503);
        assertThat(reply.problemType()).isEqualTo("urn:sextant:problem:shutting-down");
        assertThat(reply.header("Retry-After")).matches("[1-9][0-9]*");
        assertThat(reply.header("Connection")).isEqualTo("close");
    }

    private static byte[] get(String token, boolean close) {
        return close
                ? SocketHttp.head("GET /api/v1/assets HTTP/1.1", "Authorization: Bearer " + token, "Connection: close")
                : SocketHttp.head("GET /api/v1/assets HTTP/1.1", "Authorization: Bearer " + token);
    }

    private static byte[] batch() {
        Instant start = Instant.now().minus(2, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS);
        List<Map<String, Object>> positions = new ArrayList<>();
        for (int i = 0; i < BATCH; i++) {
            positions.add(
                    Map.of("externalId", "drain-1", "time", start.plusSeconds(i).toString(), "lon", 4.9, "lat", 52.37));
        }
        return ApiClient.JSON.writeValueAsString(positions).getBytes(StandardCharsets.UTF_8);
    }

    private static Socket connect(int port) throws IOException {
        Socket socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout(60_000);
        return socket;
    }
}
