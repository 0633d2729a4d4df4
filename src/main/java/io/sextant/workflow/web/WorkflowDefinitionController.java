package io.sextant.workflow.web;

import io.sextant.shared.web.CursorPage;
import io.sextant.shared.web.PageLimits;
import io.sextant.shared.web.Problems;
import io.sextant.workflow.PublishedDefinition;
import io.sextant.workflow.WorkflowDefinitionReader;
import io.sextant.workflow.WorkflowDefinitions;
import io.sextant.workflow.WorkflowInstances;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.net.URI;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v1/workflows/definitions")
@Tag(name = "Workflow definitions", description = "Versioned, immutable state-machine definitions in JSON or YAML")
class WorkflowDefinitionController {

    static final String YAML = "application/yaml";

    private final WorkflowDefinitions definitions;
    private final WorkflowInstances instances;

    WorkflowDefinitionController(WorkflowDefinitions definitions, WorkflowInstances instances) {
        this.definitions = definitions;
        this.instances = instances;
    }

    @PostMapping(consumes = {MediaType.APPLICATION_JSON_VALUE, YAML, "application/x-yaml", "text/yaml"})
    @ResponseStatus(HttpStatus.CREATED) // what the response entity says too; this tells the OpenAPI document
    @PreAuthorize("hasAuthority('workflows:define')")
    @Operation(
            operationId = "publishWorkflowDefinition",
            summary = "Publish a definition (JSON, or YAML with Content-Type application/yaml) as the next version"
                    + " of its key. Checked against the published JSON Schema /api/v1/workflows/schema and"
                    + " statically; every error in one 400, each with its JSON pointer")
    ResponseEntity<PublishedDefinition> publish(
            @RequestHeader(HttpHeaders.CONTENT_TYPE) String contentType, @RequestBody String document) {
        PublishedDefinition published = definitions.publish(document, format(contentType));
        return ResponseEntity.created(URI.create(
                        "/api/v1/workflows/definitions/" + published.key() + "/versions/" + published.version()))
                .body(published);
    }

    @GetMapping
    @PreAuthorize("hasAuthority('workflows:read')")
    @Operation(operationId = "listWorkflowDefinitions", summary = "The latest version of each definition, by key")
    CursorPage<PublishedDefinition> list(
            @RequestParam(required = false) @Nullable String cursor,
            @RequestParam(defaultValue = "" + PageLimits.DEFAULT) int limit) {
        return definitions.list(cursor, PageLimits.check(limit));
    }

    @GetMapping("/{key}")
    @PreAuthorize("hasAuthority('workflows:read')")
    @Operation(operationId = "getWorkflowDefinition", summary = "The latest version of a definition")
    PublishedDefinition get(@PathVariable String key) {
        return definitions.get(key, null);
    }

    @GetMapping("/{key}/versions")
    @PreAuthorize("hasAuthority('workflows:read')")
    @Operation(operationId = "listWorkflowDefinitionVersions", summary = "Every version of a definition, newest first")
    CursorPage<PublishedDefinition> versions(
            @PathVariable String key,
            @RequestParam(required = false) @Nullable String cursor,
            @RequestParam(defaultValue = "" + PageLimits.DEFAULT) int limit) {
        return definitions.versions(key, cursor, PageLimits.check(limit));
    }

    @GetMapping("/{key}/versions/{version}")
    @PreAuthorize("hasAuthority('workflows:read')")
    @Operation(operationId = "getWorkflowDefinitionVersion", summary = "One version of a definition")
    PublishedDefinition version(@PathVariable String key, @PathVariable int version) {
        return definitions.get(key, version);
    }

    @PostMapping("/{key}/migrations")
    @PreAuthorize("hasAuthority('workflows:define')")
    @Operation(
            operationId = "migrateWorkflowInstances",
            summary = "Move the running instances of one version of a definition to a later one, each into the state"
                    + " stateMap names for its state (the same name when none is named); no action runs, state timers"
                    + " restart. With dryRun, report what would move and change nothing")
    WorkflowInstances.MigrationReport migrate(@PathVariable String key, @RequestBody MigrationRequest request) {
        if (request.fromVersion() == null || request.toVersion() == null) {
            throw Problems.invalid(request.fromVersion() == null ? "fromVersion" : "toVersion", "is required");
        }
        return instances.migrate(
                key,
                request.fromVersion(),
                request.toVersion(),
                request.stateMap() == null ? Map.of() : request.stateMap(),
                Boolean.TRUE.equals(request.dryRun()));
    }

    /** Which version's instances move to which, where each state goes, and whether only to report. */
    record MigrationRequest(
            @Nullable Integer fromVersion,
            @Nullable Integer toVersion,
            @Nullable Map<String, String> stateMap,
            @Nullable Boolean dryRun) {}

    static WorkflowDefinitionReader.Format format(String contentType) {
        MediaType type = MediaType.parseMediaType(contentType);
        return type.getSubtype().contains("yaml")
                ? WorkflowDefinitionReader.Format.YAML
                : WorkflowDefinitionReader.Format.JSON;
    }
}
