package io.sextant.ogc.web;

import io.sextant.shared.access.AccessPolicies;
import io.sextant.shared.features.FeaturePage;
import io.sextant.shared.features.FeatureQuery;
import io.sextant.shared.features.FeatureSource;
import io.sextant.shared.web.Problems;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

/**
 * OGC API – Features, Part 1 (Core and GeoJSON conformance classes), over every {@link
 * FeatureSource} the modules publish. The caller's token or API key decides the tenant and what is
 * seen, as everywhere in the API: a collection is listed only to a caller holding its permission,
 * and its items are narrowed by the caller's grants. Links are absolute, built from the request.
 */
@RestController
@RequestMapping(path = FeaturesController.ROOT, produces = MediaType.APPLICATION_JSON_VALUE)
@Tag(
        name = "OGC API Features",
        description = "Zones and latest positions as OGC API – Features collections, for GIS clients such as QGIS"
                + " and GDAL")
class FeaturesController {

    static final String ROOT = "/api/v1/ogc";

    static final String GEOJSON = "application/geo+json";

    private static final String CRS84 = "http://www.opengis.net/def/crs/OGC/1.3/CRS84";

    private static final List<String> CONFORMANCE = List.of(
            "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core",
            "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson");

    private static final Set<String> FORMAT_ONLY = Set.of("f");

    private static final Set<String> ITEMS_PARAMETERS = Set.of("f", "limit", "bbox", "datetime", "cursor");

    private final Map<String, FeatureSource> sources = new TreeMap<>();
    private final Clock clock;

    FeaturesController(List<FeatureSource> sources, Clock clock) {
        sources.forEach(source -> this.sources.put(source.id(), source));
        this.clock = clock;
    }

    @GetMapping
    @Operation(
            operationId = "getFeaturesLandingPage",
            summary = "OGC API – Features landing page: links to the API definition, conformance and collections")
    Map<String, Object> landingPage(@RequestParam(required = false) @Nullable String f, HttpServletRequest request) {
        FeatureParameters.check(request.getParameterMap(), FORMAT_ONLY, f);
        Map<String, Object> page = new LinkedHashMap<>();
        page.put("title", "Sextant");
        page.put("description", "Zones and latest positions of the caller's tenant as OGC API – Features collections");
        page.put(
                "links",
                List.of(
                        link(url(""), "self", MediaType.APPLICATION_JSON_VALUE, "This document"),
                        link(
                                root() + "/v3/api-docs",
                                "service-desc",
                                "application/vnd.oai.openapi+json;version=3.1",
                                "The API definition (OpenAPI 3.1)"),
                        link(
                                root() + "/swagger-ui.html",
                                "service-doc",
                                MediaType.TEXT_HTML_VALUE,
                                "The API documentation"),
                        link(
                                url("/conformance"),
                                "conformance",
                                MediaType.APPLICATION_JSON_VALUE,
                                "Conformance classes"),
                        link(url("/collections"), "data", MediaType.APPLICATION_JSON_VALUE, "The collections")));
        return page;
    }

    @GetMapping("/conformance")
    @Operation(operationId = "getFeaturesConformance", summary = "The OGC API – Features conformance classes served")
    Map<String, Object> conformance(@RequestParam(required = false) @Nullable String f, HttpServletRequest request) {
        FeatureParameters.check(request.getParameterMap(), FORMAT_ONLY, f);
        return Map.of("conformsTo", CONFORMANCE);
    }

