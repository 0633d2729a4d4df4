package io.sextant.tracking.web;

import io.sextant.shared.geo.GeoPoint;
import io.sextant.shared.web.JsonFields;
import io.sextant.shared.web.Problems;
import io.sextant.shared.web.ServerSentEvents;
import io.sextant.tracking.LatestPositions;
import io.sextant.tracking.LivePositionStreams;
import io.sextant.tracking.Position;
import io.sextant.tracking.PositionCriteria;
import io.sextant.tracking.PositionQueries;
import io.sextant.tracking.StoredPosition;
import io.sextant.tracking.live.LivePosition;
import io.sextant.tracking.live.NearbyPosition;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Live queries over the latest position of every asset, answered from the in-memory index. */
@RestController
@PreAuthorize("hasAuthority('positions:read')")
@Tag(name = "Latest positions", description = "Where every asset is now: box, radius, nearest, polygon")
class LivePositionController {

    private final PositionQueries queries;
    private final LivePositionStreams streams;
    private final JsonMapper json;

    LivePositionController(PositionQueries queries, LivePositionStreams streams, JsonMapper json) {
        this.queries = queries;
        this.streams = streams;
        this.json = json;
    }

    @GetMapping(path = "/api/v1/positions/latest/stream", produces = "text/event-stream")
    @Operation(
            operationId = "streamLatestPositions",
            summary = "Live stream (SSE) of the latest positions in a bbox, for maps",
            description = "First 'event: snapshot': a FeatureCollection of the latest position of every asset in"
                    + " the bbox (default: the whole world) that the caller may see, like GET /positions/latest."
                    + " Then, at most once per SEXTANT_TRACKING_LIVE_STREAM_INTERVAL (1 s), 'event: positions':"
                    + " the features whose latest position is newer than the one sent, and in 'removed' the ids of"
                    + " assets that left the view. 'truncated' is true when more assets matched than"
                    + " SEXTANT_TRACKING_QUERIES_MAX_LIVE_RESULTS (removals are then not reported). Comment lines"
                    + " keep an idle stream alive. Filters: type, tag (every tag given).")
    @ApiResponse(
            responseCode = "200",
            description = "A text/event-stream that stays open",
            content =
                    @Content(
                            mediaType = "text/event-stream",
                            schema = @Schema(type = "string", description = "Server-Sent Events frames")))
    void stream(
            @RequestParam(required = false) @Nullable String bbox,
            @RequestParam(required = false) @Nullable String type,
            @RequestParam(name = "tag", required = false) @Nullable List<String> tags,
            HttpServletRequest request,
            HttpServletResponse response)
            throws IOException {
        PositionCriteria criteria = QueryParameters.criteria(type, tags);
        var box = QueryParameters.bbox(bbox == null ? "-180,-90,180,90" : bbox);
        ServerSentEvents sse = new ServerSentEvents(request, response);
        try {
            streams.stream(box, criteria, new LivePositionStreams.Sink() {
                @Override
                public void message(String event, Map<String, Object> data) throws IOException {
                    sse.message(null, event, json.writeValueAsString(data));
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

    @GetMapping(
            path = "/api/v1/positions/latest",
            produces = {GeoJsonFeatures.MEDIA_TYPE, "application/json"})
    @Operation(
            operationId = "listLatestPositions",
            summary = "Latest positions: all (paginated), in a bbox, within a radius of near=lon,lat, or the k nearest",
            description = "bbox=west,south,east,north (west > east crosses the antimeridian); near=lon,lat with"
                    + " radius=meters; near=lon,lat with k=n (radius then caps the search). Filters: type, tag"
                    + " (every tag given).")
    @ApiResponse(
            responseCode = "200",
            description =
                    "A FeatureCollection of Point features; nextCursor when paginated, truncated for a bbox or radius, each feature's distance in meters for near",
            content = {
                @Content(
                        mediaType = GeoJsonFeatures.MEDIA_TYPE,
                        schema = @Schema(ref = GeoJsonFeatures.COLLECTION_SCHEMA)),
                @Content(mediaType = "application/json", schema = @Schema(ref = GeoJsonFeatures.COLLECTION_SCHEMA))
            })
    Map<String, Object> latest(
            @RequestParam(required = false) @Nullable String bbox,
            @RequestParam(required = false) @Nullable String near,
            @RequestParam(required = false) @Nullable Double radius,
            @RequestParam(required = false) @Nullable Integer k,
            @RequestParam(required = false) @Nullable String type,
            @RequestParam(name = "tag", required = false) @Nullable List<String> tags,
            @RequestParam(required = false) @Nullable String cursor,
            @RequestParam(defaultValue = "1000") int limit) {
        PositionCriteria criteria = QueryParameters.criteria(type, tags);
        if (bbox != null && near != null) {
            throw Problems.invalid("bbox", "give either bbox or near, not both");
        }
        if (bbox != null) {
            return live(queries.latestWithinBox(QueryParameters.bbox(bbox), criteria, limit));
        }
        if (near != null) {
            GeoPoint center = QueryParameters.point("near", near);
            if (k != null) {
                List<NearbyPosition<Position>> found = queries.latestNearest(center, k, radius, criteria);
                return GeoJsonFeatures.collection(features(found), Map.of());
            }
            if (radius == null) {
                throw Problems.invalid("radius", "near needs radius (meters) or k");
            }
            LatestPositions.Live<NearbyPosition<Position>> found =
                    queries.latestWithinRadius(center, radius, criteria, limit);
            Map<String, Object> members = new LinkedHashMap<>();
            members.put("truncated", found.truncated());
            return GeoJsonFeatures.collection(features(found.items()), members);
        }
        PositionQueries.SnapshotPage page = queries.latest(criteria, cursor, limit);
        Map<String, Object> members = new LinkedHashMap<>();
        members.put("nextCursor", page.nextCursor());
        return GeoJsonFeatures.collection(
                page.items().stream().map(GeoJsonFeatures::point).toList(), members);
    }

    @PostMapping(
            path = "/api/v1/positions/latest/search",
            produces = {GeoJsonFeatures.MEDIA_TYPE, "application/json"})
    @Operation(
            operationId = "searchLatestPositions",
            summary = "Latest positions inside a GeoJSON Polygon or MultiPolygon (holes respected)",
            requestBody =
                    @io.swagger.v3.oas.annotations.parameters.RequestBody(
                            required = true,
                            content = @Content(schema = @Schema(implementation = LatestSearch.class))))
    @ApiResponse(
            responseCode = "200",
            description = "A FeatureCollection of Point features; truncated when more matched than the limit",
            content = {
                @Content(
                        mediaType = GeoJsonFeatures.MEDIA_TYPE,
                        schema = @Schema(ref = GeoJsonFeatures.COLLECTION_SCHEMA)),
                @Content(mediaType = "application/json", schema = @Schema(ref = GeoJsonFeatures.COLLECTION_SCHEMA))
            })
    Map<String, Object> withinGeometry(@RequestBody JsonNode body) {
        return live(queries.latestWithinGeometry(
                QueryParameters.geometry(body),
                QueryParameters.criteria(body),
                JsonFields.optionalInt(body, "limit", 1000)));
    }

    private static Map<String, Object> live(LatestPositions.Live<LivePosition<Position>> found) {
        Map<String, Object> members = new LinkedHashMap<>();
        members.put("truncated", found.truncated());
        return GeoJsonFeatures.collection(
                found.items().stream()
                        .map(p -> GeoJsonFeatures.point(StoredPosition.of(p.payload())))
                        .toList(),
                members);
    }

    private static List<Map<String, Object>> features(List<NearbyPosition<Position>> found) {
        return found.stream()
                .map(p -> GeoJsonFeatures.point(StoredPosition.of(p.payload()), p.distanceMeters()))
                .toList();
    }

    /** The body of a polygon search, as {@link QueryParameters} reads it, for the OpenAPI document. */
    @Schema(name = "LatestPositionSearch")
    record LatestSearch(
            @Schema(
                    requiredMode = Schema.RequiredMode.REQUIRED,
                    ref = "#/components/schemas/GeoJsonGeometry",
                    description = "A Polygon or MultiPolygon")
            Object geometry,

            @Schema(description = "Only assets of this type") @Nullable
            String type,

            @Schema(description = "Only assets carrying every one of these tags") @Nullable
            List<String> tags,

            @Schema(description = "At most this many positions", defaultValue = "1000") @Nullable
            Integer limit) {}
}
