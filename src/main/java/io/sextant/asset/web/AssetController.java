package io.sextant.asset.web;

import com.fasterxml.jackson.annotation.JsonSetter;
import com.fasterxml.jackson.annotation.Nulls;
import io.sextant.asset.Asset;
import io.sextant.asset.AssetDraft;
import io.sextant.asset.Assets;
import io.sextant.asset.Classification;
import io.sextant.shared.ExpectedVersions;
import io.sextant.shared.web.CursorPage;
import io.sextant.shared.web.EntityTags;
import io.sextant.shared.web.PageLimits;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
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
@RequestMapping("/api/v1/assets")
@Tag(name = "Assets", description = "The things that move")
class AssetController {

    private final Assets assets;

    AssetController(Assets assets) {
        this.assets = assets;
    }

    @PostMapping
    @ResponseStatus(HttpStatus.CREATED) // what the response entity says too; this tells the OpenAPI document
    @PreAuthorize("hasAuthority('assets:write')")
    @Operation(operationId = "createAsset", summary = "Register an asset")
    ResponseEntity<Asset> create(@Valid @RequestBody AssetRequest request) {
        Asset asset = assets.create(request.toDraft());
        return ResponseEntity.created(URI.create("/api/v1/assets/" + asset.id()))
                .eTag(EntityTags.of(asset.version()))
                .body(asset);
    }

    @GetMapping
    @PreAuthorize("hasAuthority('assets:read')")
    @Operation(
            operationId = "listAssets",
            summary = "List assets, filtered by type and tags (an asset must carry every tag given)")
    CursorPage<Asset> list(
            @RequestParam(required = false) @Nullable String type,
            @RequestParam(name = "tag", required = false) @Nullable List<String> tags,
            @RequestParam(required = false) @Nullable String cursor,
            @RequestParam(defaultValue = "" + PageLimits.DEFAULT) int limit) {
        return assets.list(type, tags == null ? List.of() : tags, cursor, PageLimits.check(limit));
    }

    @GetMapping("/{id}")
    @PreAuthorize("hasAuthority('assets:read')")
    @Operation(operationId = "getAsset", summary = "Get an asset; answers 304 to a matching If-None-Match")
    ResponseEntity<Asset> get(
            @PathVariable UUID id,
            @RequestHeader(name = HttpHeaders.IF_NONE_MATCH, required = false) @Nullable String ifNoneMatch) {
        Asset asset = assets.get(id);
        if (EntityTags.matches(ifNoneMatch, asset.version())) {
            return ResponseEntity.status(HttpStatus.NOT_MODIFIED)
                    .eTag(EntityTags.of(asset.version()))
                    .build();
        }
        return ResponseEntity.ok().eTag(EntityTags.of(asset.version())).body(asset);
    }

    @PutMapping("/{id}")
    @PreAuthorize("hasAuthority('assets:write')")
    @Operation(
            operationId = "replaceAsset",
            summary = "Replace an asset's fields; requires If-Match with its current ETag")
    ResponseEntity<Asset> replace(
            @PathVariable UUID id,
            @RequestHeader(name = HttpHeaders.IF_MATCH, required = false) @Nullable String ifMatch,
            @Valid @RequestBody AssetRequest request) {
        ExpectedVersions expected = EntityTags.required(ifMatch);
        Asset asset = assets.replace(id, expected, request.toDraft());
        return ResponseEntity.ok().eTag(EntityTags.of(asset.version())).body(asset);
    }

    @DeleteMapping("/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT) // what the response entity says too; this tells the OpenAPI document
    @PreAuthorize("hasAuthority('assets:write')")
    @Operation(operationId = "deleteAsset", summary = "Delete an asset; with If-Match, only if it has not changed")
    ResponseEntity<Void> delete(
            @PathVariable UUID id,
            @RequestHeader(name = HttpHeaders.IF_MATCH, required = false) @Nullable String ifMatch) {
        assets.delete(id, EntityTags.optional(ifMatch));
        return ResponseEntity.noContent().build();
    }

    /** An asset as a client sends it; absent optional fields take their defaults. */
    record AssetRequest(
            @NotNull String externalId,
            @NotNull String name,
            @NotNull String type,
            @Nullable List<String> tags,
            // Free JSON: a null member is a value, unlike a null in any other list or map of a body.
            @JsonSetter(contentNulls = Nulls.SET) @Nullable Map<String, Object> attributes,
            @Nullable Classification classification) {

        AssetDraft toDraft() {
            return new AssetDraft(
                    externalId,
                    name,
                    type,
                    tags == null ? List.of() : tags,
                    attributes == null ? Map.of() : attributes,
                    Objects.requireNonNullElse(classification, Classification.INTERNAL));
        }
    }
}
