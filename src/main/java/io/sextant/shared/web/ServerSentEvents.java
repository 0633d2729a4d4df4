package io.sextant.shared.web;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import org.jspecify.annotations.Nullable;

/**
 * Writes Server-Sent Events frames to a response, each flushed. The response becomes an event
 * stream only at the first frame, so a request refused before it is still answered with a problem
 * document. A {@code HEAD} request is answered with the stream's headers at that first frame, which
 * then throws {@link HeadAnswered} to end the stream: a HEAD has no body to write, so a stream
 * writing into it would never notice its client had gone, and would hold its slot forever.
 */
public final class ServerSentEvents {

    private final HttpServletResponse response;
    private final boolean head;
    private @Nullable OutputStream out;

    public ServerSentEvents(HttpServletRequest request, HttpServletResponse response) {
        this.response = response;
        this.head = "HEAD".equals(request.getMethod());
    }

    /** Thrown by the first frame of a HEAD request, once its headers are sent: the stream ends there. */
    public static final class HeadAnswered extends IOException {
        HeadAnswered() {
            super("a HEAD request is answered with the stream's headers only", null);
        }
    }

    /** One message: its {@code id} (none if null), its {@code event} type and its one-line data. */
    public void message(@Nullable String id, String event, String data) throws IOException {
        write((id == null ? "" : "id: " + id + "\n") + "event: " + event + "\ndata: " + data + "\n\n");
    }

    /** A comment line, which clients ignore: a greeting or a keep-alive. */
    public void comment(String text) throws IOException {
        write(": " + text + "\n\n");
    }

    private void write(String frame) throws IOException {
        OutputStream stream = out;
        if (stream == null) {
            response.setContentType("text/event-stream");
            response.setCharacterEncoding("UTF-8");
            response.setHeader("Cache-Control", "no-store");
            response.setHeader("X-Accel-Buffering", "no");
            if (head) {
                response.flushBuffer();
                throw new HeadAnswered();
            }
            stream = response.getOutputStream();
            out = stream;
        }
        stream.write(frame.getBytes(StandardCharsets.UTF_8));
        stream.flush();
    }
}
