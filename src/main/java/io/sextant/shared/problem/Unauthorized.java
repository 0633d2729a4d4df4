package io.sextant.shared.problem;

/** The caller could not be authenticated. */
public final class Unauthorized extends DomainException {

    private static final long serialVersionUID = 1L;

    public Unauthorized(String detail) {
        super("unauthorized", "Unauthorized", detail);
    }
}
