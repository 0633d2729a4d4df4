package io.sextant.shared.web;

import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import org.jspecify.annotations.Nullable;

/**
 * Writes Server-Sent Events frames to a response, each flushed. The response becomes an event
 * stream only at the first frame, so a request refused before it is still answered with a problem
 * document.
 */
public final class ServerSentEvents {

    private final HttpServletResponse response;
    private @Nullable OutputStream out;

    public ServerSentEvents(HttpServletResponse response) {
        this.response = response;
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
            stream = response.getOutputStream();
            out = stream;
        }
        stream.write(frame.getBytes(StandardCharsets.UTF_8));
        stream.flush();
    }
}
