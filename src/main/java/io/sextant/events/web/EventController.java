package io.sextant.events.web;

import io.sextant.events.CloudEventJson;
import io.sextant.events.DeliveryPolicy;
import io.sextant.events.Event;
import io.sextant.events.EventFilter;
import io.sextant.events.EventQueries;
import io.sextant.events.EventStreams;
import io.sextant.events.EventsProperties;
import io.sextant.identity.SextantPrincipal;
import io.sextant.shared.TenantContext;
import io.sextant.shared.TenantPrincipal;
import io.sextant.shared.web.CursorPage;
import io.sextant.shared.web.PageLimits;
import io.sextant.shared.web.Problems;
import io.sextant.shared.web.ServerSentEvents;
import io.sextant.shared.web.WebSocketHandshakes;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.springframework.http.server.ServletServerHttpRequest;
import org.springframework.http.server.ServletServerHttpResponse;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.socket.server.support.DefaultHandshakeHandler;
import tools.jackson.databind.node.ObjectNode;

@RestController
@RequestMapping("/api/v1/events")
@Tag(name = "Events", description = "The event log (CloudEvents) and live streams")
class EventController {

    /** The one subprotocol the socket speaks: the CloudEvents WebSocket binding, structured JSON. */
    static final String CLOUDEVENTS_JSON = "cloudevents.json";

    private final EventQueries queries;
    private final EventStreams streams;
    private final EventSocket socket;
    private final DefaultHandshakeHandler handshakes;

    EventController(EventQueries queries, EventStreams streams, EventsProperties properties) {
        this.queries = queries;
        this.streams = streams;
        this.socket = new EventSocket(streams, properties.streamHeartbeat());
        this.handshakes = new DefaultHandshakeHandler();
        this.handshakes.setSupportedProtocols(CLOUDEVENTS_JSON);
    }

    @GetMapping
    @PreAuthorize("hasAuthority('events:read')")
    @Operation(
            operationId = "listEvents",
            summary = "Search the event log by type, asset, zone, tags and event time (from inclusive, to exclusive)")
    @ApiResponse(
            responseCode = "200",
            description = "A page of CloudEvents",
            content = @Content(schema = @Schema(ref = "#/components/schemas/CloudEventPage")))
    CursorPage<ObjectNode> list(
            @RequestParam(name = "type", required = false) @Nullable List<String> types,
            @RequestParam(name = "assetId", required = false) @Nullable List<@Nullable UUID> assetIds,
            @RequestParam(name = "zoneId", required = false) @Nullable List<@Nullable UUID> zoneIds,
            @RequestParam(name = "assetTag", required = false) @Nullable List<String> assetTags,
            @RequestParam(name = "zoneTag", required = false) @Nullable List<String> zoneTags,
            @RequestParam(required = false) @Nullable Instant from,
            @RequestParam(required = false) @Nullable Instant to,
            @RequestParam(defaultValue = "asc") String order,
            @RequestParam(required = false) @Nullable String cursor,
            @RequestParam(defaultValue = "" + PageLimits.DEFAULT) int limit) {
        if (!order.equals("asc") && !order.equals("desc")) {
            throw Problems.invalid("order", "must be asc or desc (was '" + order + "')");
        }
        if (from != null && to != null && !from.isBefore(to)) {
            throw Problems.invalid("to", "must be after from");
        }
        EventFilter filter = filter(types, assetIds, zoneIds, assetTags, zoneTags);
        return queries.search(filter, from, to, order.equals("desc"), cursor, PageLimits.check(limit))
                .map(CloudEventJson::toNode);
    }

    @GetMapping("/{id}")
    @PreAuthorize("hasAuthority('events:read')")
    @Operation(operationId = "getEvent", summary = "One event, as a CloudEvents document")
    @ApiResponse(
            responseCode = "200",
            description = "The event",
            content = @Content(schema = @Schema(ref = "#/components/schemas/CloudEvent")))
    ObjectNode get(@PathVariable UUID id) {
        Event event = queries.get(id);
        return CloudEventJson.toNode(event);
    }

    /**
     * Server-Sent Events: {@code id} is the event id (send it back as {@code Last-Event-ID} to
     * resume), {@code event} its type, {@code data} the CloudEvents document. Comments keep idle
     * connections alive.
     */
    @GetMapping(path = "/stream", produces = "text/event-stream")
    @PreAuthorize("hasAuthority('events:read')")
    @Operation(
            operationId = "streamEvents",
            summary = "Live stream of events (SSE) with the same filters as the search; resumes after Last-Event-ID")
    @ApiResponse(
            responseCode = "200",
            description = "A text/event-stream that stays open: per event 'id: <event id>', 'event: <type>' and"
                    + " 'data: <the CloudEvent as JSON>'; comment lines keep an idle connection alive",
            content =
                    @Content(
                            mediaType = "text/event-stream",
                            schema = @Schema(type = "string", description = "Server-Sent Events frames")))
    void stream(
            @RequestParam(name = "type", required = false) @Nullable List<String> types,
            @RequestParam(name = "assetId", required = false) @Nullable List<@Nullable UUID> assetIds,
            @RequestParam(name = "zoneId", required = false) @Nullable List<@Nullable UUID> zoneIds,
            @RequestParam(name = "assetTag", required = false) @Nullable List<String> assetTags,
            @RequestParam(name = "zoneTag", required = false) @Nullable List<String> zoneTags,
            @RequestHeader(name = "Last-Event-ID", required = false) @Nullable String lastEventIdHeader,
            @RequestParam(name = "lastEventId", required = false) @Nullable String lastEventIdParam,
            Authentication authentication,
            HttpServletRequest request,
            HttpServletResponse response)
            throws IOException {
        EventFilter filter = filter(types, assetIds, zoneIds, assetTags, zoneTags);
        UUID lastEventId = lastEventId(lastEventIdHeader != null ? lastEventIdHeader : lastEventIdParam);
        var subscriber = subscriber(authentication);
        ServerSentEvents sse = new ServerSentEvents(request, response);
        try {
            streams.stream(subscriber, filter, lastEventId, new EventStreams.Sink() {
                @Override
                public void message(String id, String type, String data) throws IOException {
                    sse.message(id, type, data);
                }

                @Override
                public void comment(String text) throws IOException {
                    sse.comment(text);
                }
            });
        } catch (ServerSentEvents.HeadAnswered headOnly) {
            // HEAD: the stream's headers, after the same checks as GET, are the whole answer.
        }
    }

