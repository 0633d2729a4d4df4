package io.sextant.platform.observability;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.headers.Header;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.info.License;
import io.swagger.v3.oas.models.media.ArraySchema;
import io.swagger.v3.oas.models.media.BooleanSchema;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.DateTimeSchema;
import io.swagger.v3.oas.models.media.IntegerSchema;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.media.UUIDSchema;
import io.swagger.v3.oas.models.parameters.Parameter;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import io.swagger.v3.oas.models.security.OAuthFlow;
import io.swagger.v3.oas.models.security.OAuthFlows;
import io.swagger.v3.oas.models.security.Scopes;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import io.swagger.v3.oas.models.servers.Server;
import java.math.BigDecimal;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springdoc.core.utils.SpringDocUtils;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The OpenAPI 3.1 document at {@code /v3/api-docs}: the security schemes, the shared schemas
 * ({@code Problem}, GeoJSON, CloudEvents) and the problem responses of every operation. Controllers
 * say what is particular to them (operation ids, bodies, their own error statuses); the rules that
 * hold for every operation are applied here, so the document cannot forget one.
 */
@Configuration(proxyBeanMethods = false)
class OpenApiConfiguration {

    // Controllers of other modules refer to the shared schemas as "#/components/schemas/<name>".
    private static final String PROBLEM = "Problem";
    private static final String PROBLEM_JSON = "application/problem+json";

    private static final String SCHEMAS = "#/components/schemas/";

    // Problem responses that any operation can give, whatever it does.
    private static final Map<String, String> EVERY_OPERATION = Map.of(
            "429", "Rate limit exceeded; retry after Retry-After seconds",
            "500", "Unexpected error; nothing about the cause is disclosed: quote the requestId",
            "503", "Temporarily unavailable (the database, or ingest at capacity); retry after Retry-After seconds");

    static {
        // Jackson 3 trees are free JSON, not beans: without this they are documented by their getters.
        for (Class<?> tree : List.of(JsonNode.class, ObjectNode.class, ArrayNode.class)) {
            SpringDocUtils.getConfig().replaceWithSchema(tree, new Schema<>().description("Any JSON value"));
        }
    }

    @Bean
    OpenAPI sextantOpenApi() {
        return new OpenAPI()
                .info(new Info()
                        .title("Sextant API")
                        .version("v1")
                        .description("Positions, geofences, events, workflows and access control in space and time."
                                + " Errors are RFC 9457 problem documents (application/problem+json); lists are"
                                + " cursor-paginated. The guide, with the catalogue of problem types, is docs/api.md.")
                        .license(new License().name("Apache-2.0").identifier("Apache-2.0")))
                // Relative: the API is served by whoever serves this document, whatever host name was used.
                .servers(List.of(new Server().url("/").description("This Sextant")))
                .components(new Components()
                        .addSecuritySchemes(
                                "bearer",
                                new SecurityScheme()
                                        .type(SecurityScheme.Type.HTTP)
                                        .scheme("bearer")
                                        .bearerFormat("JWT")
                                        .description("An access token of the embedded issuer (POST /api/v1/auth/token,"
                                                + " or client credentials at /oauth2/token) or of the configured"
                                                + " OIDC provider"))
                        .addSecuritySchemes(
                                "apiKey",
                                new SecurityScheme()
                                        .type(SecurityScheme.Type.HTTP)
                                        .scheme("bearer")
                                        .bearerFormat("sxk_<key id>_<secret>")
                                        .description("An API key (POST /api/v1/api-keys) sent as a bearer token"))
                        .addSecuritySchemes(
                                "oauth2",
                                new SecurityScheme()
                                        .type(SecurityScheme.Type.OAUTH2)
                                        .description("Service accounts: client credentials at the embedded issuer,"
                                                + " HTTP Basic with the client id and secret. Permissions come from"
                                                + " the account's roles, not from scopes.")
                                        .flows(new OAuthFlows()
                                                .clientCredentials(new OAuthFlow()
                                                        .tokenUrl("/oauth2/token")
                                                        .scopes(new Scopes()))))
                        .addSecuritySchemes(
                                "apiKeyBasic",
                                new SecurityScheme()
                                        .type(SecurityScheme.Type.HTTP)
                                        .scheme("basic")
                                        .description("Tracker apps only: the API key as the HTTP Basic password,"
                                                + " any user name"))
                        .addSecuritySchemes(
                                "apiKeyQuery",
                                new SecurityScheme()
                                        .type(SecurityScheme.Type.APIKEY)
                                        .in(SecurityScheme.In.QUERY)
                                        .name("key")
                                        .description("Tracker apps that cannot set headers only: the API key as"
                                                + " ?key=; it is taken out of the URL before anything logs it")))
                .addSecurityItem(new SecurityRequirement().addList("bearer"))
                .addSecurityItem(new SecurityRequirement().addList("apiKey"))
                .addSecurityItem(new SecurityRequirement().addList("oauth2"));
    }

