package io.sextant.workflow;

import java.util.List;
import java.util.stream.Collectors;

/**
 * A workflow definition that cannot be accepted, with every error found at once so that an author
 * fixes them in one round; the API reports them together in one 400.
 */
public final class InvalidDefinition extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final List<DefinitionError> errors;

    InvalidDefinition(List<DefinitionError> errors) {
        super(errors.stream().map(e -> e.pointer() + ": " + e.message()).collect(Collectors.joining("; ")));
        this.errors = List.copyOf(errors);
    }

    /** The errors in document order of the checks that found them. */
    public List<DefinitionError> errors() {
        return errors;
    }
}
