package io.sextant.tracking.web;

import io.sextant.tracking.protocol.OwnTracksDecoder;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.parameters.RequestBody;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

/** The endpoint of the OwnTracks apps in HTTP mode; see {@link OwnTracksDecoder}. */
@RestController
// Tracker apps authenticate with an API key only: as a bearer token, the Basic password or ?key=.
@SecurityRequirement(name = "apiKey")
@SecurityRequirement(name = "apiKeyBasic")
@SecurityRequirement(name = "apiKeyQuery")
@Tag(name = "Tracker apps", description = "Positions from tracker apps in their own protocols")
class OwnTracksController {

    private final TrackerMessages messages;

    OwnTracksController(TrackerMessages messages) {
        this.messages = messages;
    }

    // Any content type: the body is read as sent, so a form-encoded POST (curl -d) is not parsed as a form.
    @PostMapping(path = "/ingest/owntracks", produces = MediaType.APPLICATION_JSON_VALUE)
    @PreAuthorize("hasAuthority('positions:write')")
    @Operation(
            operationId = "ingestOwnTracks",
            summary = "Ingest one OwnTracks message (HTTP mode); the device is <X-Limit-U>/<X-Limit-D>, else the "
                    + "topic's <user>/<device>, else the tid. Answers an empty JSON array: no friends, no commands."
                    + " A message that can never be stored is dropped with the same answer (the app would resend"
                    + " it forever), its reason in the Sextant-Dropped header",
            requestBody =
                    @RequestBody(
                            description = "The message as the app sends it, whatever its Content-Type; only _type"
                                    + " location is a position, and an empty body is answered too",
                            content =
                                    @Content(
                                            mediaType = "application/json",
                                            schema =
                                                    @Schema(
                                                            type = "object",
                                                            description = "An OwnTracks message: _type, lat, lon,"
                                                                    + " tst, acc, alt, vel, cog, tid, topic, …"))))
    ResponseEntity<List<Object>> message(
            HttpServletRequest request,
            @RequestHeader(name = "X-Limit-U", required = false) @Nullable String user,
            @RequestHeader(name = "X-Limit-D", required = false) @Nullable String device)
            throws IOException {
        Optional<String> dropped = messages.accept(
                "owntracks", OwnTracksDecoder.decode(request.getInputStream().readAllBytes(), user, device));
        ResponseEntity.BodyBuilder answer = ResponseEntity.ok();
        dropped.ifPresent(reason -> answer.header(TrackerMessages.DROPPED_HEADER, reason));
        return answer.body(List.of());
    }
}
