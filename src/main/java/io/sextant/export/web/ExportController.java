package io.sextant.export.web;

import io.sextant.export.Export;
import io.sextant.export.ExportFormat;
import io.sextant.export.ExportQuery;
import io.sextant.export.Exports;
import io.sextant.shared.JsonNumbers;
import io.sextant.shared.TimeBounds;
import io.sextant.shared.geo.BoundingBox;
import io.sextant.shared.web.CursorPage;
import io.sextant.shared.web.JsonFields;
import io.sextant.shared.web.PageLimits;
import io.sextant.shared.web.Problems;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

@RestController
@RequestMapping("/api/v1/exports")
@PreAuthorize("hasAuthority('positions:export')")
@Tag(
        name = "Exports",
        description = "A track or an area-and-window history as GeoJSON, GeoJSON text sequences or CSV, written in"
                + " the background and downloaded when done")
class ExportController {

    private static final String PATH = "/api/v1/exports/";

    private final Exports exports;

    ExportController(Exports exports) {
        this.exports = exports;
    }

    @PostMapping
    @ResponseStatus(HttpStatus.ACCEPTED) // what the response entity says too; this tells the OpenAPI document
    @Operation(
            operationId = "startExport",
            summary = "Start an export of one asset's track or of an area's history over [from, to); 202 with the"
                    + " export, whose content is downloadable once it succeeded",
            requestBody =
                    @io.swagger.v3.oas.annotations.parameters.RequestBody(
                            required = true,
                            content = @Content(schema = @Schema(implementation = ExportRequest.class))))
    @ApiResponse(responseCode = "409", description = "The tenant has as many unfinished exports as allowed")
    ResponseEntity<ExportResponse> start(@RequestBody JsonNode body) {
        if (!body.isObject()) {
            throw Problems.invalid("body", "must be a JSON object");
        }
        ExportFormat format = format(body);
        Export export = exports.start(query(body), format);
        return ResponseEntity.accepted()
                .location(URI.create(PATH + export.id()))
                .body(response(export));
    }

    @GetMapping
    @Operation(operationId = "listExports", summary = "List the caller's exports, newest first")
    CursorPage<ExportResponse> list(
            @RequestParam(required = false) @Nullable String cursor,
            @RequestParam(defaultValue = "" + PageLimits.DEFAULT) int limit) {
        return exports.list(cursor, PageLimits.check(limit)).map(ExportController::response);
    }

    @GetMapping("/{id}")
    @Operation(operationId = "getExport", summary = "One of the caller's exports: its status and progress")
    ExportResponse get(@PathVariable UUID id) {
        return response(exports.get(id));
    }

    @GetMapping("/{id}/content")
    @Operation(
            operationId = "getExportContent",
            summary = "Download a succeeded export, with Content-Length, an ETag and Repr-Digest (its SHA-256)")
    @ApiResponse(
            responseCode = "200",
            description = "The content, in the export's format, as an attachment",
            content = {
                @Content(mediaType = "application/geo+json", schema = @Schema(type = "string", format = "binary")),
                @Content(mediaType = "application/geo+json-seq", schema = @Schema(type = "string", format = "binary")),
                @Content(mediaType = "text/csv", schema = @Schema(type = "string", format = "binary"))
            })
    @ApiResponse(responseCode = "409", description = "The export is not ready (queued, running) or failed")
    @ApiResponse(responseCode = "410", description = "The export expired and its content was removed")
    void content(
            @PathVariable UUID id,
            @RequestHeader(name = HttpHeaders.IF_NONE_MATCH, required = false) @Nullable String ifNoneMatch,
            HttpServletResponse response)
            throws IOException {
        Exports.Content content = exports.content(id);
        Export export = content.export();
        String sha256 = java.util.Objects.requireNonNull(export.sha256(), "a succeeded export has its digest");
        String entityTag = "\"" + sha256 + "\"";
        response.setHeader(HttpHeaders.ETAG, entityTag);
        response.setHeader(HttpHeaders.CACHE_CONTROL, "private, no-cache");
        if (matches(ifNoneMatch, entityTag)) {
            response.setStatus(HttpStatus.NOT_MODIFIED.value());
            return;
        }
        response.setStatus(HttpStatus.OK.value());
        response.setContentType(export.format().mediaType());
        response.setContentLengthLong(java.util.Objects.requireNonNull(export.sizeBytes()));
        response.setHeader(
                HttpHeaders.CONTENT_DISPOSITION,
                ContentDisposition.attachment()
                        .filename(
                                "export-" + export.id() + "." + export.format().extension())
                        .build()
                        .toString());
        // RFC 9530: the digest of the representation, base64 between colons.
        response.setHeader(
                "Repr-Digest",
                "sha-256=:" + Base64.getEncoder().encodeToString(HexFormat.of().parseHex(sha256)) + ":");
        content.writeTo(response.getOutputStream());
    }

