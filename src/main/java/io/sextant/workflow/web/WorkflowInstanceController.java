package io.sextant.workflow.web;

import io.sextant.shared.web.CursorPage;
import io.sextant.shared.web.EntityTags;
import io.sextant.shared.web.PageLimits;
import io.sextant.shared.web.Problems;
import io.sextant.workflow.WorkflowHistoryEntry;
import io.sextant.workflow.WorkflowInstance;
import io.sextant.workflow.WorkflowInstances;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.net.URI;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
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
@RequestMapping("/api/v1/workflows/instances")
@Tag(name = "Workflow instances", description = "Missions and work orders running a workflow definition")
class WorkflowInstanceController {

    private final WorkflowInstances instances;

    WorkflowInstanceController(WorkflowInstances instances) {
        this.instances = instances;
    }

    @PostMapping
    @ResponseStatus(HttpStatus.CREATED) // what the response entity says too; this tells the OpenAPI document
    @PreAuthorize("hasAuthority('workflows:command')")
    @Operation(
            operationId = "createWorkflowInstance",
            summary = "Start an instance of a definition (its latest version unless one is named) with variables"
                    + " and bound assets and zones, by role")
    ResponseEntity<WorkflowInstance> create(@RequestBody InstanceRequest request) {
        if (request.definition() == null || request.definition().isBlank()) {
            throw Problems.invalid("definition", "is required");
        }
        WorkflowInstance instance = instances.create(new WorkflowInstances.NewInstance(
                request.definition(),
                request.version(),
                request.variables() == null ? Map.of() : request.variables(),
                request.assets() == null ? Map.of() : request.assets(),
                request.zones() == null ? Map.of() : request.zones()));
        return ResponseEntity.created(URI.create("/api/v1/workflows/instances/" + instance.id()))
                .eTag(EntityTags.of(instance.version()))
                .body(instance);
    }

    @GetMapping
    @PreAuthorize("hasAuthority('workflows:read')")
    @Operation(
            operationId = "listWorkflowInstances",
            summary = "List instances in creation order, filtered by definition, state, bound asset and bound zone")
    CursorPage<WorkflowInstance> list(
            @RequestParam(required = false) @Nullable String definition,
            @RequestParam(required = false) @Nullable String state,
            @RequestParam(required = false) @Nullable UUID assetId,
            @RequestParam(required = false) @Nullable UUID zoneId,
            @RequestParam(required = false) @Nullable String cursor,
            @RequestParam(defaultValue = "" + PageLimits.DEFAULT) int limit) {
        return instances.list(
                definition == null || definition.isEmpty() ? null : definition,
                state == null || state.isEmpty() ? null : state,
                assetId,
                zoneId,
                cursor,
                PageLimits.check(limit));
    }

    @GetMapping("/{id}")
    @PreAuthorize("hasAuthority('workflows:read')")
    @Operation(
            operationId = "getWorkflowInstance",
            summary = "Get an instance: its state, version (the ETag), variables, bindings, pending timers and the"
                    + " commands its state accepts. Answers 304 to a matching If-None-Match")
    ResponseEntity<WorkflowInstance> get(
            @PathVariable UUID id,
            @RequestHeader(name = HttpHeaders.IF_NONE_MATCH, required = false) @Nullable String ifNoneMatch) {
        WorkflowInstance instance = instances.get(id);
        if (EntityTags.matches(ifNoneMatch, instance.version())) {
            return ResponseEntity.status(HttpStatus.NOT_MODIFIED)
                    .eTag(EntityTags.of(instance.version()))
                    .build();
        }
        return ResponseEntity.ok().eTag(EntityTags.of(instance.version())).body(instance);
    }

    @GetMapping("/{id}/history")
    @PreAuthorize("hasAuthority('workflows:read')")
    @Operation(
            operationId = "listWorkflowInstanceHistory",
            summary = "Every transition of the instance, oldest first: cause, actor, time, states before and after,"
                    + " variables changed")
    CursorPage<WorkflowHistoryEntry> history(
            @PathVariable UUID id,
            @RequestParam(required = false) @Nullable String cursor,
            @RequestParam(defaultValue = "" + PageLimits.DEFAULT) int limit) {
        return instances.history(id, cursor, PageLimits.check(limit));
    }

    @PostMapping("/{id}/commands/{name}")
    @PreAuthorize("hasAuthority('workflows:command')")
    @Operation(
            operationId = "sendWorkflowCommand",
            summary = "Send a command to an instance. With If-Match, only if it is still at that version (412"
                    + " otherwise); 409 with allowedCommands when its state does not take the command. Send an"
                    + " Idempotency-Key to retry safely")
    ResponseEntity<WorkflowInstance> command(
            @PathVariable UUID id,
            @PathVariable String name,
            @RequestHeader(name = HttpHeaders.IF_MATCH, required = false) @Nullable String ifMatch,
            @RequestBody(required = false) @Nullable CommandRequest request) {
        WorkflowInstance instance = instances.command(
                id,
                name,
                request == null || request.args() == null ? Map.of() : request.args(),
                EntityTags.optional(ifMatch));
        return ResponseEntity.ok().eTag(EntityTags.of(instance.version())).body(instance);
    }

    /** An instance to start; variables are free JSON, bindings map a role to an asset or zone id. */
    record InstanceRequest(
            @Nullable String definition,
            @Nullable Integer version,
            @Nullable Map<String, Object> variables,
            @Nullable Map<String, UUID> assets,
            @Nullable Map<String, UUID> zones) {}

    /** A command's arguments, free JSON the transition's guard and actions read as {@code command.args}. */
    record CommandRequest(@Nullable Map<String, Object> args) {}
}
