package io.sextant.platform.observability;

import static org.assertj.core.api.Assertions.assertThat;

import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import io.sextant.testing.ApiClient;
import io.sextant.testing.ApiClient.Response;
import io.sextant.testing.SextantIT;
import io.swagger.v3.oas.annotations.Hidden;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.models.SpecVersion;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openapitools.codegen.DefaultGenerator;
import org.openapitools.codegen.config.CodegenConfigurator;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;
import tools.jackson.databind.JsonNode;

/**
 * The OpenAPI document at {@code /v3/api-docs}, checked the way its users check it: by two real
 * validators (swagger-parser, and the official OpenAPI 3.1 JSON Schema with its Schema Object
 * dialect), by what it must say about every operation, and by generating a Java client from it with
 * OpenAPI Generator and compiling that client.
 */
class OpenApiDocumentIT extends SextantIT {

    /** Written for whoever wants to lint it by hand or generate from it: target/openapi/sextant.json. */
    private static final Path OUTPUT = Path.of("target", "openapi");

    /** The schema that also checks every Schema Object against the OpenAPI 3.1 dialect. */
    private static final String OAS_SCHEMA_WITH_DIALECT = "https://spec.openapis.org/oas/3.1/schema-base/2022-10-07";

    /** The official schemas, committed under src/test/resources/oas-3.1: nothing is fetched. */
    private static final Map<String, String> OAS_SCHEMAS = Map.of(
            "https://spec.openapis.org/oas/3.1/schema/2022-10-07",
            "classpath:oas-3.1/schema.json",
            OAS_SCHEMA_WITH_DIALECT,
            "classpath:oas-3.1/schema-base.json",
            "https://spec.openapis.org/oas/3.1/dialect/base",
            "classpath:oas-3.1/dialect/base.schema.json",
            "https://spec.openapis.org/oas/3.1/meta/base",
            "classpath:oas-3.1/meta/base.schema.json");

