package io.sextant.identity.web;

import com.nimbusds.jose.jwk.JWK;
import io.sextant.identity.SigningKeys;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v1/signing-keys")
@PreAuthorize("hasAuthority('signing-keys:manage')")
@Tag(name = "Signing keys", description = "Keys of the embedded token issuer: list, rotate, retire")
class SigningKeyController {

    private final SigningKeys keys;

    SigningKeyController(SigningKeys keys) {
        this.keys = keys;
    }

    @GetMapping
    @Operation(operationId = "listSigningKeys", summary = "The live keys (public halves), the signing key first")
    Map<String, Object> list() {
        return Map.of(
                "activeKeyId", keys.activeKeyId(),
                "keys", keys.publicKeys().stream().map(JWK::toJSONObject).toList());
    }

    @PostMapping("/rotate")
    @ResponseStatus(HttpStatus.CREATED) // what the response entity says too; this tells the OpenAPI document
    @Operation(
            operationId = "rotateSigningKey",
            summary = "Create a new signing key; earlier keys keep verifying until retired")
    ResponseEntity<Map<String, Object>> rotate() {
        return ResponseEntity.status(HttpStatus.CREATED).body(keys.rotate().toJSONObject());
    }

    @DeleteMapping("/{kid}")
    @ResponseStatus(HttpStatus.NO_CONTENT) // what the response entity says too; this tells the OpenAPI document
    @Operation(operationId = "retireSigningKey", summary = "Retire a key: tokens it signed stop being accepted")
    ResponseEntity<Void> retire(@PathVariable String kid) {
        keys.retire(kid);
        return ResponseEntity.noContent().build();
    }
}
