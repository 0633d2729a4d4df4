package io.sextant.platform.http;

import static io.sextant.testing.ProblemAssertions.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import io.sextant.testing.ApiClient.Response;
import io.sextant.testing.SextantIT;
import java.net.URI;
import java.net.http.HttpRequest.BodyPublisher;
import java.net.http.HttpRequest.BodyPublishers;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/**
 * The conventions every endpoint shares, seen from outside: problem documents for every kind of
 * error, request ids, request size limits, Idempotency-Key, the OpenAPI document and the
 * operational endpoints.
 */
class ApiConventionsIT extends SextantIT {

    @Autowired
    DataSource dataSource;

    private static final String ASSETS = "/api/v1/assets";
    private static final int LIMIT = 1024 * 1024;

    // --- problem documents -------------------------------------------------------------------

    @Test
    void an_unknown_path_is_a_404_problem() {
        Response response = api.get("/api/v1/no-such-thing").bearer(adminToken).send();
        assertProblem(response, 404, "/api/v1/no-such-thing");
    }

    @Test
    void an_unknown_asset_is_a_404_problem_naming_it() {
        UUID id = UUID.randomUUID();
        Response response = api.get(ASSETS + "/" + id).bearer(adminToken).send();
        JsonNode problem = assertProblem(response, 404, ASSETS + "/" + id);
        assertThat(problem.get("type").asString()).isEqualTo("urn:sextant:problem:not-found");
        assertThat(problem.get("detail").asString()).contains(id.toString());
    }

    @Test
    void an_unsupported_method_is_a_405_problem_naming_the_allowed_ones() {
        Response response = api.method("PATCH", ASSETS)
                .bearer(adminToken)
                .json(Map.of("name", "x"))
                .send();
        assertProblem(response, 405, ASSETS);
        assertThat(response.header("Allow")).contains("GET").contains("POST");
    }

    @Test
    void an_unacceptable_media_type_is_a_406_problem() {
        Response response = api.get(ASSETS)
                .bearer(adminToken)
                .header("Accept", "application/xml")
                .send();
        assertProblem(response, 406, ASSETS);
    }

    @Test
    void a_body_of_an_unsupported_media_type_is_a_415_problem_and_nothing_is_stored() {
        TenantFixture tenant = newTenant();
        Response response = api.post(ASSETS)
                .bearer(tenant.adminToken())
                .body("text/plain", "{\"externalId\":\"plain-1\",\"name\":\"Plain\",\"type\":\"vehicle\"}")
                .send();
        assertProblem(response, 415, ASSETS);
        assertThat(externalIds(tenant.adminToken())).isEmpty();
    }

    @Test
    void a_body_under_the_limit_with_extra_members_is_accepted() {
        // The control for the 413 tests below: the same shape of body, only smaller, is stored.
        TenantFixture tenant = newTenant();
        Response response = api.post(ASSETS)
                .bearer(tenant.adminToken())
                .body("application/json", paddedAsset("small-1", 10_000))
                .send();
        assertThat(response.status()).as(response.toString()).isEqualTo(201);
        assertThat(externalIds(tenant.adminToken())).containsExactly("small-1");
    }

    @Test
    void a_body_over_the_limit_with_a_content_length_is_a_413_problem_and_nothing_is_stored() {
        TenantFixture tenant = newTenant();
        String body = paddedAsset("huge-1", LIMIT + 200_000);
        Response response = api.post(ASSETS)
                .bearer(tenant.adminToken())
                .body("application/json", body)
                .send();
        JsonNode problem = assertProblem(response, 413, ASSETS);
        assertThat(problem.get("type").asString()).isEqualTo("urn:sextant:problem:request-too-large");
        assertThat(externalIds(tenant.adminToken())).isEmpty();
    }

    @Test
    void a_chunked_body_over_the_limit_is_a_413_problem_and_nothing_is_stored() {
        TenantFixture tenant = newTenant();
        Response response = api.post(ASSETS)
                .bearer(tenant.adminToken())
                .body("application/json", chunked(paddedAsset("huge-2", LIMIT + 200_000)))
                .send();
        JsonNode problem = assertProblem(response, 413, ASSETS);
        assertThat(problem.get("type").asString()).isEqualTo("urn:sextant:problem:request-too-large");
        assertThat(externalIds(tenant.adminToken())).isEmpty();
    }

