package io.sextant.shared.web;

import jakarta.servlet.http.HttpServletRequest;
import java.util.Base64;
import java.util.Collections;
import java.util.Locale;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.web.ErrorResponseException;

/**
 * Checks that a request is a WebSocket opening handshake (RFC 6455 §4.2.1) before an endpoint
 * opens anything for it, so a plain request gets a problem document rather than the upgrade
 * machinery's bare status: {@code 426 upgrade-required} (with {@code Upgrade: websocket}, or {@code
 * Sec-WebSocket-Version: 13}) when it does not ask for a WebSocket of version 13, {@code 400} when its
 * key is not 16 bytes in base64.
 */
public final class WebSocketHandshakes {

    private WebSocketHandshakes() {}

    /** Whether {@code request} asks to become a WebSocket: a GET with {@code Upgrade: websocket}. */
    public static boolean asksForWebSocket(HttpServletRequest request) {
        return "GET".equals(request.getMethod()) && listsToken(request, HttpHeaders.UPGRADE, "websocket");
    }

    public static void require(HttpServletRequest request) {
        if (!asksForWebSocket(request) || !listsToken(request, HttpHeaders.CONNECTION, "upgrade")) {
            ErrorResponseException refusal =
                    upgradeRequired("this endpoint is a WebSocket: open it with GET and the headers Upgrade: websocket,"
                            + " Connection: Upgrade, Sec-WebSocket-Key and Sec-WebSocket-Version: 13");
            refusal.getHeaders().set(HttpHeaders.UPGRADE, "websocket");
            throw refusal;
        }
        String version = request.getHeader("Sec-WebSocket-Version");
        if (version == null || !version.strip().equals("13")) {
            ErrorResponseException refusal = upgradeRequired("Sec-WebSocket-Version must be 13 (RFC 6455)");
            refusal.getHeaders().set("Sec-WebSocket-Version", "13");
            throw refusal;
        }
        if (!isKey(request.getHeader("Sec-WebSocket-Key"))) {
            throw Problems.invalid("Sec-WebSocket-Key", "must be 16 random bytes in base64 (RFC 6455 §4.1)");
        }
    }

    private static ErrorResponseException upgradeRequired(String detail) {
        return Problems.of(HttpStatus.UPGRADE_REQUIRED, "upgrade-required", "Upgrade required", detail);
    }

    private static boolean listsToken(HttpServletRequest request, String header, String token) {
        for (String value : Collections.list(request.getHeaders(header))) {
            for (String element : value.split(",")) {
                if (element.strip().toLowerCase(Locale.ROOT).equals(token)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean isKey(@Nullable String key) {
        if (key == null) {
            return false;
        }
        try {
            return Base64.getDecoder().decode(key.strip()).length == 16;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
