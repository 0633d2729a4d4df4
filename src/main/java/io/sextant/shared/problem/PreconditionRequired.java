package io.sextant.shared.problem;

/** An update that must name the version it expects did not. */
public final class PreconditionRequired extends DomainException {

    private static final long serialVersionUID = 1L;

    public PreconditionRequired(String detail) {
        super("precondition-required", "Precondition required", detail);
    }
}
