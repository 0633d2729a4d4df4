package io.sextant.shared.problem;

/** The thing a request names does not exist (in the caller's tenant). */
public final class NotFound extends DomainException {

    private static final long serialVersionUID = 1L;

    /** {@code what} with {@code id} does not exist. */
    public NotFound(String what, Object id) {
        this(what + " " + id + " does not exist");
    }

    public NotFound(String detail) {
        super("not-found", "Not found", detail);
    }
}
