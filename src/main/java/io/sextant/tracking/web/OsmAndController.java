package io.sextant.tracking.web;

import io.sextant.tracking.protocol.Decoded;
import io.sextant.tracking.protocol.OsmAndDecoder;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.enums.ParameterIn;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.parameters.RequestBody;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/** The endpoint of Traccar Client and other apps speaking the OsmAnd protocol; see {@link OsmAndDecoder}. */
@RestController
// Tracker apps authenticate with an API key only: as a bearer token, the Basic password or ?key=.
@SecurityRequirement(name = "apiKey")
@SecurityRequirement(name = "apiKeyBasic")
@SecurityRequirement(name = "apiKeyQuery")
@Tag(name = "Tracker apps", description = "Positions from tracker apps in their own protocols")
class OsmAndController {

    private final TrackerMessages messages;
    private final Clock clock;

    OsmAndController(TrackerMessages messages, Clock clock) {
        this.messages = messages;
        this.clock = clock;
    }

    @GetMapping("/ingest/osmand")
    @PreAuthorize("hasAuthority('positions:write')")
    @Operation(
            operationId = "ingestOsmAndQuery",
            summary = "Ingest one OsmAnd position given as query parameters (id, lat, lon, timestamp, speed in knots,"
                    + " …). The device id is the asset's external id. A position that can never be stored is dropped"
                    + " with a 200 too (the app would resend it forever), its reason in the Sextant-Dropped header",
            parameters = {
                @Parameter(
                        in = ParameterIn.QUERY,
                        name = "id",
                        schema = @Schema(type = "string"),
                        description = "The device id (or deviceid)"),
                @Parameter(
                        in = ParameterIn.QUERY,
                        name = "lat",
                        schema = @Schema(type = "number"),
                        description = "Latitude, degrees"),
                @Parameter(
                        in = ParameterIn.QUERY,
                        name = "lon",
                        schema = @Schema(type = "number"),
                        description = "Longitude, degrees"),
                @Parameter(
                        in = ParameterIn.QUERY,
                        name = "timestamp",
                        schema = @Schema(type = "string"),
                        description = "Unix seconds or milliseconds, or an ISO-8601 time; absent means now"),
                @Parameter(
                        in = ParameterIn.QUERY,
                        name = "speed",
                        schema = @Schema(type = "number"),
                        description = "Knots"),
                @Parameter(
                        in = ParameterIn.QUERY,
                        name = "bearing",
                        schema = @Schema(type = "number"),
                        description = "Degrees from true north"),
                @Parameter(
                        in = ParameterIn.QUERY,
                        name = "altitude",
                        schema = @Schema(type = "number"),
                        description = "Meters"),
                @Parameter(
                        in = ParameterIn.QUERY,
                        name = "accuracy",
                        schema = @Schema(type = "number"),
                        description = "Meters")
            })
    @ApiResponse(responseCode = "200", description = "Stored (or a duplicate)")
    ResponseEntity<Void> positionInQuery(HttpServletRequest request) throws IOException {
        return position(request);
    }

    @PostMapping("/ingest/osmand")
    @PreAuthorize("hasAuthority('positions:write')")
    @Operation(
            operationId = "ingestOsmAnd",
            summary = "Ingest one OsmAnd position: form parameters (as the query of the GET) or Traccar Client's JSON"
                    + " body. The device id is the asset's external id. A position that can never be stored is"
                    + " dropped with a 200 too (the app would resend it forever), its reason in the Sextant-Dropped"
                    + " header",
            requestBody =
                    @RequestBody(
                            required = true,
                            content = {
                                @Content(
                                        mediaType = "application/x-www-form-urlencoded",
                                        schema =
                                                @Schema(
                                                        type = "object",
                                                        description = "id, lat, lon, timestamp, speed (knots),"
                                                                + " bearing, altitude, accuracy")),
                                @Content(
                                        mediaType = "application/json",
                                        schema =
                                                @Schema(
                                                        type = "object",
                                                        description = "Traccar Client's body: device_id and location"
                                                                + " {timestamp, coords {latitude, longitude,"
                                                                + " accuracy, speed (m/s), heading, altitude}}"))
                            }))
    @ApiResponse(responseCode = "200", description = "Stored (or a duplicate)")
    ResponseEntity<Void> positionInBody(HttpServletRequest request) throws IOException {
        return position(request);
    }

    private ResponseEntity<Void> position(HttpServletRequest request) throws IOException {
        Decoded message = isJson(request)
                ? OsmAndDecoder.decodeJson(request.getInputStream().readAllBytes(), clock.instant())
                : OsmAndDecoder.decodeParameters(parameters(request), clock.instant());
        ResponseEntity.BodyBuilder answer = ResponseEntity.ok();
        messages.accept("osmand", message).ifPresent(reason -> answer.header(TrackerMessages.DROPPED_HEADER, reason));
        return answer.build();
    }

    private static boolean isJson(HttpServletRequest request) {
        String type = request.getContentType();
        if (type == null) {
            return false;
        }
        try {
            return MediaType.APPLICATION_JSON.isCompatibleWith(MediaType.parseMediaType(type));
        } catch (InvalidMediaTypeException e) {
            return false;
        }
    }

    private static Map<String, List<String>> parameters(HttpServletRequest request) {
        Map<String, List<String>> parameters = new LinkedHashMap<>();
        request.getParameterMap().forEach((name, values) -> parameters.put(name, List.of(values)));
        return parameters;
    }
}