    @DeleteMapping("/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT) // what the response entity says too; this tells the OpenAPI document
    @Operation(
            operationId = "deleteExport",
            summary = "Delete one of the caller's exports and its content; a running one stops")
    ResponseEntity<Void> delete(@PathVariable UUID id) {
        exports.delete(id);
        return ResponseEntity.noContent().build();
    }

    private static boolean matches(@Nullable String ifNoneMatch, String entityTag) {
        if (ifNoneMatch == null) {
            return false;
        }
        for (String candidate : ifNoneMatch.split(",")) {
            String tag = candidate.trim();
            if (tag.equals("*") || tag.equals(entityTag) || tag.equals("W/" + entityTag)) {
                return true;
            }
        }
        return false;
    }

    private static ExportFormat format(JsonNode body) {
        JsonNode format = body.get("format");
        String allowed =
                Arrays.stream(ExportFormat.values()).map(ExportFormat::id).collect(Collectors.joining(", "));
        if (format == null || !format.isString()) {
            throw Problems.invalid("format", "is required: one of " + allowed);
        }
        return ExportFormat.fromId(format.asString())
                .orElseThrow(() -> Problems.invalid("format", "must be one of " + allowed));
    }

    /** A track ({@code assetId}) or an area ({@code bbox} or {@code geometry}), over [from, to). */
    private static ExportQuery query(JsonNode body) {
        List<String> given = new ArrayList<>();
        for (String member : List.of("assetId", "bbox", "geometry")) {
            if (body.has(member)) {
                given.add(member);
            }
        }
        if (given.size() != 1) {
            throw Problems.invalid(
                    given.isEmpty() ? "assetId" : given.get(1),
                    "give exactly one of assetId (a track), bbox or geometry (an area)");
        }
        Instant from = instant(body, "from");
        Instant to = instant(body, "to");
        if (body.has("assetId")) {
            for (String filter : List.of("type", "tags")) {
                if (body.has(filter)) {
                    throw Problems.invalid(filter, "filters the assets of an area; a track is of one asset");
                }
            }
            return new ExportQuery.Track(uuid(body.get("assetId")), from, to);
        }
        JsonNode geometry = body.get("geometry");
        if (geometry != null && !geometry.isObject()) {
            throw Problems.invalid("geometry", "must be a GeoJSON Polygon or MultiPolygon object");
        }
        return new ExportQuery.Area(
                body.has("bbox") ? bbox(body.get("bbox")) : null,
                geometry,
                from,
                to,
                type(body),
                JsonFields.strings(body, "tags"));
    }

    private static Instant instant(JsonNode body, String field) {
        JsonNode value = body.get(field);
        if (value == null || !value.isString()) {
            throw Problems.invalid(field, "is required (an RFC 3339 timestamp)");
        }
        try {
            return TimeBounds.parseInstant(value.asString());
        } catch (IllegalArgumentException e) {
            throw Problems.invalid(field, "'" + value.asString() + "' " + e.getMessage());
        }
    }

    private static UUID uuid(JsonNode value) {
        if (value.isString()) {
            try {
                return UUID.fromString(value.asString());
            } catch (IllegalArgumentException e) {
                // answered below
            }
        }
        throw Problems.invalid("assetId", "must be an asset id (a UUID)");
    }

    /** {@code [west, south, east, north]}; west greater than east crosses the antimeridian. */
    private static BoundingBox bbox(JsonNode value) {
        if (!value.isArray() || value.size() != 4) {
            throw Problems.invalid("bbox", "must be [west, south, east, north]");
        }
        double[] numbers = new double[4];
        for (int i = 0; i < 4; i++) {
            JsonNode number = value.get(i);
            if (!number.isNumber() || !Double.isFinite(JsonNumbers.toDouble(number))) {
                throw Problems.invalid("bbox[" + i + "]", "must be a finite number");
            }
            numbers[i] = JsonNumbers.toDouble(number);
        }
        try {
            return new BoundingBox(numbers[0], numbers[1], numbers[2], numbers[3]);
        } catch (IllegalArgumentException e) {
            throw Problems.invalid("bbox", String.valueOf(e.getMessage()));
        }
    }

    private static @Nullable String type(JsonNode body) {
        JsonNode type = body.get("type");
        if (type == null || type.isNull()) {
            return null;
        }
        if (!type.isString() || type.asString().isBlank()) {
            throw Problems.invalid("type", "must be an asset type");
        }
        return type.asString();
    }

    private static ExportResponse response(Export export) {
        return new ExportResponse(
                export.id(),
                export.status().id(),
                export.format().id(),
                QueryResponse.of(export.query()),
                new Progress(export.positionsWritten(), export.estimatedTotal()),
                export.sizeBytes(),
                export.sha256(),
                export.createdAt(),
                export.startedAt(),
                export.finishedAt(),
                export.expiresAt(),
                export.error(),
                export.status() == io.sextant.export.ExportStatus.SUCCEEDED ? PATH + export.id() + "/content" : null);
    }

    /** The body that starts an export, as read above, for the OpenAPI document. */
    @Schema(name = "ExportRequest")
    record ExportRequest(
            @Schema(
                    requiredMode = Schema.RequiredMode.REQUIRED,
                    allowableValues = {"geojson", "geojsonseq", "csv"})
            String format,

            @Schema(description = "A track: the asset whose positions to export") @Nullable
            UUID assetId,

            @Schema(description = "An area: [west, south, east, north]; west > east crosses the antimeridian") @Nullable
            List<Double> bbox,

            @Schema(ref = "#/components/schemas/GeoJsonGeometry", description = "An area: a Polygon or MultiPolygon")
            @Nullable
            Object geometry,

            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, description = "Inclusive, RFC 3339")
            String from,

            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, description = "Exclusive, RFC 3339")
            String to,

