package io.sextant.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * HTTP/1.1 over a plain socket, for requests no HTTP client library will send: invalid percent
 * escapes, raw control or non-ASCII bytes in the request line or a header, broken request lines.
 * Each call sends the bytes as given on a fresh connection and reads the answer until the server
 * closes it.
 */
public final class RawHttp {

    private final int port;

    public RawHttp(int port) {
        this.port = port;
    }

    /**
     * Sends {@code head} (request line and headers, each ending in CRLF, without the blank line;
     * {@code Host} and {@code Connection: close} are added) and {@code body}.
     */
    public Answer send(byte[] head, byte[] body) {
        ByteArrayOutputStream request = new ByteArrayOutputStream();
        request.writeBytes(head);
        request.writeBytes(
                ("Host: localhost:" + port + "\r\nConnection: close\r\n").getBytes(StandardCharsets.US_ASCII));
        if (body.length > 0) {
            request.writeBytes(("Content-Length: " + body.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
        }
        request.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
        request.writeBytes(body);
        return exchange(request.toByteArray());
    }

    /** Sends a request line (given as ISO-8859-1 text, one byte per char) with extra header lines. */
    public Answer send(String requestLine, String... headerLines) {
        StringBuilder head = new StringBuilder(requestLine).append("\r\n");
        for (String line : headerLines) {
            head.append(line).append("\r\n");
        }
        return send(head.toString().getBytes(StandardCharsets.ISO_8859_1), new byte[0]);
    }

    /** Sends exactly {@code bytes}, nothing added. */
    public Answer exchange(byte[] bytes) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("localhost", port), 5_000);
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            out.write(bytes);
            out.flush();
            socket.shutdownOutput();
            return Answer.parse(readAll(socket.getInputStream()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Everything the server sends until it closes; for a live event stream, which never ends, only
     * its head (status and headers): that is the answer.
     */
    private static byte[] readAll(InputStream in) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        int read;
        try {
            while ((read = in.read(buffer)) != -1) {
                bytes.write(buffer, 0, read);
                String received = bytes.toString(StandardCharsets.ISO_8859_1);
                int headEnd = received.indexOf("\r\n\r\n");
                if (headEnd >= 0
                        && received.substring(0, headEnd)
                                .toLowerCase(Locale.ROOT)
                                .contains("\r\ncontent-type: text/event-stream")) {
                    return received.substring(0, headEnd + 4).getBytes(StandardCharsets.ISO_8859_1);
                }
            }
        } catch (java.net.SocketException e) {
            // A server may reset after answering a request it refuses; what arrived is the answer.
            if (bytes.size() == 0) {
                throw e;
            }
        }
        return bytes.toByteArray();
    }

    /** A response as received: status, headers (names lower-cased) and the de-chunked body. */
    public record Answer(int status, Map<String, String> headers, String body) {

        public String contentType() {
            return headers.getOrDefault("content-type", "");
        }

        public boolean isProblem() {
            return contentType().startsWith("application/problem+json");
        }

        public JsonNode json() {
            return ApiClient.JSON.readTree(body);
        }

        static Answer parse(byte[] raw) {
            String text = new String(raw, StandardCharsets.ISO_8859_1);
            int end = text.indexOf("\r\n\r\n");
            if (!text.startsWith("HTTP/1.1 ") || end < 0) {
                throw new IllegalStateException("not an HTTP/1.1 response: " + text);
            }
            List<String> lines = new ArrayList<>(List.of(text.substring(0, end).split("\r\n")));
            int status = Integer.parseInt(lines.removeFirst().substring(9, 12));
            Map<String, String> headers = new LinkedHashMap<>();
            for (String line : lines) {
                int colon = line.indexOf(':');
                headers.put(
                        line.substring(0, colon).trim().toLowerCase(Locale.ROOT),
                        line.substring(colon + 1).trim());
            }
            byte[] body = java.util.Arrays.copyOfRange(raw, end + 4, raw.length);
            if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
                body = dechunk(body);
            }
            return new Answer(status, headers, new String(body, StandardCharsets.UTF_8));
        }

        private static byte[] dechunk(byte[] chunked) {
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            int at = 0;
            while (at < chunked.length) {
                int lineEnd = indexOfCrlf(chunked, at);
                String sizeLine = new String(chunked, at, lineEnd - at, StandardCharsets.US_ASCII);
                int size = Integer.parseInt(sizeLine.split(";")[0].trim(), 16);
                if (size == 0) {
                    break;
                }
                body.write(chunked, lineEnd + 2, size);
                at = lineEnd + 2 + size + 2;
            }
            return body.toByteArray();
        }

        private static int indexOfCrlf(byte[] bytes, int from) {
            for (int i = from; i < bytes.length - 1; i++) {
                if (bytes[i] == '\r' && bytes[i + 1] == '\n') {
                    return i;
                }
            }
            throw new IllegalStateException("a chunk size line without CRLF");
        }

        @Override
        public String toString() {
            return status + " " + contentType() + " " + body;
        }
    }
}