    @Test
    void a_chunked_body_over_the_limit_with_an_idempotency_key_is_a_413_problem_and_nothing_is_stored() {
        TenantFixture tenant = newTenant();
        String body = paddedAsset("huge-3", LIMIT + 200_000);
        Response response = api.post(ASSETS)
                .bearer(tenant.adminToken())
                .header("Idempotency-Key", "huge-upload-1")
                .body("application/json", chunked(body))
                .send();
        assertProblem(response, 413, ASSETS);
        assertThat(externalIds(tenant.adminToken())).isEmpty();

        // The key was not used up by the refused request: a proper request with it runs.
        Response retry = api.post(ASSETS)
                .bearer(tenant.adminToken())
                .header("Idempotency-Key", "huge-upload-1")
                .body("application/json", paddedAsset("huge-3", 100))
                .send();
        assertThat(retry.status()).as(retry.toString()).isEqualTo(201);
        assertThat(retry.header("Idempotent-Replayed")).isNull();
    }

    @Test
    void an_invalid_body_is_a_400_problem_naming_each_field_and_why() {
        TenantFixture tenant = newTenant();
        Response response = api.post(ASSETS)
                .bearer(tenant.adminToken())
                .json(Map.of("externalId", "ok-1", "name", "", "type", "Not A Type"))
                .send();
        JsonNode problem = assertProblem(response, 400, ASSETS);
        assertThat(problem.get("type").asString()).isEqualTo("urn:sextant:problem:validation");
        Map<String, String> reasons = new HashMap<>();
        problem.get("errors")
                .forEach(e ->
                        reasons.put(e.get("field").asString(), e.get("reason").asString()));
        assertThat(reasons).containsOnlyKeys("name", "type");
        assertThat(reasons.values()).allSatisfy(reason -> assertThat(reason).isNotBlank());
        assertThat(externalIds(tenant.adminToken())).isEmpty();
    }

    @Test
    void a_body_that_is_not_json_is_a_400_problem() {
        Response response = api.post(ASSETS)
                .bearer(adminToken)
                .body("application/json", "{\"externalId\": ")
                .send();
        assertProblem(response, 400, ASSETS);
    }

    @Test
    void an_unexpected_error_is_a_500_problem_that_reveals_nothing_of_the_exception() {
        Response response = api.get("/api/v1/test/boom").bearer(adminToken).send();
        JsonNode problem = assertProblem(response, 500, "/api/v1/test/boom");
        assertThat(problem.get("type").asString()).isEqualTo("urn:sextant:problem:internal");
        assertThat(response.body())
                .doesNotContain("secret internals")
                .doesNotContain("IllegalStateException")
                .doesNotContain("Exception")
                .doesNotContain("at io.")
                .doesNotContain("FailingController");
    }

    @Test
    void a_request_without_credentials_is_a_401_problem_with_a_bearer_challenge() {
        Response response = api.get(ASSETS).send();
        assertProblem(response, 401, ASSETS);
        assertThat(response.header("WWW-Authenticate")).startsWith("Bearer");
    }

    // --- request ids -----------------------------------------------------------------------

    @Test
    void a_sane_request_id_is_echoed_on_success_and_quoted_in_problems() {
        Response ok = api.get(ASSETS)
                .bearer(adminToken)
                .header("X-Request-Id", "client-req.42:a_b-c")
                .send();
        assertThat(ok.status()).isEqualTo(200);
        assertThat(ok.header("X-Request-Id")).isEqualTo("client-req.42:a_b-c");

        Response problem = api.get(ASSETS + "/" + UUID.randomUUID())
                .bearer(adminToken)
                .header("X-Request-Id", "client-req-43")
                .send();
        assertThat(problem.header("X-Request-Id")).isEqualTo("client-req-43");
        assertThat(problem.json().get("requestId").asString()).isEqualTo("client-req-43");
    }

