package io.sextant.shared.problem;

/**
 * A request an application service refuses, with the problem type slug ({@code
 * urn:sextant:problem:<slug>}), title and detail an adapter reports. Which kind it is decides the
 * status an adapter answers with; the message is the detail.
 */
public abstract sealed class DomainException extends RuntimeException
        permits NotFound,
                Gone,
                Conflict,
                PreconditionFailed,
                PreconditionRequired,
                Forbidden,
                Unauthorized,
                InvalidInput,
                Throttled,
                Unavailable {

    private static final long serialVersionUID = 1L;

    private final String slug;
    private final String title;
    private final java.util.Map<String, Object> extensions;

    DomainException(String slug, String title, String detail) {
        this(slug, title, detail, java.util.Map.of());
    }

    DomainException(String slug, String title, String detail, java.util.Map<String, Object> extensions) {
        super(detail);
        this.slug = slug;
        this.title = title;
        this.extensions = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(extensions));
    }

    /**
     * Members the problem carries besides type, title, status and detail (RFC 9457 extension
     * members), such as the commands a state allows, in the order given; empty for most refusals.
     */
    public java.util.Map<String, Object> extensions() {
        return extensions;
    }

    /** The last segment of the problem type, stable for clients to switch on (docs/api.md). */
    public String slug() {
        return slug;
    }

    public String title() {
        return title;
    }

    /** What was refused and why, for a human. */
    public String detail() {
        return String.valueOf(getMessage());
    }
}
