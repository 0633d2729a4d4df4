package io.sextant.shared.problem;

/** The caller's expected version of a resource is not its current one. */
public final class PreconditionFailed extends DomainException {

    private static final long serialVersionUID = 1L;

    public PreconditionFailed(String detail) {
        super("precondition-failed", "Precondition failed", detail);
    }
}
