package io.sextant.access.web;

import io.sextant.access.AccessGrant;
import io.sextant.access.AccessGrants;
import io.sextant.shared.problem.InvalidInput;
import io.sextant.shared.web.CursorPage;
import io.sextant.shared.web.EntityTags;
import io.sextant.shared.web.PageLimits;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.net.URI;
import java.time.Instant;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

@RestController
@RequestMapping("/api/v1/grants")
@PreAuthorize("hasAuthority('access:manage')")
@Tag(
        name = "Grants",
        description = "A subject holds a role, narrowed by region, schedule, data window, clearance, tags and a"
                + " condition")
class GrantController {

    private final AccessGrants grants;

    GrantController(AccessGrants grants) {
        this.grants = grants;
    }

    @PostMapping
    @ResponseStatus(HttpStatus.CREATED) // what the response entity says too; this tells the OpenAPI document
    @Operation(
            operationId = "createGrant",
            summary = "Grant a role to a subject, narrowed by a scope; never wider than your own grants")
    ResponseEntity<AccessGrant> create(@RequestBody GrantRequest request) {
        String subject = request.subject();
        String role = request.role();
        if (subject == null || role == null) {
            throw new InvalidInput(subject == null ? "subject" : "role", "is required");
        }
        AccessGrant grant = grants.create(new AccessGrants.Draft(
                subject, role, request.scope(), request.validFrom(), request.validUntil(), request.description()));
        return ResponseEntity.created(URI.create("/api/v1/grants/" + grant.id()))
                .eTag(EntityTags.of(grant.version()))
                .body(grant);
    }

    @GetMapping
    @Operation(operationId = "listGrants", summary = "List grants, optionally of one subject or one role")
    CursorPage<AccessGrant> list(
            @RequestParam(required = false) @Nullable String subject,
            @RequestParam(required = false) @Nullable String role,
            @RequestParam(required = false) @Nullable String cursor,
            @RequestParam(defaultValue = "" + PageLimits.DEFAULT) int limit) {
        return grants.list(subject, role, cursor, PageLimits.check(limit));
    }

    @GetMapping("/{id}")
    @Operation(operationId = "getGrant", summary = "Get a grant")
    ResponseEntity<AccessGrant> get(@PathVariable UUID id) {
        AccessGrant grant = grants.get(id);
        return ResponseEntity.ok().eTag(EntityTags.of(grant.version())).body(grant);
    }

    @DeleteMapping("/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT) // what the response entity says too; this tells the OpenAPI document
    @Operation(operationId = "revokeGrant", summary = "Revoke a grant; it stops counting from the next request")
    ResponseEntity<Void> revoke(@PathVariable UUID id) {
        grants.revoke(id);
        return ResponseEntity.noContent().build();
    }

    /** A grant as written. */
    record GrantRequest(
            @Schema(
                    description = "user:<id>, service:<client id>, api-key:<id> or group:<name>",
                    example = "user:0193…")
            @Nullable
            String subject,

            @Schema(description = "A built-in role or one the tenant defines", example = "operator") @Nullable
            String role,

            @Schema(
                    description = "Optional; every member given narrows the grant: region {zones, zoneTags, polygon},"
                            + " schedule {timeZone, windows}, dataWindow (ISO 8601 duration), dataDuringShifts,"
                            + " clearance, assetTags, assets, zoneTags, condition")
            @Nullable
            JsonNode scope,

            @Nullable Instant validFrom,
            @Nullable Instant validUntil,
            @Nullable String description) {}
}
