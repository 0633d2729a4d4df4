package io.sextant.workflow.web;

import io.sextant.workflow.WorkflowDefinitions;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
@Tag(name = "Workflow definitions")
class WorkflowSchemaController {

    private final WorkflowDefinitions definitions;

    WorkflowSchemaController(WorkflowDefinitions definitions) {
        this.definitions = definitions;
    }

    @GetMapping("/api/v1/workflows/schema")
    @PreAuthorize("hasAuthority('workflows:read')")
    @Operation(
            operationId = "getWorkflowDefinitionSchema",
            summary = "The JSON Schema (2020-12) every workflow definition is checked against")
    ResponseEntity<String> schema() {
        return ResponseEntity.ok()
                .contentType(MediaType.parseMediaType("application/schema+json"))
                .body(definitions.schema());
    }
}