    @Test
    void an_insane_request_id_is_replaced_by_a_fresh_one() {
        String tooLong = "r".repeat(300);
        Response response = api.get(ASSETS + "/" + UUID.randomUUID())
                .bearer(adminToken)
                .header("X-Request-Id", tooLong)
                .send();
        String replaced = response.header("X-Request-Id");
        assertThat(replaced).isNotBlank().isNotEqualTo(tooLong).hasSizeLessThanOrEqualTo(128);
        assertThat(response.json().get("requestId").asString()).isEqualTo(replaced);

        Response odd = api.get(ASSETS)
                .bearer(adminToken)
                .header("X-Request-Id", "<script>alert(1)</script>")
                .send();
        assertThat(odd.header("X-Request-Id")).isNotBlank().doesNotContain("<");
    }

    @Test
    void every_response_carries_a_request_id_and_each_request_gets_its_own() {
        List<String> ids = new ArrayList<>();
        for (Response response : List.of(
                api.get(ASSETS).bearer(adminToken).send(),
                api.get(ASSETS).send(),
                api.get("/actuator/health").send(),
                api.get("/v3/api-docs").send(),
                api.get("/api/v1/test/boom").bearer(adminToken).send())) {
            assertThat(response.header("X-Request-Id")).as(response.toString()).isNotBlank();
            ids.add(response.header("X-Request-Id"));
        }
        assertThat(ids).doesNotHaveDuplicates();
    }

    // --- Idempotency-Key ---------------------------------------------------------------------

    @Test
    void a_retry_with_the_same_idempotency_key_replays_the_first_response_and_stores_one_asset() {
        TenantFixture tenant = newTenant();
        Map<String, Object> asset = Map.of("externalId", "idem-1", "name", "Idem", "type", "vehicle");

        Response first = api.post(ASSETS)
                .bearer(tenant.adminToken())
                .header("Idempotency-Key", "create-idem-1")
                .json(asset)
                .send();
        Response retry = api.post(ASSETS)
                .bearer(tenant.adminToken())
                .header("Idempotency-Key", "create-idem-1")
                .json(asset)
                .send();

        assertThat(first.status()).as(first.toString()).isEqualTo(201);
        assertThat(first.header("Idempotent-Replayed")).isNull();
        assertThat(retry.status()).as(retry.toString()).isEqualTo(201);
        assertThat(retry.header("Idempotent-Replayed")).isEqualTo("true");
        assertThat(retry.body()).isEqualTo(first.body());
        assertThat(retry.header("Location")).isEqualTo(first.header("Location"));
        assertThat(retry.header("ETag")).isEqualTo(first.header("ETag"));
        assertThat(retry.header("Content-Type")).startsWith("application/json");
        assertThat(externalIds(tenant.adminToken())).containsExactly("idem-1");
    }

    @Test
    void the_same_idempotency_key_with_a_different_body_is_a_422_problem() {
        TenantFixture tenant = newTenant();
        Response first = api.post(ASSETS)
                .bearer(tenant.adminToken())
                .header("Idempotency-Key", "reused-key")
                .json(Map.of("externalId", "first", "name", "First", "type", "vehicle"))
                .send();
        assertThat(first.status()).isEqualTo(201);

        Response reused = api.post(ASSETS)
                .bearer(tenant.adminToken())
                .header("Idempotency-Key", "reused-key")
                .json(Map.of("externalId", "second", "name", "Second", "type", "vehicle"))
                .send();
        JsonNode problem = assertProblem(reused, 422, ASSETS);
        assertThat(problem.get("type").asString()).isEqualTo("urn:sextant:problem:idempotency-key-reused");
        assertThat(externalIds(tenant.adminToken())).containsExactly("first");
    }

    @Test
    void different_principals_use_the_same_idempotency_key_independently() {
        TenantFixture tenant = newTenant();
        String operator = "operator@" + tenant.slug();
        Response user = api.post("/api/v1/tenants/" + tenant.id() + "/users")
                .bearer(tenant.adminToken())
                .json(Map.of("username", operator, "password", "operator-password", "roles", List.of("operator")))
                .send();
        assertThat(user.status()).as(user.toString()).isEqualTo(201);
        String operatorToken = api.signIn(operator, "operator-password");
        TenantFixture otherTenant = newTenant();

        Response byAdmin = api.post(ASSETS)
                .bearer(tenant.adminToken())
                .header("Idempotency-Key", "shared-key")
                .json(Map.of("externalId", "by-admin", "name", "By admin", "type", "vehicle"))
                .send();
        Response byOperator = api.post(ASSETS)
                .bearer(operatorToken)
                .header("Idempotency-Key", "shared-key")
                .json(Map.of("externalId", "by-operator", "name", "By operator", "type", "vehicle"))
                .send();
        Response byOtherTenant = api.post(ASSETS)
                .bearer(otherTenant.adminToken())
                .header("Idempotency-Key", "shared-key")
                .json(Map.of("externalId", "by-admin", "name", "By admin", "type", "vehicle"))
                .send();

        for (Response response : List.of(byAdmin, byOperator, byOtherTenant)) {
            assertThat(response.status()).as(response.toString()).isEqualTo(201);
            assertThat(response.header("Idempotent-Replayed")).isNull();
        }
        assertThat(byOtherTenant.json().get("id").asString())
                .isNotEqualTo(byAdmin.json().get("id").asString());
        assertThat(externalIds(tenant.adminToken())).containsExactlyInAnyOrder("by-admin", "by-operator");
        assertThat(externalIds(otherTenant.adminToken())).containsExactly("by-admin");
    }

