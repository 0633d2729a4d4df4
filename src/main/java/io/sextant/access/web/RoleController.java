package io.sextant.access.web;

import io.sextant.access.AccessRole;
import io.sextant.access.AccessRoles;
import io.sextant.shared.ExpectedVersions;
import io.sextant.shared.problem.InvalidInput;
import io.sextant.shared.web.CursorPage;
import io.sextant.shared.web.EntityTags;
import io.sextant.shared.web.PageLimits;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.net.URI;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v1/roles")
@Tag(name = "Roles", description = "Named sets of permissions: the built-in roles and those a tenant defines")
class RoleController {

    private final AccessRoles roles;

    RoleController(AccessRoles roles) {
        this.roles = roles;
    }

    @PostMapping
    @ResponseStatus(HttpStatus.CREATED) // what the response entity says too; this tells the OpenAPI document
    @PreAuthorize("hasAuthority('access:manage')")
    @Operation(
            operationId = "createRole",
            summary = "Define a role; it may hold only permissions you hold without a scope")
    ResponseEntity<AccessRole> create(@RequestBody RoleRequest request) {
        String name = request.name();
        if (name == null) {
            throw new InvalidInput("name", "is required");
        }
        AccessRole role = roles.create(name, description(request), permissions(request));
        return ResponseEntity.created(URI.create("/api/v1/roles/" + role.name()))
                .eTag(EntityTags.of(role.version()))
                .body(role);
    }

    @GetMapping
    @PreAuthorize("hasAnyAuthority('access:manage', 'users:manage')")
    @Operation(operationId = "listRoles", summary = "List the roles: built-in ones and the tenant's, by name")
    CursorPage<AccessRole> list(
            @RequestParam(required = false) @Nullable String cursor,
            @RequestParam(defaultValue = "" + PageLimits.DEFAULT) int limit) {
        return roles.list(cursor, PageLimits.check(limit));
    }

    @GetMapping("/{name}")
    @PreAuthorize("hasAnyAuthority('access:manage', 'users:manage')")
    @Operation(operationId = "getRole", summary = "Get a role")
    ResponseEntity<AccessRole> get(@PathVariable String name) {
        AccessRole role = roles.get(name);
        return ResponseEntity.ok().eTag(EntityTags.of(role.version())).body(role);
    }

    @PutMapping("/{name}")
    @PreAuthorize("hasAuthority('access:manage')")
    @Operation(
            operationId = "replaceRole",
            summary = "Replace a defined role's permissions; requires If-Match with its current ETag. Grants of"
                    + " the role change with it from the next request on")
    ResponseEntity<AccessRole> replace(
            @PathVariable String name,
            @RequestHeader(name = HttpHeaders.IF_MATCH, required = false) @Nullable String ifMatch,
            @RequestBody RoleRequest request) {
        ExpectedVersions expected = EntityTags.required(ifMatch);
        AccessRole role = roles.replace(name, expected, description(request), permissions(request));
        return ResponseEntity.ok().eTag(EntityTags.of(role.version())).body(role);
    }

    @DeleteMapping("/{name}")
    @ResponseStatus(HttpStatus.NO_CONTENT) // what the response entity says too; this tells the OpenAPI document
    @PreAuthorize("hasAuthority('access:manage')")
    @Operation(operationId = "deleteRole", summary = "Delete a defined role that no grant names")
    ResponseEntity<Void> delete(
            @PathVariable String name,
            @RequestHeader(name = HttpHeaders.IF_MATCH, required = false) @Nullable String ifMatch) {
        roles.delete(name, EntityTags.optional(ifMatch));
        return ResponseEntity.noContent().build();
    }

    private static String description(RoleRequest request) {
        return request.description() == null ? "" : request.description();
    }

    private static List<String> permissions(RoleRequest request) {
        return request.permissions() == null ? List.of() : request.permissions();
    }

    /** A role as written; the name is the path's on a replace. */
    record RoleRequest(
            @Nullable String name,
            @Nullable String description,
            @Nullable List<String> permissions) {}
}
