package io.sextant.workflow;

/**
 * One thing wrong with a workflow definition: where, as a JSON pointer into the document (for
 * example {@code /states/en_route/on/1/target}; the empty pointer is the whole document), and why.
 */
public record DefinitionError(String pointer, String message) {}
