package io.sextant.identity.web;

import io.sextant.identity.ServiceAccount;
import io.sextant.identity.ServiceAccounts;
import io.sextant.identity.SextantPrincipal;
import io.sextant.shared.web.CursorPage;
import io.sextant.shared.web.PageLimits;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.net.URI;
import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v1/service-accounts")
@PreAuthorize("hasAuthority('service-accounts:manage')")
@Tag(name = "Service accounts", description = "OAuth2 clients that obtain tokens with client credentials")
class ServiceAccountController {

    private final ServiceAccounts accounts;

    ServiceAccountController(ServiceAccounts accounts) {
        this.accounts = accounts;
    }

    @PostMapping
    @ResponseStatus(HttpStatus.CREATED) // what the response entity says too; this tells the OpenAPI document
    @Operation(
            operationId = "createServiceAccount",
            summary = "Create a service account; its client secret is in this response only")
    ResponseEntity<Created> create(
            @AuthenticationPrincipal SextantPrincipal caller, @Valid @RequestBody CreateAccount request) {
        ServiceAccounts.Created created = accounts.create(caller, request.name(), request.roles());
        return ResponseEntity.created(URI.create(
                        "/api/v1/service-accounts/" + created.account().id()))
                .cacheControl(CacheControl.noStore())
                .body(new Created(created.account(), created.clientSecret()));
    }

    @GetMapping
    @Operation(operationId = "listServiceAccounts", summary = "List service accounts")
    CursorPage<ServiceAccount> list(
            @AuthenticationPrincipal SextantPrincipal caller,
            @RequestParam(required = false) @Nullable String cursor,
            @RequestParam(defaultValue = "" + PageLimits.DEFAULT) int limit) {
        return accounts.list(caller.tenantId(), cursor, PageLimits.check(limit));
    }

    @GetMapping("/{id}")
    @Operation(operationId = "getServiceAccount", summary = "Get a service account")
    ServiceAccount get(@AuthenticationPrincipal SextantPrincipal caller, @PathVariable UUID id) {
        return accounts.get(caller.tenantId(), id);
    }

    @DeleteMapping("/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT) // what the response entity says too; this tells the OpenAPI document
    @Operation(operationId = "revokeServiceAccount", summary = "Revoke a service account: it obtains no new token")
    ResponseEntity<Void> revoke(@AuthenticationPrincipal SextantPrincipal caller, @PathVariable UUID id) {
        accounts.revoke(caller.tenantId(), id);
        return ResponseEntity.noContent().build();
    }

    record CreateAccount(@NotBlank String name, @NotNull List<String> roles) {}

    record Created(ServiceAccount account, String clientSecret) {}
}
