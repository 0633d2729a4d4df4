package io.sextant.delivery;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A webhook receiver on loopback for tests: records every request (arrival time, headers, body) and
 * answers as {@code behaviour} decides, optionally after a pause (to outlast a sender's timeout).
 */
public final class WebhookReceiver implements AutoCloseable {

    private final HttpServer server;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private volatile Function<Request, Answer> behaviour;

    public WebhookReceiver(Function<Request, Answer> behaviour) {
        this.behaviour = behaviour;
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 100);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    public static WebhookReceiver answering(int status) {
        return new WebhookReceiver(request -> new Answer(status, 0));
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
    }

    public void behave(Function<Request, Answer> behaviour) {
        this.behaviour = behaviour;
    }

    public List<Request> requests() {
        return List.copyOf(requests);
    }

    private void handle(HttpExchange exchange) throws IOException {
        Instant arrived = Instant.now();
        String body;
        try (InputStream in = exchange.getRequestBody()) {
            body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        Map<String, String> headers = new java.util.TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        exchange.getRequestHeaders().forEach((name, values) -> headers.put(name, values.getFirst()));
        Request request = new Request(arrived, exchange.getRequestMethod(), headers, body);
        Answer answer = behaviour.apply(request);
        requests.add(request.answered(answer));
        try {
            if (answer.delayMillis() > 0) {
                Thread.sleep(answer.delayMillis());
            }
            exchange.sendResponseHeaders(answer.status(), -1);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException senderGaveUp) {
            // The sender timed out and closed the connection: that is the point of a delayed answer.
        } finally {
            exchange.close();
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    /** How the receiver answers one request. */
    public record Answer(int status, long delayMillis) {}

    /** One request as received, with the answer given. */
    public record Request(Instant arrived, String method, Map<String, String> headers, String body, Answer answer) {

        Request(Instant arrived, String method, Map<String, String> headers, String body) {
            this(arrived, method, headers, body, new Answer(0, 0));
        }

        Request answered(Answer given) {
            return new Request(arrived, method, headers, body, given);
        }

        public String webhookId() {
            return headers.get("webhook-id");
        }

        /** Verifies the Standard Webhooks signature as a receiver would, computed independently here. */
        public boolean signatureVerifies(String secret) {
            try {
                Mac mac = Mac.getInstance("HmacSHA256");
                mac.init(new SecretKeySpec(
                        Base64.getDecoder().decode(secret.substring("whsec_".length())), "HmacSHA256"));
                String signed = headers.get("webhook-id") + "." + headers.get("webhook-timestamp") + "." + body;
                String expected = "v1,"
                        + Base64.getEncoder().encodeToString(mac.doFinal(signed.getBytes(StandardCharsets.UTF_8)));
                String header = headers.get("webhook-signature");
                return header != null && List.of(header.split(" ")).contains(expected);
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        }

        /** An immediate 2xx: the sender saw it succeed (a delayed answer came after it gave up). */
        public boolean succeeded() {
            return answer.status() >= 200 && answer.status() < 300 && answer.delayMillis() == 0;
        }
    }
}
