package io.sextant.access;

import static io.sextant.testing.TestGeometries.square;
import static org.assertj.core.api.Assertions.assertThat;

import io.sextant.events.EventLog;
import io.sextant.events.NewEvent;
import io.sextant.shared.TenantContext;
import io.sextant.testing.ApiClient.Response;
import io.sextant.testing.SextantIT;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;

/**
 * Every operation of the OpenAPI document that names an asset, a zone or an event in its path,
 * called by a subject whose grants do not reach that object: it answers exactly as it does for an
 * object that does not exist (never 2xx), so a scoped caller cannot tell a hidden object from a
 * missing one — while the tenant's administrator reads the same objects.
 */
class ScopeProbeIT extends SextantIT {

    @Autowired
    EventLog eventLog;

    @Autowired
    TransactionTemplate transactions;

    private record Hidden(String prefix, String id) {}

    @Test
    void every_operation_on_a_hidden_asset_zone_or_event_answers_as_for_a_missing_one() {
        TenantFixture tenant = newTenant();
        String north = api.post("/api/v1/zones")
                .bearer(tenant.adminToken())
                .json(Map.of("name", "north", "tags", List.of("public"), "geometry", square(10, 50, 1)))
                .send()
                .json()
                .get("id")
                .asString();
        String secretZone = api.post("/api/v1/zones")
                .bearer(tenant.adminToken())
                .json(Map.of("name", "secret", "tags", List.of("secret"), "geometry", square(10, 50, 1)))
                .send()
                .json()
                .get("id")
                .asString();
        createAsset(tenant.adminToken(), "seen", "truck", List.of("fleet-a"));
        String hiddenAsset = createAsset(tenant.adminToken(), "unseen", "truck", List.of("fleet-b"))
                .get("id")
                .asString();
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        api.post("/api/v1/positions")
                .bearer(tenant.adminToken())
                .json(List.of(
                        Map.of(
                                "externalId",
                                "seen",
                                "time",
                                now.minusSeconds(60).toString(),
                                "lon",
                                10.5,
                                "lat",
                                50.5),
                        Map.of(
                                "externalId",
                                "unseen",
                                "time",
                                now.minusSeconds(60).toString(),
                                "lon",
                                10.6,
                                "lat",
                                50.6)))
                .send();
        UUID tenantId = UUID.fromString(tenant.id());
        UUID hiddenEvent = TenantContext.callAs(
                tenantId,
                () -> transactions.execute(status -> eventLog.append(new NewEvent(
                        tenantId,
                        "sextant.zone.entered",
                        "/test",
                        hiddenAsset,
                        now.minusSeconds(60),
                        UUID.fromString(hiddenAsset),
                        UUID.fromString(secretZone),
                        List.of("fleet-b"),
                        List.of("secret"),
                        Map.of(
                                "assetId",
                                hiddenAsset,
                                "position",
                                Map.of("time", now.minusSeconds(60).toString(), "lon", 10.6, "lat", 50.6))))));

        String name = "probe-" + tenant.slug();
        String userId = api.post("/api/v1/tenants/" + tenant.id() + "/users")
                .bearer(tenant.adminToken())
                .json(Map.of("username", name, "password", "password-of-" + name, "roles", List.of()))
                .send()
                .json()
                .get("id")
                .asString();
        // Every permission of an admin, narrowed to the north zone, fleet-a and public zones.
        Response grant = api.post("/api/v1/grants")
                .bearer(tenant.adminToken())
                .json(Map.of(
                        "subject",
                        "user:" + userId,
                        "role",
                        "admin",
                        "scope",
                        Map.of(
                                "region", Map.of("zones", List.of(north)),
                                "assetTags", List.of("fleet-a"),
                                "zoneTags", List.of("public"))))
                .send();
        assertThat(grant.status()).as("%s", grant).isEqualTo(201);
        String probe = api.signIn(name, "password-of-" + name);

        List<Hidden> hidden = List.of(
                new Hidden("/api/v1/assets/", hiddenAsset),
                new Hidden("/api/v1/zones/", secretZone),
                new Hidden("/api/v1/events/", hiddenEvent.toString()));
        JsonNode document =
                api.get("/v3/api-docs").bearer(tenant.adminToken()).send().json();
        List<String> probed = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> paths =
                        document.get("paths").properties().iterator();
                paths.hasNext(); ) {
            Map.Entry<String, JsonNode> path = paths.next();
            Hidden target = hidden.stream()
                    .filter(h -> path.getKey().startsWith(h.prefix())
                            && path.getKey().indexOf('{') == h.prefix().length())
                    .findFirst()
                    .orElse(null);
            if (target == null || path.getKey().indexOf('{', target.prefix().length() + 1) >= 0) {
                continue;
            }
            for (Iterator<Map.Entry<String, JsonNode>> operations =
                            path.getValue().properties().iterator();
                    operations.hasNext(); ) {
                Map.Entry<String, JsonNode> operation = operations.next();
                String method = operation.getKey().toUpperCase(java.util.Locale.ROOT);
                if (!List.of("GET", "PUT", "POST", "PATCH", "DELETE").contains(method)) {
                    continue;
                }
                String query = requiredQuery(operation.getValue(), now);
                String template = path.getKey().replaceFirst("\\{[^}]+}", "%s") + query;
                Response onHidden = call(method, template.formatted(target.id()), probe);
                Response onMissing = call(method, template.formatted(UUID.randomUUID()), probe);
                String what = method + " " + path.getKey();
                probed.add(what);
                assertThat(onHidden.status()).as("%s: %s", what, onHidden).isBetween(400, 499);
                assertThat(onHidden.status())
                        .as("%s: hidden %s, missing %s", what, onHidden, onMissing)
                        .isEqualTo(onMissing.status());
                if (method.equals("GET")) {
                    assertThat(onHidden.status()).as(what).isEqualTo(404);
                    Response asAdmin = call(method, template.formatted(target.id()), tenant.adminToken());
                    assertThat(asAdmin.status())
                            .as("%s as the admin: %s", what, asAdmin)
                            .isEqualTo(200);
                }
            }
        }
        assertThat(probed)
                .as("the operations probed")
                .contains(
                        "GET /api/v1/assets/{id}",
                        "PUT /api/v1/assets/{id}",
                        "DELETE /api/v1/assets/{id}",
                        "GET /api/v1/assets/{assetId}/track",
                        "GET /api/v1/zones/{id}",
                        "GET /api/v1/zones/{id}/versions",
                        "DELETE /api/v1/zones/{id}",
                        "GET /api/v1/events/{id}");
    }

    /** The operation's required query parameters, with values it accepts. */
    private static String requiredQuery(JsonNode operation, Instant now) {
        StringBuilder query = new StringBuilder();
        JsonNode parameters = operation.path("parameters");
        for (JsonNode parameter : parameters) {
            if (!parameter.path("in").asString("").equals("query")
                    || !parameter.path("required").asBoolean(false)) {
                continue;
            }
            String name = parameter.get("name").asString();
            String value = switch (name) {
                case "from" -> now.minus(1, ChronoUnit.HOURS).toString();
                case "to" -> now.plus(1, ChronoUnit.MINUTES).toString();
                case "at", "asOf" -> now.toString();
                default -> "1";
            };
            query.append(query.isEmpty() ? "?" : "&").append(name).append('=').append(value);
        }
        return query.toString();
    }

    private Response call(String method, String path, String token) {
        var call = api.method(method, path).bearer(token).header("If-Match", "\"1\"");
        return method.equals("GET") || method.equals("DELETE")
                ? call.send()
                : call.json(Map.of("externalId", "x", "name", "x", "type", "truck"))
                        .send();
    }
}
