package io.sextant.tenancy.web;

import io.sextant.shared.TenantContext;
import io.sextant.shared.TenantPrincipal;
import io.sextant.shared.web.Problems;
import io.sextant.tenancy.Tenant;
import io.sextant.tenancy.Tenants;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import java.util.UUID;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * A tenant's settings: its own administrators change them; a platform administrator may change any
 * tenant's. Another tenant is invisible (404) to everyone else.
 */
@RestController
@RequestMapping("/api/v1/tenants/{tenantId}/settings")
@PreAuthorize("hasAnyAuthority('tenant-settings:manage', 'tenants:manage')")
@Tag(name = "Tenants")
class TenantSettingsController {

    private final Tenants tenants;

    TenantSettingsController(Tenants tenants) {
        this.tenants = tenants;
    }

    @GetMapping
    @Operation(
            operationId = "getTenantSettings",
            summary = "A tenant's settings (position retention, automatic asset registration)")
    Tenant.Settings get(@PathVariable UUID tenantId, Authentication authentication) {
        requireVisible(tenantId, authentication);
        return tenants.settingsOf(tenantId);
    }

    @PutMapping
    @Operation(operationId = "replaceTenantSettings", summary = "Change a tenant's settings")
    Tenant.Settings put(
            @PathVariable UUID tenantId, @Valid @RequestBody SettingsRequest request, Authentication authentication) {
        requireVisible(tenantId, authentication);
        return tenants.updateSettings(
                        tenantId, new Tenant.Settings(request.positionRetention(), request.autoRegisterAssets()))
                .settings();
    }

    private static void requireVisible(UUID tenantId, Authentication authentication) {
        boolean platform =
                authentication.getAuthorities().stream().anyMatch(a -> "tenants:manage".equals(a.getAuthority()));
        UUID own = TenantContext.principal().map(TenantPrincipal::tenantId).orElse(null);
        if (!platform && !tenantId.equals(own)) {
            throw Problems.notFound("tenant", tenantId);
        }
    }

    record SettingsRequest(@NotNull Duration positionRetention, boolean autoRegisterAssets) {}
}
