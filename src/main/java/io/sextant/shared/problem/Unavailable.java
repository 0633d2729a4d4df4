package io.sextant.shared.problem;

import java.time.Duration;
import org.jspecify.annotations.Nullable;

/** The service cannot take the request now (at capacity); when known, how soon to try again. */
public non-sealed class Unavailable extends DomainException {

    private static final long serialVersionUID = 1L;

    private final @Nullable Duration retryAfter;

    public Unavailable(String slug, String title, String detail, @Nullable Duration retryAfter) {
        super(slug, title, detail);
        this.retryAfter = retryAfter;
    }

    public @Nullable Duration retryAfter() {
        return retryAfter;
    }
}