    @Test
    void an_answer_holding_a_secret_is_remembered_sealed_and_a_retry_gets_it_whole() throws Exception {
        TenantFixture tenant = newTenant();
        Map<String, Object> request = Map.of("name", "sealed-key", "permissions", List.of("positions:write"));

        Response first = api.post("/api/v1/api-keys")
                .bearer(tenant.adminToken())
                .header("Idempotency-Key", "secret-bearing")
                .json(request)
                .send();
        assertThat(first.status()).as(first.toString()).isEqualTo(201);
        String token = first.json().get("token").asString();
        assertThat(first.header("Cache-Control")).isEqualTo("no-store");

        try (Connection connection = dataSource.getConnection();
                PreparedStatement query = connection.prepareStatement(
                        "select response_body, response_sealed"
                                + " from idempotency_record where tenant_id = ?::uuid and idempotency_key = 'secret-bearing'")) {
            query.setString(1, tenant.id());
            try (ResultSet row = query.executeQuery()) {
                assertThat(row.next()).isTrue();
                String stored = new String(row.getBytes(1), StandardCharsets.US_ASCII);
                assertThat(stored).doesNotContain(token).startsWith("sxs1:");
                assertThat(row.getBoolean(2)).isTrue();
            }
        }

        Response retry = api.post("/api/v1/api-keys")
                .bearer(tenant.adminToken())
                .header("Idempotency-Key", "secret-bearing")
                .json(request)
                .send();
        assertThat(retry.status()).as(retry.toString()).isEqualTo(201);
        assertThat(retry.header("Idempotent-Replayed")).isEqualTo("true");
        assertThat(retry.header("Cache-Control")).isEqualTo("no-store");
        assertThat(retry.body()).isEqualTo(first.body());
        assertThat(api.get("/api/v1/assets").bearer(token).send().status())
                .as("the replayed key works")
                .isEqualTo(403);
    }

    @Test
    void an_invalid_idempotency_key_is_a_400_problem_and_nothing_is_stored() {
        TenantFixture tenant = newTenant();
        Response response = api.post(ASSETS)
                .bearer(tenant.adminToken())
                .header("Idempotency-Key", "k".repeat(300))
                .json(Map.of("externalId", "keyed", "name", "Keyed", "type", "vehicle"))
                .send();
        JsonNode problem = assertProblem(response, 400, ASSETS);
        assertThat(problem.get("errors").get(0).get("field").asString()).isEqualTo("Idempotency-Key");
        assertThat(externalIds(tenant.adminToken())).isEmpty();
    }

    // --- OpenAPI -----------------------------------------------------------------------------

