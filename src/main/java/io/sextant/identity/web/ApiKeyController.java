package io.sextant.identity.web;

import io.sextant.identity.ApiKey;
import io.sextant.identity.ApiKeys;
import io.sextant.identity.Permission;
import io.sextant.identity.SextantPrincipal;
import io.sextant.shared.web.CursorPage;
import io.sextant.shared.web.PageLimits;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.net.URI;
import java.time.Instant;
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
@RequestMapping("/api/v1/api-keys")
@PreAuthorize("hasAuthority('api-keys:manage')")
@Tag(name = "API keys", description = "Credentials for devices and services, sent as bearer tokens")
class ApiKeyController {

    private final ApiKeys apiKeys;

    ApiKeyController(ApiKeys apiKeys) {
        this.apiKeys = apiKeys;
    }

    @PostMapping
    @ResponseStatus(HttpStatus.CREATED) // what the response entity says too; this tells the OpenAPI document
    @Operation(operationId = "createApiKey", summary = "Create an API key; its token is in this response only")
    ResponseEntity<CreatedKey> create(
            @AuthenticationPrincipal SextantPrincipal caller, @Valid @RequestBody CreateKey request) {
        ApiKeys.Created created = apiKeys.create(caller, request.name(), request.permissions(), request.expiresAt());
        return ResponseEntity.created(
                        URI.create("/api/v1/api-keys/" + created.key().id()))
                .cacheControl(CacheControl.noStore())
                .body(new CreatedKey(KeyView.of(created.key()), created.token()));
    }

    @GetMapping
    @Operation(operationId = "listApiKeys", summary = "List API keys, revoked ones included")
    CursorPage<KeyView> list(
            @AuthenticationPrincipal SextantPrincipal caller,
            @RequestParam(required = false) @Nullable String cursor,
            @RequestParam(defaultValue = "" + PageLimits.DEFAULT) int limit) {
        return apiKeys.list(caller.tenantId(), cursor, PageLimits.check(limit)).map(KeyView::of);
    }

    @GetMapping("/{id}")
    @Operation(operationId = "getApiKey", summary = "Get an API key")
    KeyView get(@AuthenticationPrincipal SextantPrincipal caller, @PathVariable UUID id) {
        return KeyView.of(apiKeys.get(caller.tenantId(), id));
    }

    @DeleteMapping("/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT) // what the response entity says too; this tells the OpenAPI document
    @Operation(operationId = "revokeApiKey", summary = "Revoke an API key; it is refused from the next request on")
    ResponseEntity<Void> revoke(@AuthenticationPrincipal SextantPrincipal caller, @PathVariable UUID id) {
        apiKeys.revoke(caller.tenantId(), id);
        return ResponseEntity.noContent().build();
    }

    record CreateKey(
            @NotBlank String name,
            @NotNull List<String> permissions,
            @Nullable Instant expiresAt) {}

    record CreatedKey(KeyView key, String token) {}

    record KeyView(
            UUID id,
            String keyId,
            String name,
            List<String> permissions,
            String createdBy,
            Instant createdAt,
            @Nullable Instant expiresAt,
            @Nullable Instant revokedAt) {

        static KeyView of(ApiKey key) {
            return new KeyView(
                    key.id(),
                    key.keyId(),
                    key.name(),
                    key.permissions().stream()
                            .map(Permission::authority)
                            .sorted()
                            .toList(),
                    key.createdBy(),
                    key.createdAt(),
                    key.expiresAt(),
                    key.revokedAt());
        }
    }
}