    @GetMapping("/collections")
    @Operation(
            operationId = "listFeatureCollections",
            summary = "The feature collections the caller may read: zones (zones:read), latest positions"
                    + " (positions:read)")
    Map<String, Object> collections(@RequestParam(required = false) @Nullable String f, HttpServletRequest request) {
        FeatureParameters.check(request.getParameterMap(), FORMAT_ONLY, f);
        Instant now = clock.instant();
        List<Map<String, Object>> collections = new ArrayList<>();
        for (FeatureSource source : sources.values()) {
            if (AccessPolicies.current().permits(source.permission(), now)) {
                collections.add(collection(source));
            }
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put(
                "links", List.of(link(url("/collections"), "self", MediaType.APPLICATION_JSON_VALUE, "This document")));
        body.put("collections", collections);
        return body;
    }

    @GetMapping("/collections/{collectionId}")
    @Operation(operationId = "getFeatureCollection", summary = "One feature collection: its extent and links")
    Map<String, Object> collection(
            @PathVariable String collectionId,
            @RequestParam(required = false) @Nullable String f,
            HttpServletRequest request) {
        FeatureParameters.check(request.getParameterMap(), FORMAT_ONLY, f);
        return collection(readable(collectionId));
    }

    @GetMapping(
            path = "/collections/{collectionId}/items",
            produces = {GEOJSON, MediaType.APPLICATION_JSON_VALUE})
    @Operation(
            operationId = "listFeatures",
            summary = "A page of a collection's features as a GeoJSON FeatureCollection, with a next link while more"
                    + " follow",
            description = "limit: 1 or more, default " + FeatureParameters.DEFAULT_LIMIT + "; above the collection's"
                    + " maximum (latest-positions 1000, zones 500) it is served as that maximum. bbox:"
                    + " minLon,minLat,maxLon,maxLat in CRS84 (or six numbers with heights, ignored);"
                    + " minLon > maxLon crosses the antimeridian. datetime: an RFC 3339 instant or date, or an"
                    + " interval start/end with '..' for an open end; zones match from their current version's"
                    + " updatedAt on, latest positions by their time. cursor: from a next link. Any other"
                    + " parameter is a 400.")
    Map<String, Object> items(
            @PathVariable String collectionId,
            @RequestParam(required = false) @Nullable String limit,
            @RequestParam(required = false) @Nullable String bbox,
            @RequestParam(required = false) @Nullable String datetime,
            @Parameter(description = "Where the previous page ended, from its next link")
                    @RequestParam(required = false)
                    @Nullable
                    String cursor,
            @RequestParam(required = false) @Nullable String f,
            HttpServletRequest request) {
        FeatureSource source = readable(collectionId);
        FeatureParameters.check(request.getParameterMap(), ITEMS_PARAMETERS, f);
        int size = FeatureParameters.limit(limit, source.maxPageSize());
        FeaturePage page = source.page(new FeatureQuery(
                FeatureParameters.bbox(bbox),
                FeatureParameters.datetime(datetime),
                cursor == null || cursor.isEmpty() ? null : cursor,
                size));
        List<Map<String, Object>> links = new ArrayList<>();
        links.add(link(thisRequest(request, Map.of()), "self", GEOJSON, "This page"));
        if (page.nextCursor() != null) {
            String next = thisRequest(request, Map.of("cursor", page.nextCursor(), "limit", Integer.toString(size)));
            links.add(link(next, "next", GEOJSON, "The next page"));
        }
        links.add(link(
                url("/collections/" + source.id()), "collection", MediaType.APPLICATION_JSON_VALUE, source.title()));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", "FeatureCollection");
        body.put(
                "features",
                page.features().stream()
                        .map(feature -> withLinks(feature, source))
                        .toList());
        body.put("links", links);
        body.put("timeStamp", clock.instant().truncatedTo(ChronoUnit.MILLIS).toString());
        body.put("numberReturned", page.features().size());
        return body;
    }

    @GetMapping(
            path = "/collections/{collectionId}/items/{featureId}",
            produces = {GEOJSON, MediaType.APPLICATION_JSON_VALUE})
    @Operation(operationId = "getFeature", summary = "One feature of a collection, by its id, as GeoJSON")
    Map<String, Object> item(
            @PathVariable String collectionId,
            @PathVariable String featureId,
            @RequestParam(required = false) @Nullable String f,
            HttpServletRequest request) {
        FeatureSource source = readable(collectionId);
        FeatureParameters.check(request.getParameterMap(), FORMAT_ONLY, f);
        return source.feature(featureId)
                .map(feature -> withLinks(feature, source))
                .orElseThrow(() -> Problems.notFound("feature", featureId));
    }

    /** The collection, if it exists (404) and the caller holds its permission (403). */
    private FeatureSource readable(String collectionId) {
        FeatureSource source = sources.get(collectionId);
        if (source == null) {
            throw Problems.of(
                    HttpStatus.NOT_FOUND,
                    "not-found",
                    "Not found",
                    "no collection '" + collectionId + "'; there are " + String.join(", ", sources.keySet()));
        }
        if (!AccessPolicies.current().permits(source.permission(), clock.instant())) {
            throw Problems.forbidden("reading the collection '" + collectionId + "' requires " + source.permission());
        }
        return source;
    }

    private Map<String, Object> collection(FeatureSource source) {
        Map<String, Object> collection = new LinkedHashMap<>();
        collection.put("id", source.id());
        collection.put("title", source.title());
        collection.put("description", source.description());
        collection.put(
                "links",
                List.of(
                        link(
                                url("/collections/" + source.id()),
                                "self",
                                MediaType.APPLICATION_JSON_VALUE,
                                source.title()),
                        link(url("/collections/" + source.id() + "/items"), "items", GEOJSON, source.title())));
        collection.put("extent", Map.of("spatial", Map.of("bbox", List.of(List.of(-180, -90, 180, 90)), "crs", CRS84)));
        collection.put("itemType", "feature");
        collection.put("crs", List.of(CRS84));
        return collection;
    }

    private Map<String, Object> withLinks(Map<String, Object> feature, FeatureSource source) {
        Map<String, Object> linked = new LinkedHashMap<>(feature);
        String collection = url("/collections/" + source.id());
        linked.put(
                "links",
                List.of(
                        link(collection + "/items/" + feature.get("id"), "self", GEOJSON, "This feature"),
                        link(collection, "collection", MediaType.APPLICATION_JSON_VALUE, source.title())));
        return linked;
    }

    private static Map<String, Object> link(String href, String rel, String type, String title) {
        Map<String, Object> link = new LinkedHashMap<>();
        link.put("href", href);
        link.put("rel", rel);
        link.put("type", type);
        link.put("title", title);
        return link;
    }

    /**
     * The request's URL with {@code replaced} parameters set, each value encoded once (as a form
     * encodes it: {@code +} in an offset survives as {@code %2B}), whatever the client escaped or not.
     */
    private static String thisRequest(HttpServletRequest request, Map<String, String> replaced) {
        Map<String, String[]> parameters = new TreeMap<>(request.getParameterMap());
        replaced.forEach((name, value) -> parameters.put(name, new String[] {value}));
        StringBuilder query = new StringBuilder();
        parameters.forEach((name, values) -> {
            for (String value : values) {
                query.append(query.isEmpty() ? "?" : "&")
                        .append(URLEncoder.encode(name, StandardCharsets.UTF_8))
                        .append('=')
                        .append(URLEncoder.encode(value, StandardCharsets.UTF_8));
            }
        });
        return ServletUriComponentsBuilder.fromCurrentRequestUri().toUriString() + query;
    }

    private static String root() {
        return ServletUriComponentsBuilder.fromCurrentContextPath().toUriString();
    }

    private static String url(String path) {
        return root() + ROOT + path;
    }
}
