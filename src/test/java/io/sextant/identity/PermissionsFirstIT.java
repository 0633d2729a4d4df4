package io.sextant.identity;

import static org.assertj.core.api.Assertions.assertThat;

import io.sextant.testing.ApiClient.Response;
import io.sextant.testing.SextantIT;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

/**
 * Permissions are checked before a request body is read: a caller without the permission gets 403
 * whatever it sends, and learns nothing from a parser. Checked for every write operation the
 * service maps, found by asking Spring MVC itself, so a new endpoint is covered by being added.
 */
class PermissionsFirstIT extends SextantIT {

    /**
     * Write operations a viewer may call (searches sent as POST, and a workflow simulation, which
     * stores nothing): a malformed body is theirs to refuse.
     */
    private static final Set<String> VIEWER_MAY_CALL = Set.of(
            "POST /api/v1/positions/latest/search",
            "POST /api/v1/positions/history/search",
            "POST /api/v1/workflows/definitions/simulate");

    private static final List<String> JACKSON_INTERNALS =
            List.of("java.", "Cannot deserialize", "`", "JsonToken", "START_OBJECT", "tools.jackson");

    @Autowired
    @Qualifier("requestMappingHandlerMapping")
    RequestMappingHandlerMapping mappings;

    @Test
    void a_viewer_sending_a_malformed_body_to_any_write_operation_it_may_not_call_gets_403() {
        String viewer = viewerToken();
        List<String> checked = new ArrayList<>();
        List<String> viewerCalls = new ArrayList<>();

        mappings.getHandlerMethods().forEach((info, method) -> {
            for (RequestMethod verb : info.getMethodsCondition().getMethods()) {
                if (!Set.of(RequestMethod.POST, RequestMethod.PUT, RequestMethod.PATCH, RequestMethod.DELETE)
                        .contains(verb)) {
                    continue;
                }
                for (String pattern : info.getPatternValues()) {
                    if (!pattern.startsWith("/api/v1/") || pattern.equals("/api/v1/auth/token")) {
                        continue;
                    }
                    String operation = verb + " " + pattern;
                    Response response = api.method(
                                    verb.name(),
                                    pattern.replaceAll(
                                            "\\{[^}]+}", UUID.randomUUID().toString()))
                            .bearer(viewer)
                            .body(contentType(info), "{\"malformed\": ")
                            .send();
                    if (VIEWER_MAY_CALL.contains(operation)) {
                        viewerCalls.add(operation);
                        assertThat(response.status())
                                .as(operation + ": " + response)
                                .isEqualTo(400);
                        assertNoParserInternals(operation, response);
                    } else {
                        checked.add(operation);
                        assertThat(response.status())
                                .as(operation + ": " + response)
                                .isEqualTo(403);
                        assertThat(response.json().get("type").asString())
                                .as(operation)
                                .isEqualTo("urn:sextant:problem:forbidden");
                    }
                }
            }
        });

        assertThat(viewerCalls).containsExactlyInAnyOrderElementsOf(VIEWER_MAY_CALL);
        assertThat(checked)
                .hasSizeGreaterThan(20)
                .contains(
                        "PUT /api/v1/tenants/{tenantId}/settings",
                        "POST /api/v1/tenants/{tenantId}/users",
                        "PATCH /api/v1/subscriptions/{id}",
                        "PUT /api/v1/asset-rules");
    }

    @Test
    void the_tenant_settings_endpoint_names_the_bad_fields_without_parser_internals() {
        String tenantId = api.get("/api/v1/me")
                .bearer(adminToken)
                .send()
                .json()
                .get("tenantId")
                .asString();

        for (Map<String, Object> body : List.<Map<String, Object>>of(
                Map.of("positionRetention", "soon", "autoRegisterAssets", true),
                Map.of("positionRetention", Map.of("days", 3), "autoRegisterAssets", true),
                Map.of("positionRetention", "P30D", "autoRegisterAssets", "maybe"),
                Map.of("positionRetention", List.of(), "autoRegisterAssets", false))) {
            Response response = api.put("/api/v1/tenants/" + tenantId + "/settings")
                    .bearer(adminToken)
                    .json(body)
                    .send();

            assertThat(response.status()).as(body + ": " + response).isEqualTo(400);
            assertThat(response.json().get("type").asString()).isEqualTo("urn:sextant:problem:validation");
            assertNoParserInternals(String.valueOf(body), response);
        }
    }

    private static String contentType(RequestMappingInfo info) {
        Set<MediaType> consumes = info.getConsumesCondition().getConsumableMediaTypes();
        return consumes.isEmpty()
                ? "application/json"
                : consumes.iterator().next().toString();
    }

    private static void assertNoParserInternals(String what, Response response) {
        assertThat(response.isProblem()).as(what).isTrue();
        for (String internal : JACKSON_INTERNALS) {
            assertThat(response.json().get("detail").asString()).as(what).doesNotContain(internal);
            if (response.json().has("errors")) {
                response.json()
                        .get("errors")
                        .forEach(error -> assertThat(error.get("reason").asString())
                                .as(what)
                                .doesNotContain(internal));
            }
        }
    }

    private String viewerToken() {
        String tenantId = api.get("/api/v1/me")
                .bearer(adminToken)
                .send()
                .json()
                .get("tenantId")
                .asString();
        String username = "viewer-" + UUID.randomUUID().toString().substring(0, 8);
        Response created = api.post("/api/v1/tenants/" + tenantId + "/users")
                .bearer(adminToken)
                .json(Map.of("username", username, "password", "password-of-" + username, "roles", List.of("viewer")))
                .send();
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        return api.signIn(username, "password-of-" + username);
    }
}