    /**
     * Runs after springdoc has built the paths (and pruned the schemas nothing referenced then), so
     * the shared schemas added here stay, and every operation gets the problem responses it can give.
     */
    @Bean
    OpenApiCustomizer sharedSchemasAndProblemResponses() {
        return openApi -> {
            Components components = openApi.getComponents();
            SharedSchemas.all().forEach(components::addSchemas);
            boolean securedByDefault =
                    openApi.getSecurity() != null && !openApi.getSecurity().isEmpty();
            openApi.getPaths()
                    .forEach((path, item) -> item.readOperationsMap()
                            .forEach((method, operation) ->
                                    documentProblems(path, method, operation, securedByDefault)));
        };
    }

    private static void documentProblems(
            String path, PathItem.HttpMethod method, Operation operation, boolean securedByDefault) {
        ApiResponses responses = operation.getResponses();
        List<Parameter> parameters = operation.getParameters() == null ? List.of() : operation.getParameters();
        boolean secured = operation.getSecurity() == null
                ? securedByDefault
                : !operation.getSecurity().isEmpty();
        boolean hasBody = operation.getRequestBody() != null;

        if (!parameters.isEmpty() || hasBody) {
            addIfAbsent(responses, "400", "Invalid request: the problem's errors[] name each field and why");
        }
        if (secured) {
            addIfAbsent(responses, "401", "Missing, invalid, expired or revoked credentials");
            addIfAbsent(responses, "403", "The credentials lack the permission this operation needs");
        }
        if (path.contains("{")) {
            addIfAbsent(responses, "404", "No such resource in your tenant");
        }
        if (hasBody) {
            addIfAbsent(responses, "413", "Request body too large");
            addIfAbsent(responses, "415", "Unsupported Content-Type");
        }
        if (has(parameters, "If-Match")) {
            addIfAbsent(responses, "412", "If-Match does not match the current ETag: reload and retry");
            // Updates require it (a delete only honours it): the lost-update guard is not optional.
            if (method == PathItem.HttpMethod.PUT || method == PathItem.HttpMethod.PATCH) {
                addIfAbsent(responses, "428", "If-Match is required: send the ETag you read");
            }
        }
        if (has(parameters, "If-None-Match") && responses.get("304") == null) {
            responses.addApiResponse("304", new ApiResponse().description("Not modified: If-None-Match matched"));
        }
        if (method == PathItem.HttpMethod.POST) {
            documentIdempotencyKey(operation, parameters);
        }
        EVERY_OPERATION.forEach((status, description) -> addIfAbsent(responses, status, description));
        responses.addApiResponse("default", problem("Any other error, as a problem document"));

        // Whatever a controller declared, an error is a problem document: one content type, one schema.
        responses.forEach((status, response) -> {
            if (status.startsWith("4") || status.startsWith("5")) {
                response.setContent(problemContent());
            }
            if (status.equals("429") || status.equals("503")) {
                response.addHeaderObject("Retry-After", retryAfter());
            }
        });
        sortByStatus(operation);
    }

