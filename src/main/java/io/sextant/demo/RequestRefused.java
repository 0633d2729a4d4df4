package io.sextant.demo;

/** The server answered a demo request with an error status. */
final class RequestRefused extends Exception {

    private static final long serialVersionUID = 1L;

    RequestRefused(String message) {
        super(message);
    }
}
