package io.sextant.shared.problem;

/** The request contradicts the current state: a duplicate, a limit reached, a state that forbids it. */
public final class Conflict extends DomainException {

    private static final long serialVersionUID = 1L;

    public Conflict(String detail) {
        this("conflict", "Conflict", detail);
    }

    /** A conflict of its own documented type, such as {@code zone-limit-reached}. */
    public Conflict(String slug, String title, String detail) {
        super(slug, title, detail);
    }

    /** A conflict of its own type whose problem also carries these extension members. */
    public Conflict(String slug, String title, String detail, java.util.Map<String, Object> extensions) {
        super(slug, title, detail, extensions);
    }
}
