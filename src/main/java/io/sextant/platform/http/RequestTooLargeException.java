package io.sextant.platform.http;

import java.io.IOException;

/** A request body went past the configured maximum while it was being read. */
final class RequestTooLargeException extends IOException {

    private static final long serialVersionUID = 1L;

    RequestTooLargeException(long limit) {
        super("request body exceeds the limit of " + limit + " bytes");
    }
}
