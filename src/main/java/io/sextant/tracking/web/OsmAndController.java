package io.sextant.tracking.web;

import io.sextant.tracking.protocol.Decoded;
import io.sextant.tracking.protocol.OsmAndDecoder;
import io.swagger.v3.oas.annotations.Operation;
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
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.bind.annotation.RestController;

/** The endpoint of Traccar Client and other apps speaking the OsmAnd protocol; see {@link OsmAndDecoder}. */
@RestController
@Tag(name = "Tracker apps", description = "Positions from tracker apps in their own protocols")
class OsmAndController {

    private final TrackerMessages messages;
    private final Clock clock;

    OsmAndController(TrackerMessages messages, Clock clock) {
        this.messages = messages;
        this.clock = clock;
    }

    @RequestMapping(
            path = "/ingest/osmand",
            method = {RequestMethod.GET, RequestMethod.POST})
    @PreAuthorize("hasAuthority('positions:write')")
    @Operation(
            summary = "Ingest one OsmAnd position: query or form parameters (id, lat, lon, timestamp, speed in knots, "
                    + "…) or Traccar Client's JSON body. The device id is the asset's external id. A position that"
                    + " can never be stored is dropped with a 200 too (the app would resend it forever), its reason"
                    + " in the Sextant-Dropped header")
    ResponseEntity<Void> position(HttpServletRequest request) throws IOException {
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
