package io.sextant.tenancy.web;

import io.sextant.shared.web.CursorPage;
import io.sextant.shared.web.PageLimits;
import io.sextant.tenancy.Tenant;
import io.sextant.tenancy.Tenants;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import java.net.URI;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v1/tenants")
@Tag(name = "Tenants", description = "Platform administration: the tenants of this installation")
class TenantController {

    private final Tenants tenants;

    TenantController(Tenants tenants) {
        this.tenants = tenants;
    }

    @PostMapping
    @ResponseStatus(HttpStatus.CREATED) // what the response entity says too; this tells the OpenAPI document
    @PreAuthorize("hasAuthority('tenants:manage')")
    @Operation(operationId = "createTenant", summary = "Create a tenant")
    ResponseEntity<Tenant> create(@Valid @RequestBody CreateTenant request) {
        Tenant tenant = tenants.create(request.slug(), request.name());
        return ResponseEntity.created(URI.create("/api/v1/tenants/" + tenant.id()))
                .body(tenant);
    }

    @GetMapping
    @PreAuthorize("hasAuthority('tenants:manage')")
    @Operation(operationId = "listTenants", summary = "List tenants")
    CursorPage<Tenant> list(
            @RequestParam(required = false) @Nullable String cursor,
            @RequestParam(defaultValue = "" + PageLimits.DEFAULT) int limit) {
        return tenants.list(cursor, PageLimits.check(limit));
    }

    @GetMapping("/{id}")
    @PreAuthorize("hasAuthority('tenants:manage')")
    @Operation(operationId = "getTenant", summary = "Get a tenant")
    Tenant get(@PathVariable UUID id) {
        return tenants.get(id);
    }

    record CreateTenant(@NotBlank String slug, @NotBlank String name) {}
}