            @Schema(description = "An area: only assets of this type") @Nullable
            String type,

            @Schema(description = "An area: only assets carrying every one of these tags") @Nullable
            List<String> tags) {}

    /** An export as the API shows it. */
    @Schema(name = "Export")
    record ExportResponse(
            UUID id,

            @Schema(allowableValues = {"queued", "running", "succeeded", "failed", "expired"})
            String status,

            @Schema(allowableValues = {"geojson", "geojsonseq", "csv"})
            String format,

            QueryResponse query,
            Progress progress,

            @Schema(description = "The content's size in bytes, once it succeeded") @Nullable
            Long sizeBytes,

            @Schema(description = "The content's SHA-256, lower-case hex, once it succeeded") @Nullable
            String sha256,

            Instant createdAt,
            @Nullable Instant startedAt,
            @Nullable Instant finishedAt,

            @Schema(description = "When the content is removed") @Nullable
            Instant expiresAt,

            @Schema(description = "Why it failed") @Nullable String error,

            @Schema(description = "Where to download the content, once it succeeded") @Nullable
            String content) {}

    /** How far an export has come. */
    @Schema(name = "ExportProgress")
    record Progress(
            long positionsWritten,

            @Schema(description = "The total, extrapolated from the share of the window written; exact once done")
            @Nullable
            Long estimatedTotal) {}

    /** What an export holds, as it was asked for. */
    @Schema(name = "ExportQuery")
    record QueryResponse(
            @Nullable UUID assetId,
            @Nullable List<Double> bbox,

            @Schema(ref = "#/components/schemas/GeoJsonGeometry") @Nullable
            JsonNode geometry,

            Instant from,
            Instant to,
            @Nullable String type,
            @Nullable List<String> tags) {

        static QueryResponse of(ExportQuery query) {
            return switch (query) {
                case ExportQuery.Track track ->
                    new QueryResponse(track.assetId(), null, null, track.from(), track.to(), null, null);
                case ExportQuery.Area area -> {
                    BoundingBox box = area.bbox();
                    yield new QueryResponse(
                            null,
                            box == null ? null : List.of(box.west(), box.south(), box.east(), box.north()),
                            area.geometry(),
                            area.from(),
                            area.to(),
                            area.type(),
                            area.tags());
                }
            };
        }
    }
}
