package io.sextant.identity.web;

import io.sextant.identity.Authentications;
import io.sextant.identity.Permission;
import io.sextant.identity.SextantPrincipal;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirements;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.http.CacheControl;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v1")
@Tag(name = "Authentication", description = "Sign-in for people; services use POST /oauth2/token")
class AuthController {

    private final Authentications authentications;

    AuthController(Authentications authentications) {
        this.authentications = authentications;
    }

    @PostMapping("/auth/token")
    @SecurityRequirements
    @Operation(
            operationId = "signIn",
            summary = "Exchange a username and password for an access token",
            description = "Without 'tenant' the username is looked up in every tenant. Repeated failures lock the"
                    + " username and the client address out for a growing while: 429 with Retry-After.")
    @ApiResponse(
            responseCode = "200",
            description = "The access token",
            content = @Content(schema = @Schema(implementation = Authentications.AccessToken.class)))
    @ApiResponse(responseCode = "401", description = "Unknown username or wrong password")
    ResponseEntity<Authentications.AccessToken> token(@Valid @RequestBody SignIn request, HttpServletRequest http) {
        return ResponseEntity.ok()
                .cacheControl(CacheControl.noStore())
                .body(authentications.signIn(
                        request.username(), request.password(), request.tenant(), http.getRemoteAddr()));
    }

    @GetMapping("/me")
    @Operation(operationId = "getMe", summary = "Who the presented credentials authenticate, and what they may do")
    Me me(@AuthenticationPrincipal SextantPrincipal caller) {
        return new Me(
                caller.kind().name().toLowerCase(java.util.Locale.ROOT),
                caller.subjectId(),
                caller.name(),
                caller.tenantId(),
                caller.permissions().stream()
                        .map(Permission::authority)
                        .sorted()
                        .toList());
    }

    /**
     * @param tenant slug of the user's tenant; needed only when the username exists in several
     */
    record SignIn(
            @NotBlank String username,
            @NotBlank String password,
            @Nullable String tenant) {}

    record Me(String kind, String subject, String name, UUID tenantId, List<String> permissions) {}
}
