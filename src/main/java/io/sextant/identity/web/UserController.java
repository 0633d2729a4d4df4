package io.sextant.identity.web;

import io.sextant.identity.Permission;
import io.sextant.identity.SextantPrincipal;
import io.sextant.identity.UserAccount;
import io.sextant.identity.UserAccounts;
import io.sextant.shared.web.CursorPage;
import io.sextant.shared.web.PageLimits;
import io.sextant.shared.web.Problems;
import io.sextant.tenancy.Tenants;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.net.URI;
import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * Users of a tenant. A tenant administrator manages the users of its own tenant; a platform
 * administrator may manage any tenant's (that is how a new tenant gets its first administrator).
 */
@RestController
@RequestMapping("/api/v1/tenants/{tenantId}/users")
@PreAuthorize("hasAnyAuthority('users:manage', 'tenants:manage')")
@Tag(name = "Users", description = "People who sign in with a password")
class UserController {

    private final UserAccounts users;
    private final Tenants tenants;

    UserController(UserAccounts users, Tenants tenants) {
        this.users = users;
        this.tenants = tenants;
    }

    @PostMapping
    @ResponseStatus(HttpStatus.CREATED) // what the response entity says too; this tells the OpenAPI document
    @Operation(operationId = "createUser", summary = "Create a user in a tenant")
    ResponseEntity<UserAccount> create(
            @AuthenticationPrincipal SextantPrincipal caller,
            @PathVariable UUID tenantId,
            @Valid @RequestBody CreateUser request) {
        requireManager(caller, tenantId);
        UserAccount user = users.createBy(caller, tenantId, request.username(), request.password(), request.roles());
        return ResponseEntity.created(URI.create("/api/v1/tenants/" + tenantId + "/users/" + user.id()))
                .body(user);
    }

    @GetMapping
    @Operation(operationId = "listUsers", summary = "List the users of a tenant")
    CursorPage<UserAccount> list(
            @AuthenticationPrincipal SextantPrincipal caller,
            @PathVariable UUID tenantId,
            @RequestParam(required = false) @Nullable String cursor,
            @RequestParam(defaultValue = "" + PageLimits.DEFAULT) int limit) {
        requireManager(caller, tenantId);
        return users.list(tenantId, cursor, PageLimits.check(limit));
    }

    @GetMapping("/{userId}")
    @Operation(operationId = "getUser", summary = "Get a user of a tenant")
    UserAccount get(
            @AuthenticationPrincipal SextantPrincipal caller, @PathVariable UUID tenantId, @PathVariable UUID userId) {
        requireManager(caller, tenantId);
        return users.get(tenantId, userId);
    }

    @PatchMapping("/{userId}")
    @Operation(
            operationId = "updateUser",
            summary = "Change a user's roles, or disable or enable it",
            description = "Takes effect on the user's next request: its existing tokens carry the new roles, or stop"
                    + " working while it is disabled.")
    UserAccount update(
            @AuthenticationPrincipal SextantPrincipal caller,
            @PathVariable UUID tenantId,
            @PathVariable UUID userId,
            @Valid @RequestBody UpdateUser request) {
        requireManager(caller, tenantId);
        return users.updateBy(caller, tenantId, userId, request.roles(), request.disabled());
    }

    @DeleteMapping("/{userId}")
    @Operation(operationId = "deleteUser", summary = "Delete a user; its tokens are refused from the next request on")
    ResponseEntity<Void> delete(
            @AuthenticationPrincipal SextantPrincipal caller, @PathVariable UUID tenantId, @PathVariable UUID userId) {
        requireManager(caller, tenantId);
        users.deleteBy(caller, tenantId, userId);
        return ResponseEntity.noContent().build();
    }

    /** Another tenant is invisible (404) to anyone but a platform administrator. */
    private void requireManager(SextantPrincipal caller, UUID tenantId) {
        boolean platform = caller.has(Permission.TENANTS_MANAGE);
        if (!platform && !caller.tenantId().equals(tenantId)) {
            throw Problems.notFound("tenant", tenantId);
        }
        if (platform && tenants.find(tenantId).isEmpty()) {
            throw Problems.notFound("tenant", tenantId);
        }
        if (!platform && !caller.has(Permission.USERS_MANAGE)) {
            throw Problems.forbidden("managing users needs the users:manage permission");
        }
    }

    /** The fields to change; absent ones stay as they are. */
    record UpdateUser(
            @Nullable List<String> roles, @Nullable Boolean disabled) {}

    record CreateUser(
            @NotBlank String username,
            @NotBlank String password,
            @NotNull List<String> roles) {}
}