    @GetMapping("/socket")
    @PreAuthorize("hasAuthority('events:read')")
    @Operation(
            operationId = "streamEventsOverWebSocket",
            summary = "Live stream of events over a WebSocket (RFC 6455), with the same filters as the search;"
                    + " resumes after lastEventId",
            description = "A WebSocket handshake: GET with Upgrade: websocket, Connection: Upgrade,"
                    + " Sec-WebSocket-Key and Sec-WebSocket-Version: 13, and the bearer token in Authorization"
                    + " (a browser offers it as the subprotocol sextant.bearer.<token> instead). Offer the"
                    + " subprotocol cloudevents.json to have it named in the answer. Each event is one text"
                    + " message, the CloudEvent as JSON; the server pings at every heartbeat, closes a connection"
                    + " that answers no ping for three, and ends a stream with a close code: 1008 access-ended,"
                    + " 1013 too-slow (reconnect with lastEventId set to the last id received), 1001"
                    + " shutting-down. The client sends no message; one from it closes the connection with 1003.")
    @ApiResponse(responseCode = "101", description = "Switching Protocols: the WebSocket is open")
    @ApiResponse(
            responseCode = "426",
            description = "Not a WebSocket handshake (or not version 13): Upgrade says what to send")
    void socket(
            @RequestParam(name = "type", required = false) @Nullable List<String> types,
            @RequestParam(name = "assetId", required = false) @Nullable List<@Nullable UUID> assetIds,
            @RequestParam(name = "zoneId", required = false) @Nullable List<@Nullable UUID> zoneIds,
            @RequestParam(name = "assetTag", required = false) @Nullable List<String> assetTags,
            @RequestParam(name = "zoneTag", required = false) @Nullable List<String> zoneTags,
            @RequestParam(name = "lastEventId", required = false) @Nullable String lastEventIdParam,
            Authentication authentication,
            HttpServletRequest request,
            HttpServletResponse response)
            throws IOException {
        EventFilter filter = filter(types, assetIds, zoneIds, assetTags, zoneTags);
        UUID lastEventId = lastEventId(lastEventIdParam);
        WebSocketHandshakes.require(request);
        EventStreams.Opened opened = streams.open(subscriber(authentication), filter, lastEventId);
        boolean upgraded = false;
        try {
            ServletServerHttpResponse answer = new ServletServerHttpResponse(response);
            upgraded = handshakes.doHandshake(
                    new ServletServerHttpRequest(request),
                    answer,
                    socket,
                    EventSocket.attributes(opened, authentication));
            answer.flush();
        } finally {
            if (!upgraded) {
                opened.close();
            }
        }
    }

    private static DeliveryPolicy.Subscriber subscriber(Authentication authentication) {
        TenantPrincipal principal = TenantContext.principal().orElseThrow();
        Set<String> permissions = authentication.getAuthorities().stream()
                .map(GrantedAuthority::getAuthority)
                .collect(Collectors.toSet());
        Set<String> groups = principal instanceof SextantPrincipal sextant ? sextant.groups() : Set.of();
        return new DeliveryPolicy.Subscriber(principal.tenantId(), principal.subjectId(), groups, permissions);
    }

    private static @Nullable UUID lastEventId(@Nullable String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return UUID.fromString(value.trim());
        } catch (IllegalArgumentException e) {
            throw Problems.invalid("Last-Event-ID", "must be an event id (a UUID) previously sent by this stream");
        }
    }

    private static EventFilter filter(
            @Nullable List<String> types,
            @Nullable List<@Nullable UUID> assetIds,
            @Nullable List<@Nullable UUID> zoneIds,
            @Nullable List<String> assetTags,
            @Nullable List<String> zoneTags) {
        Set<String> typeSet = new HashSet<>(types == null ? List.of() : types);
        for (String type : typeSet) {
            String problem = EventFilter.typeProblem(type);
            if (problem != null) {
                throw Problems.invalid("type", problem);
            }
        }
        return new EventFilter(
                typeSet,
                ids("assetId", assetIds),
                ids("zoneId", zoneIds),
                Set.copyOf(assetTags == null ? List.of() : assetTags),
                Set.copyOf(zoneTags == null ? List.of() : zoneTags));
    }

    /** An empty parameter ({@code assetId=}) converts to no id at all: refuse it rather than match nothing. */
    private static Set<UUID> ids(String name, @Nullable List<@Nullable UUID> ids) {
        if (ids == null) {
            return Set.of();
        }
        Set<UUID> set = new HashSet<>();
        for (UUID id : ids) {
            if (id == null) {
                throw Problems.invalid(name, "must be a UUID, not empty");
            }
            set.add(id);
        }
        return set;
    }
}
