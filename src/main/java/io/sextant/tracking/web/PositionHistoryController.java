package io.sextant.tracking.web;

import io.sextant.shared.web.JsonFields;
import io.sextant.shared.web.Problems;
import io.sextant.tracking.PositionQueries;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.locationtech.jts.geom.Geometry;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

/** Historical queries: one asset's track, area-and-window history, as-of snapshots. GeoJSON out. */
@RestController
@PreAuthorize("hasAuthority('positions:read')")
@Tag(name = "Position history", description = "Tracks, area history and as-of snapshots, as GeoJSON")
class PositionHistoryController {

    private final PositionQueries queries;

    PositionHistoryController(PositionQueries queries) {
        this.queries = queries;
    }

    @GetMapping(
            path = "/api/v1/assets/{assetId}/track",
            produces = {GeoJsonFeatures.MEDIA_TYPE, "application/json"})
    @Operation(
            operationId = "getTrack",
            summary = "One asset's track over [from, to): a LineString, or Point features with format=points")
    @ApiResponse(
            responseCode = "200",
            description =
                    "A FeatureCollection: one LineString feature (times in properties.times), or Point features with format=points; rawCount, truncated and nextFrom as foreign members",
            content = {
                @Content(
                        mediaType = GeoJsonFeatures.MEDIA_TYPE,
                        schema = @Schema(ref = GeoJsonFeatures.COLLECTION_SCHEMA)),
                @Content(mediaType = "application/json", schema = @Schema(ref = GeoJsonFeatures.COLLECTION_SCHEMA))
            })
    Map<String, Object> track(
            @PathVariable UUID assetId,
            @RequestParam String from,
            @RequestParam String to,
            @RequestParam(defaultValue = "0") double tolerance,
            @RequestParam(defaultValue = "10000") int limit,
            @RequestParam(defaultValue = "linestring") String format) {
        if (!format.equals("linestring") && !format.equals("points")) {
            throw Problems.invalid("format", "must be linestring or points");
        }
        PositionQueries.Track track = queries.track(
                assetId, QueryParameters.instant("from", from), QueryParameters.instant("to", to), tolerance, limit);
        List<Map<String, Object>> features = format.equals("points")
                ? track.points().stream().map(GeoJsonFeatures::point).toList()
                : track.points().isEmpty()
                        ? List.of()
                        : List.of(GeoJsonFeatures.line(assetId, track.points(), "LineString"));
        Map<String, Object> members = new LinkedHashMap<>();
        members.put("assetId", assetId);
        members.put("rawCount", track.rawCount());
        members.put("truncated", track.truncated());
        members.put(
                "nextFrom", track.nextFrom() == null ? null : track.nextFrom().toString());
        return GeoJsonFeatures.collection(features, members);
    }

    @GetMapping(
            path = "/api/v1/positions/history",
            produces = {GeoJsonFeatures.MEDIA_TYPE, "application/json"})
    @Operation(
            operationId = "listPositionHistory",
            summary = "Every position inside a bbox (west,south,east,north) during [from, to), paginated")
    @ApiResponse(
            responseCode = "200",
            description =
                    "A FeatureCollection of Point features (or a MultiPoint per asset with groupBy=asset); nextCursor when there is more",
            content = {
                @Content(
                        mediaType = GeoJsonFeatures.MEDIA_TYPE,
                        schema = @Schema(ref = GeoJsonFeatures.COLLECTION_SCHEMA)),
                @Content(mediaType = "application/json", schema = @Schema(ref = GeoJsonFeatures.COLLECTION_SCHEMA))
            })
    Map<String, Object> historyInBox(
            @RequestParam String bbox,
            @RequestParam String from,
            @RequestParam String to,
            @RequestParam(required = false) @Nullable String type,
            @RequestParam(name = "tag", required = false) @Nullable List<String> tags,
            @RequestParam(required = false) @Nullable String groupBy,
            @RequestParam(required = false) @Nullable String cursor,
            @RequestParam(defaultValue = "1000") int limit) {
        return history(
                queries.inArea(
                        QueryParameters.bbox(bbox),
                        null,
                        QueryParameters.instant("from", from),
                        QueryParameters.instant("to", to),
                        QueryParameters.criteria(type, tags),
                        byAsset(groupBy),
                        cursor,
                        limit),
                byAsset(groupBy));
    }

