package io.sextant.tracking.protocol;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Payloads of tracker apps as captured, from {@code src/test/resources/protocols/}. */
final class ProtocolFixtures {

    private ProtocolFixtures() {}

    static byte[] bytes(String name) {
        try (InputStream in = ProtocolFixtures.class.getResourceAsStream("/protocols/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no fixture protocols/" + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String text(String name) {
        return new String(bytes(name), StandardCharsets.UTF_8).strip();
    }

    /** The requests in a file of query strings: one a line, blank lines and {@code #} comments skipped. */
    static List<String> requests(String name) {
        return text(name)
                .lines()
                .filter(line -> !line.isBlank() && !line.startsWith("#"))
                .toList();
    }

    /** A query string or form body as the servlet container decodes it: every name's values, in order. */
    static Map<String, List<String>> parameters(String query) {
        Map<String, List<String>> parameters = new LinkedHashMap<>();
        for (String pair : query.split("&", -1)) {
            int equals = pair.indexOf('=');
            String name = decode(equals < 0 ? pair : pair.substring(0, equals));
            String value = equals < 0 ? "" : decode(pair.substring(equals + 1));
            parameters.computeIfAbsent(name, n -> new ArrayList<>()).add(value);
        }
        return parameters;
    }

    private static String decode(String text) {
        return URLDecoder.decode(text, StandardCharsets.UTF_8);
    }
}
