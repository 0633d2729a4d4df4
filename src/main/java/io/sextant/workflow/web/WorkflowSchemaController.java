package io.sextant.workflow.web;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
@Tag(name = "Workflow definitions")
class WorkflowSchemaController {

    private final String schema;

    WorkflowSchemaController() {
        try (InputStream in = getClass().getClassLoader().getResourceAsStream("workflow/definition.schema.json")) {
            if (in == null) {
                throw new IllegalStateException("workflow/definition.schema.json is missing from the classpath");
            }
            schema = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @GetMapping("/api/v1/workflows/schema")
    @PreAuthorize("hasAuthority('workflows:read')")
    @Operation(
            operationId = "getWorkflowDefinitionSchema",
            summary = "The JSON Schema (2020-12) every workflow definition is checked against")
    ResponseEntity<String> schema() {
        return ResponseEntity.ok()
                .contentType(MediaType.parseMediaType("application/schema+json"))
                .body(schema);
    }
}