    @PostMapping(
            path = "/api/v1/positions/history/search",
            produces = {GeoJsonFeatures.MEDIA_TYPE, "application/json"})
    @Operation(
            operationId = "searchPositionHistory",
            summary = "Every position inside a GeoJSON Polygon or MultiPolygon (holes respected) during [from, to)",
            requestBody =
                    @io.swagger.v3.oas.annotations.parameters.RequestBody(
                            required = true,
                            content = @Content(schema = @Schema(implementation = HistorySearch.class))))
    @ApiResponse(
            responseCode = "200",
            description =
                    "A FeatureCollection of Point features (or a MultiPoint per asset with groupBy=asset); nextCursor when there is more",
            content = {
                @Content(
                        mediaType = GeoJsonFeatures.MEDIA_TYPE,
                        schema = @Schema(ref = GeoJsonFeatures.COLLECTION_SCHEMA)),
                @Content(mediaType = "application/json", schema = @Schema(ref = GeoJsonFeatures.COLLECTION_SCHEMA))
            })
    Map<String, Object> historyInGeometry(@RequestBody JsonNode body) {
        Geometry area = QueryParameters.geometry(body);
        String from = requiredText(body, "from");
        String to = requiredText(body, "to");
        boolean byAsset = byAsset(JsonFields.optionalString(body, "groupBy"));
        String cursor = JsonFields.optionalString(body, "cursor");
        int limit = JsonFields.optionalInt(body, "limit", 1000);
        return history(
                queries.inArea(
                        null,
                        area,
                        QueryParameters.instant("from", from),
                        QueryParameters.instant("to", to),
                        QueryParameters.criteria(body),
                        byAsset,
                        cursor,
                        limit),
                byAsset);
    }

    @GetMapping(
            path = "/api/v1/positions/snapshot",
            produces = {GeoJsonFeatures.MEDIA_TYPE, "application/json"})
    @Operation(
            operationId = "getSnapshot",
            summary = "The latest position of every asset as of a past instant, within a maximum staleness")
    @ApiResponse(
            responseCode = "200",
            description = "A FeatureCollection of Point features, one per asset; nextCursor when there is more",
            content = {
                @Content(
                        mediaType = GeoJsonFeatures.MEDIA_TYPE,
                        schema = @Schema(ref = GeoJsonFeatures.COLLECTION_SCHEMA)),
                @Content(mediaType = "application/json", schema = @Schema(ref = GeoJsonFeatures.COLLECTION_SCHEMA))
            })
    Map<String, Object> snapshot(
            @RequestParam String at,
            @RequestParam(defaultValue = "PT1H") String maxStaleness,
            @RequestParam(required = false) @Nullable String type,
            @RequestParam(name = "tag", required = false) @Nullable List<String> tags,
            @RequestParam(required = false) @Nullable String cursor,
            @RequestParam(defaultValue = "1000") int limit) {
        PositionQueries.SnapshotPage page = queries.asOf(
                QueryParameters.instant("at", at),
                QueryParameters.duration("maxStaleness", maxStaleness),
                QueryParameters.criteria(type, tags),
                cursor,
                limit);
        Map<String, Object> members = new LinkedHashMap<>();
        members.put("nextCursor", page.nextCursor());
        return GeoJsonFeatures.collection(
                page.items().stream().map(GeoJsonFeatures::point).toList(), members);
    }

    private static Map<String, Object> history(PositionQueries.HistoryPage page, boolean byAsset) {
        Map<String, Object> members = new LinkedHashMap<>();
        members.put("nextCursor", page.nextCursor());
        return GeoJsonFeatures.collection(
                byAsset
                        ? GeoJsonFeatures.groupedByAsset(page.items(), "MultiPoint")
                        : page.items().stream().map(GeoJsonFeatures::point).toList(),
                members);
    }

    private static boolean byAsset(@Nullable String groupBy) {
        if (groupBy == null) {
            return false;
        }
        if (!groupBy.equals("asset")) {
            throw Problems.invalid("groupBy", "the only grouping is 'asset'");
        }
        return true;
    }

    private static String requiredText(JsonNode body, String field) {
        JsonNode value = body.get(field);
        if (value == null || !value.isString()) {
            throw Problems.invalid(field, "is required (an RFC 3339 timestamp)");
        }
        return value.asString();
    }

    /** The body of a polygon history search, as read above, for the OpenAPI document. */
    @Schema(name = "PositionHistorySearch")
    record HistorySearch(
            @Schema(
                    requiredMode = Schema.RequiredMode.REQUIRED,
                    ref = "#/components/schemas/GeoJsonGeometry",
                    description = "A Polygon or MultiPolygon")
            Object geometry,

            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, description = "Inclusive, RFC 3339")
            String from,

            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, description = "Exclusive, RFC 3339")
            String to,

            @Schema(description = "Only assets of this type") @Nullable
            String type,

            @Schema(description = "Only assets carrying every one of these tags") @Nullable
            List<String> tags,

            @Schema(description = "asset: one MultiPoint feature per asset", allowableValues = "asset") @Nullable
            String groupBy,

            @Schema(description = "The nextCursor of the previous page") @Nullable
            String cursor,

            @Schema(description = "At most this many positions", defaultValue = "1000") @Nullable
            Integer limit) {}
}