    private static void documentIdempotencyKey(Operation operation, List<Parameter> parameters) {
        if (!has(parameters, "Idempotency-Key")) {
            operation.addParametersItem(new Parameter()
                    .in("header")
                    .name("Idempotency-Key")
                    .required(false)
                    .description("Makes a retry safe: the first response is stored and replayed to a retry with"
                            + " the same key and body")
                    .schema(new StringSchema().maxLength(255)));
        }
        ApiResponses responses = operation.getResponses();
        addIfAbsent(
                responses,
                "409",
                "Conflict (also: a request with this Idempotency-Key is still running; Retry-After gives the seconds to wait)");
        addIfAbsent(responses, "422", "The Idempotency-Key was used for a different request");
    }

    private static boolean has(List<Parameter> parameters, String name) {
        return parameters.stream().anyMatch(p -> name.equalsIgnoreCase(p.getName()));
    }

    private static void addIfAbsent(ApiResponses responses, String status, String description) {
        if (responses.get(status) == null) {
            responses.addApiResponse(status, problem(description));
        }
    }

    private static ApiResponse problem(String description) {
        return new ApiResponse().description(description).content(problemContent());
    }

    private static Content problemContent() {
        return new Content().addMediaType(PROBLEM_JSON, new MediaType().schema(ref(PROBLEM)));
    }

    private static Header retryAfter() {
        return new Header()
                .description("Seconds to wait before retrying")
                .schema(new IntegerSchema().minimum(BigDecimal.ZERO));
    }

    // A stable order (2xx, 3xx, 4xx, 5xx, default) makes the document and its diffs readable.
    private static void sortByStatus(Operation operation) {
        ApiResponses sorted = new ApiResponses();
        TreeMap<String, ApiResponse> byStatus =
                new TreeMap<>(Comparator.comparing(status -> "default".equals(status) ? "999" : status));
        byStatus.putAll(operation.getResponses());
        byStatus.forEach(sorted::addApiResponse);
        operation.setResponses(sorted);
    }

    private static Schema<?> required(Schema<?> schema, String... properties) {
        schema.setRequired(List.of(properties));
        return schema;
    }

    private static Schema<?> ref(String name) {
        return new Schema<>().$ref(SCHEMAS + name);
    }

    /** The schemas every part of the API shares, defined once. */
    private static final class SharedSchemas {

        private SharedSchemas() {}

        static Map<String, Schema<?>> all() {
            Map<String, Schema<?>> schemas = new TreeMap<>();
            schemas.put(PROBLEM, problem());
            schemas.put("ProblemFieldError", fieldError());
            schemas.put("GeoJsonGeometry", geometry());
            schemas.put("GeoJsonFeature", feature());
            schemas.put("GeoJsonFeatureCollection", featureCollection());
            schemas.put("CloudEvent", cloudEvent());
            schemas.put("CloudEventPage", cloudEventPage());
            return schemas;
        }

        private static Schema<?> problem() {
            return required(
                    new ObjectSchema()
                            .description(
                                    "An RFC 9457 problem document. Clients switch on type; the catalogue of types is in"
                                            + " docs/api.md.")
                            .addProperty(
                                    "type",
                                    new StringSchema()
                                            .format("uri")
                                            .description("urn:sextant:problem:<slug>")
                                            .example("urn:sextant:problem:validation"))
                            .addProperty("title", new StringSchema().description("A short summary of the problem type"))
                            .addProperty("status", new IntegerSchema().description("The HTTP status code"))
                            .addProperty("detail", new StringSchema().description("What went wrong with this request"))
                            .addProperty(
                                    "instance",
                                    new StringSchema().format("uri-reference").description("The path of the request"))
                            .addProperty(
                                    "requestId",
                                    new StringSchema()
                                            .description("The X-Request-Id of the request: quote it to the operator"))
                            .addProperty(
                                    "errors",
                                    new ArraySchema()
                                            .items(ref("ProblemFieldError"))
                                            .description("For invalid fields: each field and why")),
                    "type",
                    "title",
                    "status");
        }

