package io.sextant.shared.problem;

import java.time.Duration;

/** Refused for a while (too many failed attempts); the caller may try again after {@link #retryAfter}. */
public final class Throttled extends DomainException {

    private static final long serialVersionUID = 1L;

    private final Duration retryAfter;

    public Throttled(String slug, String title, String detail, Duration retryAfter) {
        super(slug, title, detail);
        this.retryAfter = retryAfter;
    }

    /** Sign-in attempts refused during a lockout after too many failures. */
    public static Throttled signIn(String detail, Duration retryAfter) {
        return new Throttled("sign-in-throttled", "Too many failed sign-ins", detail, retryAfter);
    }

    public Duration retryAfter() {
        return retryAfter;
    }
}
