package io.sextant.shared.problem;

import java.util.List;

/** Fields of a request are invalid: each named with the reason, as bean validation reports them. */
public final class InvalidInput extends DomainException {

    private static final long serialVersionUID = 1L;

    private final List<FieldError> errors;

    public InvalidInput(String field, String reason) {
        this(List.of(new FieldError(field, reason)));
    }

    public InvalidInput(List<FieldError> errors) {
        super("validation", "Invalid request", summary(errors));
        this.errors = List.copyOf(errors);
    }

    public List<FieldError> errors() {
        return errors;
    }

    /** The detail of a validation problem: the one field and why, or how many fields are invalid. */
    public static String summary(List<FieldError> errors) {
        return errors.size() == 1
                ? errors.getFirst().field() + ": " + errors.getFirst().reason()
                : errors.size() + " fields are invalid";
    }
}
