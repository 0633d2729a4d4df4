package io.sextant.shared.problem;

/** The thing a request names existed and is no more, for good: an expired export's content. */
public final class Gone extends DomainException {

    private static final long serialVersionUID = 1L;

    /** A refusal of its own documented type, such as {@code export-expired}. */
    public Gone(String slug, String title, String detail) {
        super(slug, title, detail);
    }
}
