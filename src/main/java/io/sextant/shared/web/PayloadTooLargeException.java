package io.sextant.shared.web;

import java.io.IOException;

/**
 * A request body went past its size limit while it was being read. It surfaces wherever the body
 * is read (a message converter, a streaming parser) and is answered as 413.
 */
public final class PayloadTooLargeException extends IOException {

    private static final long serialVersionUID = 1L;

    public PayloadTooLargeException(long limit) {
        super("the request body exceeds the limit of " + limit + " bytes");
    }

    /** Whether {@code failure} is, or was caused by, a body over its limit. */
    public static boolean isCause(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof PayloadTooLargeException) {
                return true;
            }
        }
        return false;
    }

    /** Rethrows the payload-too-large failure buried in {@code failure}'s causes, if there is one. */
    public static void rethrowIfCause(Throwable failure) throws PayloadTooLargeException {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof PayloadTooLargeException tooLarge) {
                throw tooLarge;
            }
        }
    }
}