        private static Schema<?> fieldError() {
            return required(
                    new ObjectSchema()
                            .description("One invalid field of a request")
                            .addProperty(
                                    "field",
                                    new StringSchema()
                                            .description("The field, parameter or header, dotted for nested fields")
                                            .example("tags"))
                            .addProperty("reason", new StringSchema().description("Why it is invalid")),
                    "field",
                    "reason");
        }

        private static Schema<?> geometry() {
            return required(
                    new ObjectSchema()
                            .description("A GeoJSON geometry (RFC 7946); coordinates are [longitude, latitude] or"
                                    + " [longitude, latitude, altitude], nested per geometry type")
                            .addProperty(
                                    "type",
                                    new StringSchema()
                                            ._enum(List.of(
                                                    "Point",
                                                    "MultiPoint",
                                                    "LineString",
                                                    "MultiLineString",
                                                    "Polygon",
                                                    "MultiPolygon")))
                            .addProperty("coordinates", new ArraySchema().items(new Schema<>())),
                    "type",
                    "coordinates");
        }

        private static Schema<?> feature() {
            return required(
                    new ObjectSchema()
                            .description("A GeoJSON Feature: a position (Point; properties assetId, time, receivedAt,"
                                    + " accuracy, speed, heading, distance) or an asset's positions (LineString or"
                                    + " MultiPoint; properties assetId, count, times)")
                            .addProperty("type", new StringSchema()._enum(List.of("Feature")))
                            .addProperty("id", new StringSchema().description("The asset id"))
                            .addProperty("geometry", ref("GeoJsonGeometry"))
                            .addProperty("properties", new ObjectSchema().additionalProperties(true)),
                    "type",
                    "geometry",
                    "properties");
        }

        private static Schema<?> featureCollection() {
            return required(
                    new ObjectSchema()
                            .description("A GeoJSON FeatureCollection; paging and query facts are foreign members")
                            .addProperty("type", new StringSchema()._enum(List.of("FeatureCollection")))
                            .addProperty("features", new ArraySchema().items(ref("GeoJsonFeature")))
                            .addProperty(
                                    "nextCursor",
                                    new StringSchema()
                                            .description("Pass back as cursor for the next page; absent on the last"))
                            .addProperty(
                                    "truncated",
                                    new BooleanSchema().description("More matched than the limit; narrow the query"))
                            .addProperty("assetId", new UUIDSchema().description("Tracks: the asset"))
                            .addProperty(
                                    "rawCount",
                                    new IntegerSchema().description("Tracks: positions before simplification"))
                            .addProperty(
                                    "nextFrom",
                                    new DateTimeSchema()
                                            .description("Tracks: where the next window starts when truncated")),
                    "type",
                    "features");
        }

        private static Schema<?> cloudEvent() {
            return required(
                    new ObjectSchema()
                            .description(
                                    "A CloudEvents 1.0 JSON document; the types and their data are in docs/events.md")
                            .addProperty("specversion", new StringSchema()._enum(List.of("1.0")))
                            .addProperty("id", new UUIDSchema())
                            .addProperty("source", new StringSchema().format("uri-reference"))
                            .addProperty("type", new StringSchema().example("sextant.zone.entered"))
                            .addProperty("subject", new StringSchema())
                            .addProperty("time", new DateTimeSchema().description("When it happened (event time)"))
                            .addProperty("datacontenttype", new StringSchema()._enum(List.of("application/json")))
                            .addProperty("tenantid", new UUIDSchema())
                            .addProperty("recordedtime", new DateTimeSchema().description("When Sextant recorded it"))
                            .addProperty("data", new ObjectSchema().additionalProperties(true))
                            .additionalProperties(true),
                    "specversion",
                    "id",
                    "source",
                    "type",
                    "time",
                    "tenantid",
                    "recordedtime");
        }

        private static Schema<?> cloudEventPage() {
            return required(
                    new ObjectSchema()
                            .description("A page of events")
                            .addProperty("items", new ArraySchema().items(ref("CloudEvent")))
                            .addProperty(
                                    "nextCursor",
                                    new StringSchema()
                                            .description("Pass back as cursor for the next page; absent on the last")),
                    "items");
        }
    }
}
