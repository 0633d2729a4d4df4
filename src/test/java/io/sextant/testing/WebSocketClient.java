package io.sextant.testing;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * A WebSocket client for tests, on the JDK's own: queues every text message (parsed as JSON),
 * counts the pings it answers and remembers how the server closed, until closed itself.
 */
public final class WebSocketClient implements AutoCloseable {

    /** How the server closed the connection: its close code and reason. */
    public record Closed(int code, String reason) {}

    private final BlockingQueue<JsonNode> messages = new LinkedBlockingQueue<>();
    private final AtomicInteger pings = new AtomicInteger();
    private final CompletableFuture<Closed> closed = new CompletableFuture<>();
    private @Nullable WebSocket socket;

    private WebSocketClient() {}

    /** Opens {@code url} (http or https; the scheme becomes ws or wss) with a bearer token and subprotocols. */
    public static WebSocketClient open(String url, @Nullable String token, String... subprotocols) {
        WebSocketClient client = new WebSocketClient();
        WebSocket.Builder builder =
                HttpClient.newHttpClient().newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5));
        if (token != null) {
            builder.header("Authorization", "Bearer " + token);
        }
        if (subprotocols.length > 0) {
            builder.subprotocols(subprotocols[0], java.util.Arrays.copyOfRange(subprotocols, 1, subprotocols.length));
        }
        try {
            client.socket = builder.buildAsync(URI.create(url.replaceFirst("^http", "ws")), client.listener())
                    .get(10, TimeUnit.SECONDS);
            return client;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof WebSocketHandshakeException refused) {
                throw new Refused(refused.getResponse().statusCode());
            }
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (TimeoutException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The status a server answered a handshake with, other than 101. */
    public static final class Refused extends RuntimeException {
        private final int status;

        Refused(int status) {
            super("the handshake was answered " + status);
            this.status = status;
        }

        public int status() {
            return status;
        }
    }

    private WebSocket.Listener listener() {
        return new WebSocket.Listener() {
            private final StringBuilder text = new StringBuilder();

            @Override
            public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                text.append(data);
                if (last) {
                    messages.add(ApiClient.JSON.readTree(text.toString()));
                    text.setLength(0);
                }
                webSocket.request(1);
                return null;
            }

            @Override
            public CompletionStage<?> onPing(WebSocket webSocket, ByteBuffer message) {
                pings.incrementAndGet();
                webSocket.request(1);
                return null; // the JDK answers with a pong
            }

            @Override
            public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
                closed.complete(new Closed(statusCode, reason));
                return null;
            }

            @Override
            public void onError(WebSocket webSocket, Throwable error) {
                closed.completeExceptionally(error);
            }
        };
    }

    /** The subprotocol the server chose, empty if none. */
    public String subprotocol() {
        return socket().getSubprotocol();
    }

    /** Up to {@code count} messages, waiting at most {@code timeout} in all. */
    public List<JsonNode> take(int count, Duration timeout) {
        List<JsonNode> taken = new ArrayList<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            while (taken.size() < count) {
                JsonNode next = messages.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                if (next == null) {
                    break;
                }
                taken.add(next);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return taken;
    }

    public int pings() {
        return pings.get();
    }

    /** How the server closed, waiting at most {@code timeout}. */
    public Closed closedWithin(Duration timeout) {
        try {
            return closed.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | CompletionException e) {
            throw new IllegalStateException("the connection failed", e.getCause());
        } catch (TimeoutException e) {
            throw new AssertionError("the server did not close within " + timeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Sends a text message to the server. */
    public void send(String text) {
        socket().sendText(text, true).join();
    }

    private WebSocket socket() {
        WebSocket open = socket;
        if (open == null) {
            throw new IllegalStateException("not open");
        }
        return open;
    }

    @Override
    public void close() {
        WebSocket open = socket;
        if (open != null && !open.isOutputClosed()) {
            try {
                open.sendClose(WebSocket.NORMAL_CLOSURE, "done").get(5, TimeUnit.SECONDS);
            } catch (ExecutionException | TimeoutException e) {
                open.abort();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                open.abort();
            }
        }
        if (open != null) {
            open.abort();
        }
    }
}
