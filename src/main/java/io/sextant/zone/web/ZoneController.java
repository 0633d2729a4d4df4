package io.sextant.zone.web;

import com.fasterxml.jackson.annotation.JsonSetter;
import com.fasterxml.jackson.annotation.Nulls;
import io.sextant.shared.ExpectedVersions;
import io.sextant.shared.TimeBounds;
import io.sextant.shared.geo.BoundingBox;
import io.sextant.shared.web.CursorPage;
import io.sextant.shared.web.EntityTags;
import io.sextant.shared.web.PageLimits;
import io.sextant.shared.web.Problems;
import io.sextant.zone.Zone;
import io.sextant.zone.ZoneDraft;
import io.sextant.zone.ZoneVersion;
import io.sextant.zone.Zones;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Map;
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
import tools.jackson.databind.JsonNode;

@RestController
@RequestMapping("/api/v1/zones")
@Tag(name = "Zones", description = "The places geofences watch: polygons, circles and corridors, versioned")
class ZoneController {

    private final Zones zones;

    ZoneController(Zones zones) {
        this.zones = zones;
    }

    @PostMapping
    @ResponseStatus(HttpStatus.CREATED) // what the response entity says too; this tells the OpenAPI document
    @PreAuthorize("hasAuthority('zones:write')")
    @Operation(
            operationId = "createZone",
            summary = "Create a zone with exactly one shape: geometry, circle or corridor")
    ResponseEntity<Zone> create(@RequestBody ZoneRequest request) {
        Zone zone = zones.create(request.toDraft());
        return ResponseEntity.created(URI.create("/api/v1/zones/" + zone.id()))
                .eTag(EntityTags.of(zone.version()))
                .body(zone);
    }

    @GetMapping
    @PreAuthorize("hasAuthority('zones:read')")
    @Operation(
            operationId = "listZones",
            summary = "List zones, filtered by tags (a zone must carry every tag given), name prefix and a"
                    + " bbox its own bbox overlaps")
    CursorPage<Zone> list(
            @RequestParam(name = "tag", required = false) @Nullable List<String> tags,
            @RequestParam(required = false) @Nullable String name,
            @RequestParam(required = false) @Nullable String bbox,
            @RequestParam(required = false) @Nullable String cursor,
            @RequestParam(defaultValue = "" + PageLimits.DEFAULT) int limit) {
        return zones.list(
                tags == null ? List.of() : tags,
                name == null || name.isEmpty() ? null : name,
                bbox == null || bbox.isBlank() ? null : bbox(bbox),
                cursor,
                PageLimits.check(limit));
    }

    @GetMapping("/{id}")
    @PreAuthorize("hasAuthority('zones:read')")
    @Operation(
            operationId = "getZone",
            summary = "Get a zone; with asOf, the version valid at that instant (404 if the zone did not exist"
                    + " then). Answers 304 to a matching If-None-Match")
    ResponseEntity<?> get(
            @PathVariable UUID id,
            @RequestParam(required = false) @Nullable String asOf,
            @RequestHeader(name = HttpHeaders.IF_NONE_MATCH, required = false) @Nullable String ifNoneMatch) {
        if (asOf != null) {
            ZoneVersion version = zones.getAsOf(id, instant("asOf", asOf));
            return ResponseEntity.ok().eTag(EntityTags.of(version.version())).body(version);
        }
        Zone zone = zones.get(id);
        if (EntityTags.matches(ifNoneMatch, zone.version())) {
            return ResponseEntity.status(HttpStatus.NOT_MODIFIED)
                    .eTag(EntityTags.of(zone.version()))
                    .build();
        }
        return ResponseEntity.ok().eTag(EntityTags.of(zone.version())).body(zone);
    }

    @PutMapping("/{id}")
    @PreAuthorize("hasAuthority('zones:write')")
    @Operation(
            operationId = "replaceZone",
            summary = "Replace a zone (a new version); requires If-Match with its current ETag")
    ResponseEntity<Zone> replace(
            @PathVariable UUID id,
            @RequestHeader(name = HttpHeaders.IF_MATCH, required = false) @Nullable String ifMatch,
            @RequestBody ZoneRequest request) {
        ExpectedVersions expected = EntityTags.required(ifMatch);
        Zone zone = zones.replace(id, expected, request.toDraft());
        return ResponseEntity.ok().eTag(EntityTags.of(zone.version())).body(zone);
    }

    @DeleteMapping("/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT) // what the response entity says too; this tells the OpenAPI document
    @PreAuthorize("hasAuthority('zones:write')")
    @Operation(
            operationId = "deleteZone",
            summary = "Delete a zone from now on, keeping its history; with If-Match, only if it has not changed")
    ResponseEntity<Void> delete(
            @PathVariable UUID id,
            @RequestHeader(name = HttpHeaders.IF_MATCH, required = false) @Nullable String ifMatch) {
        zones.delete(id, EntityTags.optional(ifMatch));
        return ResponseEntity.noContent().build();
    }

    @GetMapping("/{id}/versions")
    @PreAuthorize("hasAuthority('zones:read')")
    @Operation(
            operationId = "listZoneVersions",
            summary = "Every version of a zone, deleted ones included, newest first, each with validFrom/validTo")
    CursorPage<ZoneVersion> versions(
            @PathVariable UUID id,
            @RequestParam(required = false) @Nullable String cursor,
            @RequestParam(defaultValue = "" + PageLimits.DEFAULT) int limit) {
        return zones.versions(id, cursor, PageLimits.check(limit));
    }

    private static Instant instant(String name, String value) {
        try {
            return TimeBounds.parseInstant(value);
        } catch (IllegalArgumentException e) {
            throw Problems.invalid(name, "'" + value + "' " + e.getMessage());
        }
    }

    /** {@code west,south,east,north}; west greater than east crosses the antimeridian. */
    private static BoundingBox bbox(String value) {
        String[] parts = value.split(",");
        if (parts.length != 4) {
            throw Problems.invalid("bbox", "must be west,south,east,north");
        }
        double[] numbers = new double[4];
        try {
            for (int i = 0; i < 4; i++) {
                numbers[i] = Double.parseDouble(parts[i].trim());
            }
            return new BoundingBox(numbers[0], numbers[1], numbers[2], numbers[3]);
        } catch (IllegalArgumentException e) {
            throw Problems.invalid("bbox", "must be west,south,east,north in degrees: " + e.getMessage());
        }
    }

    /** A zone as a client sends it; the shape, schedule and fence stay JSON until validated. */
    record ZoneRequest(
            @Nullable String name,
            @Nullable List<String> tags,
            // Free JSON: a null member is a value, unlike a null in any other list or map of a body.
            @JsonSetter(contentNulls = Nulls.SET) @Nullable Map<String, Object> attributes,
            @Nullable JsonNode geometry,
            @Nullable JsonNode circle,
            @Nullable JsonNode corridor,
            @Nullable JsonNode schedule,
            @Nullable JsonNode fence) {

        ZoneDraft toDraft() {
            return new ZoneDraft(
                    name,
                    tags == null ? List.of() : tags,
                    attributes == null ? Map.of() : attributes,
                    geometry,
                    circle,
                    corridor,
                    schedule,
                    fence);
        }
    }
}