    private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "patch", "head", "options");
    private static final String PROBLEM_REF = "#/components/schemas/Problem";
    private static final String FEATURE_COLLECTION_REF = "#/components/schemas/GeoJsonFeatureCollection";

    @Autowired
    @Qualifier("requestMappingHandlerMapping")
    private RequestMappingHandlerMapping handlers;

    private String text;
    private JsonNode document;

    @BeforeEach
    void fetchDocument() throws IOException {
        Response response = api.get("/v3/api-docs").send();
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        text = response.body();
        document = response.json();
        Files.createDirectories(OUTPUT);
        Files.writeString(OUTPUT.resolve("sextant.json"), text);
    }

    // --- real validators -----------------------------------------------------------------------

    @Test
    void swagger_parser_validates_the_document_as_openapi_3_1_without_a_message() {
        ParseOptions options = new ParseOptions();
        options.setResolve(true);
        options.setValidateInternalRefs(true);
        SwaggerParseResult result = new OpenAPIV3Parser().readContents(text, null, options);

        assertThat(result.getOpenAPI()).isNotNull();
        assertThat(result.getOpenAPI().getSpecVersion()).isEqualTo(SpecVersion.V31);
        assertThat(result.getMessages()).isEmpty();
    }

    @Test
    void the_document_conforms_to_the_official_openapi_3_1_json_schema() {
        SchemaRegistry registry = SchemaRegistry.withDefaultDialect(
                SpecificationVersion.DRAFT_2020_12,
                builder -> builder.schemaLoader(loader ->
                        loader.fetchRemoteResources(false).schemaIdResolvers(ids -> ids.mappings(OAS_SCHEMAS))));
        Schema schema = registry.getSchema(SchemaLocation.of(OAS_SCHEMA_WITH_DIALECT));

        List<Error> errors = schema.validate(text, InputFormat.JSON);

        assertThat(errors).isEmpty();
    }

    // --- what the document must say --------------------------------------------------------------

    @Test
    void only_the_product_api_is_documented_not_the_error_page_nor_test_endpoints() {
        Set<String> paths = new HashSet<>();
        document.path("paths").propertyNames().forEach(paths::add);

        assertThat(paths).isNotEmpty().allMatch(path -> path.startsWith("/api/v1/") || path.startsWith("/ingest/"));
        assertThat(paths).doesNotContain("/error");
        handlers.getHandlerMethods().forEach((mapping, handler) -> {
            if (fromTestCode(handler)) {
                assertThat(paths)
                        .as("%s exists only in tests", handler)
                        .doesNotContainAnyElementsOf(mapping.getPatternValues());
            }
        });
    }

    @Test
    void every_handler_declares_its_operation_id_and_operation_ids_are_unique() {
        handlers.getHandlerMethods().forEach((mapping, handler) -> {
            if (documented(handler)) {
                Operation operation = AnnotatedElementUtils.findMergedAnnotation(handler.getMethod(), Operation.class);
                assertThat(operation == null ? "" : operation.operationId())
                        .as("%s declares a stable operationId in @Operation", handler)
                        .matches("[a-z][A-Za-z]+");
            }
        });
        List<String> ids = new ArrayList<>();
        operations()
                .forEach(operation ->
                        ids.add(operation.node().path("operationId").asString("")));
        assertThat(ids).doesNotHaveDuplicates().allMatch(id -> id.matches("[a-z][A-Za-z]+"));
        assertThat(ids).contains("ingestPositions", "ingestOsmAndQuery", "ingestOsmAnd", "streamEvents", "signIn");
    }

    @Test
    void every_operation_has_a_summary_and_a_declared_described_tag() {
        Set<String> declared = new HashSet<>();
        document.path("tags").forEach(tag -> {
            assertThat(tag.path("description").asString("")).as("tag %s", tag).isNotBlank();
            declared.add(tag.path("name").asString());
        });
        operations().forEach(operation -> {
            assertThat(operation.node().path("summary").asString(""))
                    .as(operation.name())
                    .isNotBlank();
            assertThat(ApiClient.strings(operation.node().path("tags")))
                    .as(operation.name())
                    .isNotEmpty()
                    .allMatch(declared::contains);
        });
    }

    @Test
    void every_operation_documents_its_success_and_updates_say_if_match_is_required() {
        operations()
                .forEach(operation -> assertThat(
                                operation.node().path("responses").propertyNames())
                        .as("%s documents what it answers on success", operation.name())
                        // 101 Switching Protocols is a WebSocket handshake's success.
                        .anyMatch(status -> status.startsWith("2") || status.equals("101")));
        JsonNode paths = document.path("paths");
        assertThat(paths.at("/~1api~1v1~1auth~1token/post/responses/200/content/application~1json/schema/$ref")
                        .asString(""))
                .isEqualTo("#/components/schemas/AccessToken");
        for (JsonNode update : List.of(
                paths.path("/api/v1/assets/{id}").path("put"),
                paths.path("/api/v1/zones/{id}").path("put"),
                paths.path("/api/v1/subscriptions/{id}").path("patch"))) {
            assertThat(update.path("responses").propertyNames()).contains("200", "412", "428");
        }
    }

    @Test
    void every_schema_in_the_components_is_reachable_from_an_operation() {
        JsonNode schemas = document.path("components").path("schemas");
        Set<String> reached = new HashSet<>();
        List<String> pending = new ArrayList<>();
        collectSchemaRefs(document.path("paths"), pending);
        while (!pending.isEmpty()) {
            String name = pending.removeLast();
            if (reached.add(name)) {
                collectSchemaRefs(schemas.path(name), pending);
            }
        }
        assertThat(schemas.propertyNames()).allMatch(reached::contains, "is reachable from an operation");
    }

    @Test
    void every_error_response_is_an_application_problem_json_problem_document() {
        operations().forEach(operation -> {
            JsonNode responses = operation.node().path("responses");
            assertThat(responses.has("default")).as(operation.name()).isTrue();
            assertThat(responses.has("500")).as(operation.name()).isTrue();
            responses.properties().forEach(response -> {
                String status = response.getKey();
                if (status.startsWith("4") || status.startsWith("5") || status.equals("default")) {
                    JsonNode content = response.getValue().path("content");
                    assertThat(content.propertyNames())
                            .as("%s answers %s as a problem document", operation.name(), status)
                            .containsExactly("application/problem+json");
                    assertThat(content.path("application/problem+json")
                                    .path("schema")
                                    .path("$ref")
                                    .asString(""))
                            .isEqualTo(PROBLEM_REF);
                }
            });
            boolean secured = !operation.node().has("security")
                    || !operation.node().path("security").isEmpty();
            if (secured) {
                assertThat(responses.has("401")).as(operation.name()).isTrue();
                assertThat(responses.has("403")).as(operation.name()).isTrue();
            }
            if (operation.path().contains("{")) {
                assertThat(responses.has("404")).as(operation.name()).isTrue();
            }
            for (String status : List.of("429", "503")) {
                assertThat(responses.path(status).path("headers").has("Retry-After"))
                        .as("%s %s says when to retry", operation.name(), status)
                        .isTrue();
            }
        });
    }

    @Test
    void the_problem_schema_is_defined_with_the_rfc_9457_members_request_id_and_field_errors() {
        JsonNode schemas = document.path("components").path("schemas");
        JsonNode problem = schemas.path("Problem").path("properties");
        assertThat(problem.propertyNames())
                .contains("type", "title", "status", "detail", "instance", "requestId", "errors");
        String errorRef = problem.path("errors").path("items").path("$ref").asString("");
        assertThat(errorRef).isEqualTo("#/components/schemas/ProblemFieldError");
        assertThat(schemas.path("ProblemFieldError").path("properties").propertyNames())
                .containsExactlyInAnyOrder("field", "reason");
    }

    @Test
    void every_reference_resolves_to_a_defined_component() {
        List<String> dangling = new ArrayList<>();
        collectRefs(document, dangling);
        assertThat(dangling).isEmpty();
    }

    @Test
    void the_security_schemes_are_bearer_api_key_and_client_credentials_with_scopes() {
        JsonNode schemes = document.path("components").path("securitySchemes");
        assertThat(schemes.path("bearer").path("scheme").asString()).isEqualTo("bearer");
        assertThat(schemes.path("apiKey").path("scheme").asString()).isEqualTo("bearer");
        assertThat(schemes.path("apiKeyQuery").path("in").asString()).isEqualTo("query");
        JsonNode clientCredentials = schemes.path("oauth2").path("flows").path("clientCredentials");
        assertThat(clientCredentials.path("tokenUrl").asString("")).endsWith("/oauth2/token");
        assertThat(clientCredentials.path("scopes").isObject())
                .as("scopes is required, an empty map when there are none: %s", clientCredentials)
                .isTrue();
        assertThat(schemeNames(document.path("security"))).containsExactlyInAnyOrder("bearer", "apiKey", "oauth2");
        assertThat(document.path("servers").path(0).path("url").asString("")).isNotBlank();

        JsonNode signIn = document.path("paths").path("/api/v1/auth/token").path("post");
        assertThat(signIn.path("security").isArray() && signIn.path("security").isEmpty())
                .as("sign-in needs no credentials: %s", signIn.path("security"))
                .isTrue();
        assertThat(signIn.path("responses").has("401"))
                .as("a wrong password is a 401")
                .isTrue();
        for (String path : List.of("/ingest/owntracks", "/ingest/osmand")) {
            JsonNode tracker = document.path("paths").path(path).path("post").path("security");
            assertThat(schemeNames(tracker))
                    .as("%s takes API keys only", path)
                    .containsExactlyInAnyOrder("apiKey", "apiKeyBasic", "apiKeyQuery");
        }
    }

    @Test
    void ingest_bodies_the_event_stream_and_geojson_answers_carry_their_media_types() {
        JsonNode paths = document.path("paths");
        JsonNode ingest =
                paths.path("/api/v1/positions").path("post").path("requestBody").path("content");
        assertThat(ingest.propertyNames())
                .containsExactlyInAnyOrder("application/json", "application/x-ndjson", "application/geo+json");
        assertThat(ingest.path("application/json").path("schema").path("type").asString())
                .isEqualTo("array");
        assertThat(ingest.path("application/json")
                        .path("schema")
                        .path("items")
                        .path("$ref")
                        .asString(""))
                .isEqualTo("#/components/schemas/PositionInput");
        assertThat(ingest.path("application/geo+json")
                        .path("schema")
                        .path("$ref")
                        .asString(""))
                .isEqualTo(FEATURE_COLLECTION_REF);

        JsonNode stream = paths.path("/api/v1/events/stream")
                .path("get")
                .path("responses")
                .path("200")
                .path("content");
        assertThat(stream.propertyNames()).containsExactly("text/event-stream");

        for (String path : List.of(
                "/api/v1/positions/latest",
                "/api/v1/positions/history",
                "/api/v1/positions/snapshot",
                "/api/v1/assets/{assetId}/track")) {
            JsonNode ok =
                    paths.path(path).path("get").path("responses").path("200").path("content");
            assertThat(ok.path("application/geo+json")
                            .path("schema")
                            .path("$ref")
                            .asString(""))
                    .as("%s answers a FeatureCollection: %s", path, ok)
                    .isEqualTo(FEATURE_COLLECTION_REF);
        }
        JsonNode deleted = paths.path("/api/v1/assets/{id}").path("delete").path("responses");
        assertThat(deleted.has("204")).as("DELETE answers 204: %s", deleted).isTrue();
    }

    // --- a client generated from it compiles ---------------------------------------------------

    @Test
    void a_java_client_generated_by_openapi_generator_compiles() throws IOException {
        Path spec = OUTPUT.resolve("sextant.json").toAbsolutePath();
        Path sources = OUTPUT.resolve("client");
        Path classes = OUTPUT.resolve("client-classes");
        deleteRecursively(sources);
        deleteRecursively(classes);
        Files.createDirectories(classes);

        CodegenConfigurator configurator = new CodegenConfigurator()
                .setInputSpec(spec.toString())
                .setGeneratorName("java")
                .setLibrary("native")
                .setOutputDir(sources.toString())
                .setInvokerPackage("io.sextant.client")
                .setApiPackage("io.sextant.client.api")
                .setModelPackage("io.sextant.client.model")
                .addAdditionalProperty("useJakartaEe", true)
                .addGlobalProperty("apiTests", "false")
                .addGlobalProperty("modelTests", "false")
                .addGlobalProperty("apiDocs", "false")
                .addGlobalProperty("modelDocs", "false");
        List<File> generated =
                new DefaultGenerator().opts(configurator.toClientOptInput()).generate();
        List<File> javaFiles = generated.stream()
                .filter(file -> file.getName().endsWith(".java"))
                .toList();
        assertThat(javaFiles)
                .as("an API class per tag and a model per schema")
                .anyMatch(file -> file.getName().equals("PositionsApi.java"))
                .anyMatch(file -> file.getName().equals("Problem.java"));

        JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        boolean compiled;
        try (StandardJavaFileManager files = compiler.getStandardFileManager(diagnostics, Locale.ROOT, null)) {
            compiled = compiler.getTask(
                            null,
                            files,
                            diagnostics,
                            List.of(
                                    "-proc:none",
                                    "--release",
                                    "21",
                                    "-classpath",
                                    System.getProperty("java.class.path"),
                                    "-d",
                                    classes.toString()),
                            null,
                            files.getJavaFileObjectsFromFiles(javaFiles))
                    .call();
        }
        List<String> errors = diagnostics.getDiagnostics().stream()
                .filter(diagnostic -> diagnostic.getKind() == Diagnostic.Kind.ERROR)
                .map(Object::toString)
                .toList();
        assertThat(errors).isEmpty();
        assertThat(compiled).isTrue();
    }

    // --- helpers --------------------------------------------------------------------------------

    private record DocumentedOperation(String method, String path, JsonNode node) {
        String name() {
            return method.toUpperCase(Locale.ROOT) + " " + path;
        }
    }

    private List<DocumentedOperation> operations() {
        List<DocumentedOperation> operations = new ArrayList<>();
        document.path("paths")
                .properties()
                .forEach(path -> path.getValue().properties().forEach(method -> {
                    if (METHODS.contains(method.getKey())) {
                        operations.add(new DocumentedOperation(method.getKey(), path.getKey(), method.getValue()));
                    }
                }));
        assertThat(operations).isNotEmpty();
        return operations;
    }

    private void collectRefs(JsonNode node, List<String> dangling) {
        if (node.isObject()) {
            JsonNode ref = node.get("$ref");
            if (ref != null && ref.isString()) {
                String pointer = ref.asString();
                if (!pointer.startsWith("#/")
                        || document.at(pointer.substring(1)).isMissingNode()) {
                    dangling.add(pointer);
                }
            }
        }
        node.forEach(child -> collectRefs(child, dangling));
    }

    private static void collectSchemaRefs(JsonNode node, List<String> names) {
        String prefix = "#/components/schemas/";
        JsonNode ref = node.get("$ref");
        if (ref != null && ref.isString() && ref.asString().startsWith(prefix)) {
            names.add(ref.asString().substring(prefix.length()));
        }
        node.forEach(child -> collectSchemaRefs(child, names));
    }

    /** A product endpoint: one of Sextant's own controllers, not hidden, not test code. */
    private static boolean documented(HandlerMethod handler) {
        Class<?> type = handler.getBeanType();
        return type.getPackageName().startsWith("io.sextant")
                && !fromTestCode(handler)
                && !AnnotatedElementUtils.hasAnnotation(type, Hidden.class)
                && !AnnotatedElementUtils.hasAnnotation(handler.getMethod(), Hidden.class);
    }

    private static boolean fromTestCode(HandlerMethod handler) {
        var source = handler.getBeanType().getProtectionDomain().getCodeSource();
        return source != null && source.getLocation().getPath().contains("test-classes");
    }

    private static void deleteRecursively(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> {
                try {
                    Files.delete(path);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The names of the schemes of a security requirement list (any one of them suffices). */
    private static List<String> schemeNames(JsonNode security) {
        List<String> names = new ArrayList<>();
        security.forEach(requirement -> names.addAll(requirement.propertyNames()));
        return names;
    }
}
