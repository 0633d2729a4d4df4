package io.sextant.workflow;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * A definition as published: its key and version (immutable together), the document exactly as
 * it was sent ({@code format} {@code json} or {@code yaml}), and who published it when.
 */
public record PublishedDefinition(
        String key,
        int version,
        @Nullable String description,
        String format,
        String document,
        Instant publishedAt,
        String publishedBy) {

    WorkflowDefinitionReader.Format readerFormat() {
        return format.equals("yaml") ? WorkflowDefinitionReader.Format.YAML : WorkflowDefinitionReader.Format.JSON;
    }
}
