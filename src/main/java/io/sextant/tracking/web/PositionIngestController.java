package io.sextant.tracking.web;

import io.sextant.shared.web.PayloadTooLargeException;
import io.sextant.shared.web.Preferences;
import io.sextant.shared.web.Problems;
import io.sextant.tracking.IngestReceipt;
import io.sextant.tracking.PositionIngest;
import io.sextant.tracking.PositionReport;
import io.sextant.tracking.TrackingProperties;
import io.sextant.tracking.protocol.PositionFormats;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.enums.ParameterIn;
import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.parameters.RequestBody;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v1/positions")
@Tag(name = "Positions", description = "Ingest of time-stamped positions")
class PositionIngestController {

    static final String NDJSON = "application/x-ndjson";
    static final String GEOJSON = "application/geo+json";

    // The three formats are one operation of the OpenAPI document, with a body schema per Content-Type.
    private static final String INGEST = "ingestPositions";
    private static final String INGEST_SUMMARY =
            "Ingest a batch of positions; answers once they are durable, with each item's outcome";
    private static final String INGEST_DESCRIPTION = "The format is chosen by Content-Type: a JSON array of positions,"
            + " newline-delimited JSON (one position per line, read as a stream; blank lines are skipped) or a"
            + " GeoJSON FeatureCollection of Point features. Each item is checked on its own and answered in"
            + " items[]; a body that is not the format at all is a 400, too many items a 413. With the header"
            + " `Prefer: return=minimal` items[] lists only the items not accepted (duplicates and rejections,"
            + " each with its index) and the response says `Preference-Applied: return=minimal`.";
    private static final String PREFER = "return=minimal: list only the items not accepted (RFC 7240)";
    private static final String NDJSON_BODY = "One PositionInput JSON object per line";
    private static final String GEOJSON_BODY = "Point features whose properties carry externalId or assetId, time and"
            + " the other fields of a PositionInput; other properties become attributes";

    private final PositionIngest ingest;
    private final TrackingProperties properties;

    PositionIngestController(PositionIngest ingest, TrackingProperties properties) {
        this.ingest = ingest;
        this.properties = properties;
    }

    @PostMapping(consumes = "application/json")
    @PreAuthorize("hasAuthority('positions:write')")
    @Operation(
            operationId = INGEST,
            summary = INGEST_SUMMARY,
            description = INGEST_DESCRIPTION,
            parameters =
                    @Parameter(
                            in = ParameterIn.HEADER,
                            name = "Prefer",
                            description = PREFER,
                            schema = @Schema(type = "string", allowableValues = Preferences.RETURN_MINIMAL)),
            // The same on the three handlers: springdoc makes them one operation, whichever comes last.
            requestBody =
                    @RequestBody(
                            required = true,
                            content = {
                                @Content(
                                        mediaType = "application/json",
                                        array = @ArraySchema(schema = @Schema(implementation = PositionInput.class))),
                                @Content(
                                        mediaType = NDJSON,
                                        schema = @Schema(type = "string", description = NDJSON_BODY)),
                                @Content(
                                        mediaType = GEOJSON,
                                        schema =
                                                @Schema(
                                                        ref = GeoJsonFeatures.COLLECTION_SCHEMA,
                                                        description = GEOJSON_BODY))
                            }))
    IngestReceipt json(HttpServletRequest request, HttpServletResponse response) throws IOException {
        return ingest(
                read(() -> PositionFormats.jsonArray(request.getInputStream(), properties.maxBatchPositions())),
                request,
                response);
    }

    @PostMapping(consumes = NDJSON)
    @PreAuthorize("hasAuthority('positions:write')")
    @Operation(
            operationId = INGEST,
            summary = INGEST_SUMMARY,
            description = INGEST_DESCRIPTION,
            parameters =
                    @Parameter(
                            in = ParameterIn.HEADER,
                            name = "Prefer",
                            description = PREFER,
                            schema = @Schema(type = "string", allowableValues = Preferences.RETURN_MINIMAL)),
            // The same on the three handlers: springdoc makes them one operation, whichever comes last.
            requestBody =
                    @RequestBody(
                            required = true,
                            content = {
                                @Content(
                                        mediaType = "application/json",
                                        array = @ArraySchema(schema = @Schema(implementation = PositionInput.class))),
                                @Content(
                                        mediaType = NDJSON,
                                        schema = @Schema(type = "string", description = NDJSON_BODY)),
                                @Content(
                                        mediaType = GEOJSON,
                                        schema =
                                                @Schema(
                                                        ref = GeoJsonFeatures.COLLECTION_SCHEMA,
                                                        description = GEOJSON_BODY))
                            }))
    IngestReceipt ndjson(HttpServletRequest request, HttpServletResponse response) throws IOException {
        return ingest(
                read(() -> PositionFormats.ndjson(request.getInputStream(), properties.maxBatchPositions())),
                request,
                response);
    }

