package io.sextant.shared.problem;

/** One invalid field of a request and the reason it was refused. */
public record FieldError(String field, String reason) {}
