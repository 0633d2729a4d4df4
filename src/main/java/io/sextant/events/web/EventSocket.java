package io.sextant.events.web;

import io.sextant.events.EventStreams;
import io.sextant.shared.TenantContext;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.core.Authentication;
import org.springframework.web.socket.BinaryMessage;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.PingMessage;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketMessage;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.adapter.NativeWebSocketSession;
import org.springframework.web.socket.handler.AbstractWebSocketHandler;

/**
 * One live stream of events over a WebSocket (RFC 6455), after the handshake the controller made:
 * the stream it opened runs on a thread of its own as the caller, and is the only writer of the
 * connection. Each event is one text message, the CloudEvent in JSON (the structured mode of the
 * CloudEvents WebSocket binding); an idle stream sends pings; the stream ends with a close code
 * that says why. The client sends nothing: a message from it closes the connection (1003).
 */
final class EventSocket extends AbstractWebSocketHandler {

    private static final Logger log = LoggerFactory.getLogger(EventSocket.class);

    /** The close reasons a client can act on (RFC 6455 §7.4; the reason is at most 123 bytes). */
    private static final CloseStatus ACCESS_ENDED = CloseStatus.POLICY_VIOLATION.withReason(EventStreams.ACCESS_ENDED);

    private static final CloseStatus TOO_SLOW =
            CloseStatus.SERVICE_OVERLOAD.withReason("too-slow: reconnect with lastEventId set to the last id received");
    private static final CloseStatus SHUTTING_DOWN = CloseStatus.GOING_AWAY.withReason("shutting-down");
    private static final CloseStatus TAKES_NO_MESSAGES =
            CloseStatus.NOT_ACCEPTABLE.withReason("this stream takes no messages from its client");

    private static final String OPENED = "sextant.stream";
    private static final String CALLER = "sextant.caller";
    private static final String REFUSED = "sextant.refused";

    /** Tomcat's per-session limit on silence from the client, after which it closes the session. */
    private static final String READ_IDLE_TIMEOUT = "org.apache.tomcat.websocket.READ_IDLE_TIMEOUT_MS";

    private final EventStreams streams;
    private final Duration heartbeat;

    /**
     * Pings every {@code heartbeat}, busy or idle; a client that answers none for three of them
     * (a connection that vanished without closing: a phone out of coverage, a NAT that forgot it)
     * is closed, and its stream with it.
     */
    EventSocket(EventStreams streams, Duration heartbeat) {
        this.streams = streams;
        this.heartbeat = heartbeat;
    }

    /** The handshake attributes that hand an opened stream and its caller to the connection. */
    static Map<String, Object> attributes(EventStreams.Opened opened, Authentication caller) {
        return new HashMap<>(Map.of(OPENED, opened, CALLER, caller));
    }

    @Override
    public void afterConnectionEstablished(WebSocketSession session) {
        if (!(session.getAttributes().get(OPENED) instanceof EventStreams.Opened opened)
                || !(session.getAttributes().get(CALLER) instanceof Authentication caller)) {
            throw new IllegalStateException("an event socket is opened by its controller's handshake only");
        }
        session.setTextMessageSizeLimit(1024);
        session.setBinaryMessageSizeLimit(1024);
        if (session instanceof NativeWebSocketSession container
                && container.getNativeSession() instanceof jakarta.websocket.Session tomcat) {
            tomcat.getUserProperties()
                    .put(READ_IDLE_TIMEOUT, heartbeat.multipliedBy(3).toMillis());
        }
        Thread.ofVirtual().name("event-socket-" + session.getId()).start(() -> run(session, opened, caller));
    }

    private void run(WebSocketSession session, EventStreams.Opened opened, Authentication caller) {
        CloseStatus status = SHUTTING_DOWN;
        try (opened) {
            EventStreams.Ending ending =
                    TenantContext.callFor(caller, () -> runStream(opened, new Frames(session, heartbeat)));
            status = switch (ending) {
                case ACCESS_ENDED -> ACCESS_ENDED;
                case TOO_SLOW -> TOO_SLOW;
                case SHUTDOWN -> SHUTTING_DOWN;
            };
        } catch (UncheckedIOException e) {
            log.debug("Event socket {} ended: the client went away ({})", session.getId(), e.getMessage());
        } catch (RuntimeException e) {
            if (session.isOpen() && session.getAttributes().get(REFUSED) == null) {
                log.warn("Event socket {} failed", session.getId(), e);
            }
            status = CloseStatus.SERVER_ERROR;
        }
        CloseStatus refused = (CloseStatus) session.getAttributes().get(REFUSED);
        close(session, refused != null ? refused : status);
    }

    private EventStreams.Ending runStream(EventStreams.Opened opened, Frames frames) {
        try {
            return streams.run(opened, frames);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    protected void handleTextMessage(WebSocketSession session, TextMessage message) {
        refuse(session, TAKES_NO_MESSAGES);
    }

    @Override
    protected void handleBinaryMessage(WebSocketSession session, BinaryMessage message) {
        refuse(session, TAKES_NO_MESSAGES);
    }

    @Override
    public void handleTransportError(WebSocketSession session, Throwable exception) {
        log.debug("Event socket {}: transport error {}", session.getId(), exception.toString());
        stop(session);
    }

    @Override
    public void afterConnectionClosed(WebSocketSession session, CloseStatus status) {
        stop(session);
    }

    /** Ends the stream, which then closes with {@code status} from its own thread (the one writer). */
    private static void refuse(WebSocketSession session, CloseStatus status) {
        session.getAttributes().putIfAbsent(REFUSED, status);
        stop(session);
    }

    private static void stop(WebSocketSession session) {
        if (session.getAttributes().get(OPENED) instanceof EventStreams.Opened opened) {
            opened.cancel();
        }
    }

    private static void close(WebSocketSession session, CloseStatus status) {
        if (!session.isOpen()) {
            return;
        }
        try {
            session.close(status);
        } catch (IOException | IllegalStateException e) {
            log.debug("Event socket {}: closing failed ({})", session.getId(), e.toString());
        }
    }

    /**
     * Writes the stream's messages as text frames and pings at every heartbeat, including between
     * messages of a busy stream, so that a live client always has a ping to answer.
     */
    private static final class Frames implements EventStreams.Sink {
        private final WebSocketSession session;
        private final long heartbeatNanos;
        private long pinged = System.nanoTime();

        Frames(WebSocketSession session, Duration heartbeat) {
            this.session = session;
            this.heartbeatNanos = heartbeat.toNanos();
        }

        @Override
        public void message(String id, String type, String data) throws IOException {
            send(new TextMessage(data));
            if (System.nanoTime() - pinged >= heartbeatNanos) {
                ping();
            }
        }

        @Override
        public void comment(String text) throws IOException {
            if (text.equals("heartbeat")) {
                ping();
            }
            // "connected" is the handshake itself; an ending is told by the close code.
        }

        private void ping() throws IOException {
            send(new PingMessage());
            pinged = System.nanoTime();
        }

        private void send(WebSocketMessage<?> message) throws IOException {
            if (!session.isOpen()) {
                throw new IOException("the connection is closed");
            }
            try {
                session.sendMessage(message);
            } catch (IllegalStateException e) {
                throw new IOException("the connection is closed", e);
            }
        }
    }
}