    @PostMapping(consumes = GEOJSON)
    @PreAuthorize("hasAuthority('positions:write')")
    @Operation(
            operationId = INGEST,
            summary = INGEST_SUMMARY,
            description = INGEST_DESCRIPTION,
            parameters =
                    @Parameter(
                            in = ParameterIn.HEADER,
                            name = "Prefer",
                            description = PREFER,
                            schema = @Schema(type = "string", allowableValues = Preferences.RETURN_MINIMAL)),
            // The same on the three handlers: springdoc makes them one operation, whichever comes last.
            requestBody =
                    @RequestBody(
                            required = true,
                            content = {
                                @Content(
                                        mediaType = "application/json",
                                        array = @ArraySchema(schema = @Schema(implementation = PositionInput.class))),
                                @Content(
                                        mediaType = NDJSON,
                                        schema = @Schema(type = "string", description = NDJSON_BODY)),
                                @Content(
                                        mediaType = GEOJSON,
                                        schema =
                                                @Schema(
                                                        ref = GeoJsonFeatures.COLLECTION_SCHEMA,
                                                        description = GEOJSON_BODY))
                            }))
    IngestReceipt geoJson(HttpServletRequest request, HttpServletResponse response) throws IOException {
        return ingest(
                read(() -> PositionFormats.geoJson(request.getInputStream(), properties.maxBatchPositions())),
                request,
                response);
    }

    /** The body read by one of the formats; a body that is not the format is a 400, too many positions a 413. */
    private static List<PositionReport> read(Body body) throws IOException {
        try {
            return body.read();
        } catch (PositionFormats.Malformed e) {
            if (e.getCause() != null) {
                PayloadTooLargeException.rethrowIfCause(e.getCause());
            }
            throw Problems.of(
                    HttpStatus.BAD_REQUEST, "malformed-request", "Malformed request", String.valueOf(e.getMessage()));
        } catch (PositionFormats.TooManyPositions e) {
            throw Problems.of(
                    HttpStatus.CONTENT_TOO_LARGE, "batch-too-large", "Batch too large", String.valueOf(e.getMessage()));
        }
    }

    private interface Body {
        List<PositionReport> read() throws IOException;
    }

    private IngestReceipt ingest(
            List<PositionReport> reports, HttpServletRequest request, HttpServletResponse response) {
        IngestReceipt receipt = ingest.ingest(reports);
        if (Preferences.returnMinimal(request.getHeader("Prefer"))) {
            response.setHeader(Preferences.APPLIED, Preferences.RETURN_MINIMAL);
            return receipt.minimal();
        }
        return receipt;
    }

    /** A position as clients send it: the shape {@link PositionFormats} reads, for the OpenAPI document. */
    @Schema(name = "PositionInput", description = "One position; name the asset by externalId or by assetId")
    record PositionInput(
            @Schema(description = "The asset's id (or give externalId)") @Nullable
            UUID assetId,

            @Schema(description = "The asset's external id (or give assetId)", example = "truck-1") @Nullable
            String externalId,

            @Schema(
                    requiredMode = Schema.RequiredMode.REQUIRED,
                    description = "When the position was measured, RFC 3339",
                    example = "2026-11-22T10:15:30Z")
            Instant time,

            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, minimum = "-180", maximum = "180")
            double lon,

            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, minimum = "-90", maximum = "90")
            double lat,

            @Schema(description = "Meters") @Nullable Double altitude,

            @Schema(description = "Meters", minimum = "0") @Nullable
            Double accuracy,

            @Schema(description = "Meters per second", minimum = "0") @Nullable
            Double speed,

            @Schema(description = "Degrees from true north, in [0, 360)", minimum = "0", maximum = "360") @Nullable
            Double heading,

            @Schema(description = "Free JSON object of at most 4,096 bytes") @Nullable
            Map<String, Object> attributes) {}
}