    @Test
    void the_openapi_document_is_3_1_with_both_security_schemes_and_problem_responses() {
        Response response = api.get("/v3/api-docs").send();
        assertThat(response.status()).isEqualTo(200);
        JsonNode document = response.json();
        assertThat(document.get("openapi").asString()).startsWith("3.1");
        JsonNode schemes = document.path("components").path("securitySchemes");
        assertThat(schemes.path("bearer").path("scheme").asString()).isEqualTo("bearer");
        assertThat(schemes.path("oauth2").path("type").asString()).isEqualTo("oauth2");
        assertThat(schemes.path("oauth2")
                        .path("flows")
                        .path("clientCredentials")
                        .path("tokenUrl")
                        .asString())
                .isNotBlank();

        JsonNode create = document.path("paths").path(ASSETS).path("post");
        assertThat(create.isMissingNode()).as("POST %s is documented", ASSETS).isFalse();
        for (String status : List.of("400", "401", "403", "413", "429", "500")) {
            JsonNode problem =
                    create.path("responses").path(status).path("content").path("application/problem+json");
            assertThat(problem.isMissingNode())
                    .as("POST %s documents %s as application/problem+json: %s", ASSETS, status, create)
                    .isFalse();
            assertThat(problem.path("schema").path("$ref").asString()).isEqualTo("#/components/schemas/Problem");
        }
        assertThat(create.path("responses").path("201").path("content").has("application/json"))
                .as("POST %s documents the 201 it answers, as JSON: %s", ASSETS, create.path("responses"))
                .isTrue();
        JsonNode get = document.path("paths").path(ASSETS + "/{id}").path("get");
        assertThat(get.path("responses").path("404").path("content").has("application/problem+json"))
                .as("GET %s/{id} documents its 404: %s", ASSETS, get)
                .isTrue();
    }

    @Test
    void swagger_ui_is_served() {
        Response entry = api.get("/swagger-ui.html").send();
        assertThat(entry.status()).as(entry.toString()).isIn(200, 302);
        Response page = entry;
        if (entry.status() == 302) {
            URI location = URI.create(api.baseUrl() + "/").resolve(entry.header("Location"));
            assertThat(location.getPath()).contains("swagger-ui");
            page = api.get(location.getRawPath()).send();
        }
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.header("Content-Type")).startsWith("text/html");
        assertThat(page.body()).containsIgnoringCase("swagger-ui");
    }

    // --- operations --------------------------------------------------------------------------

    @Test
    void health_liveness_and_readiness_are_up_and_readiness_checks_the_database() {
        Response health = api.get("/actuator/health").send();
        assertThat(health.status()).isEqualTo(200);
        assertThat(health.json().get("status").asString()).isEqualTo("UP");

        Response liveness = api.get("/actuator/health/liveness").send();
        assertThat(liveness.status()).isEqualTo(200);
        assertThat(liveness.json().get("status").asString()).isEqualTo("UP");

        Response readiness = api.get("/actuator/health/readiness").send();
        assertThat(readiness.status()).isEqualTo(200);
        JsonNode ready = readiness.json();
        assertThat(ready.get("status").asString()).isEqualTo("UP");
        assertThat(ready.path("components").path("db").path("status").asString())
                .as("readiness includes the database: %s", ready)
                .isEqualTo("UP");
        assertThat(ready.path("components")
                        .path("readinessState")
                        .path("status")
                        .asString())
                .isEqualTo("UP");
    }

    @Test
    void prometheus_exposes_http_server_request_metrics() {
        api.get(ASSETS).bearer(adminToken).send();
        api.get(ASSETS + "/" + UUID.randomUUID()).bearer(adminToken).send();
        Response metrics = api.get("/actuator/prometheus").send();
        assertThat(metrics.status()).isEqualTo(200);
        assertThat(metrics.header("Content-Type")).startsWith("text/plain");
        assertThat(metrics.body())
                .contains("http_server_requests_seconds_count")
                .contains("uri=\"/api/v1/assets\"");
    }

    // --- helpers -----------------------------------------------------------------------------

    /** A valid asset whose JSON is about {@code size} bytes, the bulk in a member the API ignores. */
    private static String paddedAsset(String externalId, int size) {
        return "{\"externalId\":\"" + externalId + "\",\"name\":\"Padded\",\"type\":\"vehicle\",\"padding\":\""
                + "x".repeat(size) + "\"}";
    }

    /** A body publisher of unknown length, so the client sends the body chunked. */
    private static BodyPublisher chunked(String body) {
        BodyPublisher publisher = BodyPublishers.fromPublisher(BodyPublishers.ofString(body));
        assertThat(publisher.contentLength()).isNegative();
        return publisher;
    }

    private List<String> externalIds(String token) {
        Response list = api.get(ASSETS + "?limit=500").bearer(token).send();
        assertThat(list.status()).as(list.toString()).isEqualTo(200);
        List<String> ids = new ArrayList<>();
        list.json().get("items").forEach(item -> ids.add(item.get("externalId").asString()));
        return ids;
    }
}
