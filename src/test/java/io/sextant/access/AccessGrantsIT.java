package io.sextant.access;

import static io.sextant.testing.TestGeometries.square;
import static org.assertj.core.api.Assertions.assertThat;

import io.sextant.testing.ApiClient;
import io.sextant.testing.ApiClient.Response;
import io.sextant.testing.SextantIT;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Roles and grants through the API: what a grant gives takes effect on the next request and ends
 * with its revocation, validity or schedule; a writer never hands out more than it holds; and an
 * explanation names the grant that allows, or why each does not.
 */
class AccessGrantsIT extends SextantIT {

    private String user(TenantFixture tenant, String name, List<String> roles) {
        Response created = api.post("/api/v1/tenants/" + tenant.id() + "/users")
                .bearer(tenant.adminToken())
                .json(Map.of("username", name, "password", "password-of-" + name, "roles", roles))
                .send();
        assertThat(created.status()).as("%s", created).isEqualTo(201);
        return created.json().get("id").asString();
    }

    private String token(String name) {
        return api.signIn(name, "password-of-" + name);
    }

    private Response grant(String token, Map<String, Object> body) {
        return api.post("/api/v1/grants").bearer(token).json(body).send();
    }

    private String zone(TenantFixture tenant, String name, Map<String, Object> geometry) {
        Response response = api.post("/api/v1/zones")
                .bearer(tenant.adminToken())
                .json(Map.of("name", name, "tags", List.of("region"), "geometry", geometry))
                .send();
        assertThat(response.status()).as("%s", response).isEqualTo(201);
        return response.json().get("id").asString();
    }

    @Test
    void roles_list_the_built_in_ones_and_a_tenant_defines_its_own_without_escalating() {
        TenantFixture tenant = newTenant();
        Response created = api.post("/api/v1/roles")
                .bearer(tenant.adminToken())
                .json(Map.of(
                        "name", "dispatcher",
                        "description", "sees and moves the fleet",
                        "permissions", List.of("positions:read", "assets:read", "assets:read")))
                .send();
        assertThat(created.status()).as("%s", created).isEqualTo(201);
        assertThat(created.header("ETag")).isEqualTo("\"1\"");
        assertThat(ApiClient.strings(created.json().get("permissions")))
                .containsExactly("assets:read", "positions:read");

        List<String> names = new ArrayList<>();
        api.get("/api/v1/roles")
                .bearer(tenant.adminToken())
                .send()
                .json()
                .get("items")
                .forEach(r ->
                        names.add(r.get("name").asString() + (r.get("builtIn").asBoolean() ? "*" : "")));
        assertThat(names).containsExactly("admin*", "dispatcher", "operator*", "platform-admin*", "viewer*");

        assertThat(api.post("/api/v1/roles")
                        .bearer(tenant.adminToken())
                        .json(Map.of("name", "dispatcher", "permissions", List.of("assets:read")))
                        .send()
                        .status())
                .isEqualTo(409);
        Response unknown = api.post("/api/v1/roles")
                .bearer(tenant.adminToken())
                .json(Map.of("name", "x", "permissions", List.of("assets:fly")))
                .send();
        assertThat(unknown.status()).isEqualTo(400);
        assertThat(unknown.body()).contains("assets:fly");
        // The tenant admin does not hold tenants:manage, so no role of its may.
        Response escalating = api.post("/api/v1/roles")
                .bearer(tenant.adminToken())
                .json(Map.of("name", "root", "permissions", List.of("tenants:manage")))
                .send();
        assertThat(escalating.status()).isEqualTo(403);
        assertThat(escalating.body()).contains("tenants:manage");
        assertThat(api.put("/api/v1/roles/viewer")
                        .bearer(tenant.adminToken())
                        .header("If-Match", "\"0\"")
                        .json(Map.of("permissions", List.of("assets:read")))
                        .send()
                        .status())
                .isEqualTo(403);
        assertThat(api.put("/api/v1/roles/dispatcher")
                        .bearer(tenant.adminToken())
                        .header("If-Match", "\"7\"")
                        .json(Map.of("permissions", List.of("assets:read")))
                        .send()
                        .status())
                .isEqualTo(412);

        // A role that grants name cannot go.
        String userId = user(tenant, "d-" + tenant.slug(), List.of());
        assertThat(grant(tenant.adminToken(), Map.of("subject", "user:" + userId, "role", "dispatcher"))
                        .status())
                .isEqualTo(201);
        assertThat(api.delete("/api/v1/roles/dispatcher")
                        .bearer(tenant.adminToken())
                        .send()
                        .status())
                .isEqualTo(409);
    }

    @Test
    void a_grant_gives_its_role_from_the_next_request_and_revoking_it_takes_it_away() {
        TenantFixture tenant = newTenant();
        String name = "g-" + tenant.slug();
        String userId = user(tenant, name, List.of());
        String token = token(name);
        assertThat(api.get("/api/v1/assets").bearer(token).send().status()).isEqualTo(403);

        Response granted = grant(tenant.adminToken(), Map.of("subject", "user:" + userId, "role", "viewer"));
        assertThat(granted.status()).as("%s", granted).isEqualTo(201);
        String grantId = granted.json().get("id").asString();
        assertThat(api.get("/api/v1/assets").bearer(token).send().status()).isEqualTo(200);
        assertThat(api.get("/api/v1/grants/" + grantId)
                        .bearer(tenant.adminToken())
                        .send()
                        .json()
                        .get("createdBy")
                        .asString())
                .startsWith("user:");

        assertThat(api.delete("/api/v1/grants/" + grantId)
                        .bearer(tenant.adminToken())
                        .send()
                        .status())
                .isEqualTo(204);
        assertThat(api.get("/api/v1/assets").bearer(token).send().status()).isEqualTo(403);
        assertThat(api.get("/api/v1/grants/" + grantId)
                        .bearer(tenant.adminToken())
                        .send()
                        .status())
                .isEqualTo(404);
    }

    @Test
    void a_grant_counts_only_within_its_validity_and_its_schedule() {
        TenantFixture tenant = newTenant();
        String name = "v-" + tenant.slug();
        String userId = user(tenant, name, List.of());
        String token = token(name);
        Instant now = Instant.now();

        assertThat(grant(
                                tenant.adminToken(),
                                Map.of(
                                        "subject",
                                        "user:" + userId,
                                        "role",
                                        "viewer",
                                        "validFrom",
                                        now.plus(1, ChronoUnit.DAYS).toString()))
                        .status())
                .isEqualTo(201);
        assertThat(grant(
                                tenant.adminToken(),
                                Map.of(
                                        "subject",
                                        "user:" + userId,
                                        "role",
                                        "viewer",
                                        "validUntil",
                                        now.minus(1, ChronoUnit.DAYS).toString()))
                        .status())
                .isEqualTo(201);
        // A shift on a day that is not today, in UTC.
        String otherDay = java.time.LocalDate.now(java.time.ZoneOffset.UTC)
                .plusDays(3)
                .getDayOfWeek()
                .name()
                .substring(0, 3);
        assertThat(grant(
                                tenant.adminToken(),
                                Map.of(
                                        "subject",
                                        "user:" + userId,
                                        "role",
                                        "viewer",
                                        "scope",
                                        Map.of(
                                                "schedule",
                                                Map.of(
                                                        "timeZone",
                                                        "UTC",
                                                        "windows",
                                                        List.of(Map.of(
                                                                "days",
                                                                List.of(otherDay),
                                                                "from",
                                                                "00:00",
                                                                "to",
                                                                "23:59"))))))
                        .status())
                .isEqualTo(201);
        assertThat(api.get("/api/v1/assets").bearer(token).send().status()).isEqualTo(403);

        String today = java.time.LocalDate.now(java.time.ZoneOffset.UTC)
                .getDayOfWeek()
                .name()
                .substring(0, 3);
        String tomorrow = java.time.LocalDate.now(java.time.ZoneOffset.UTC)
                .plusDays(1)
                .getDayOfWeek()
                .name()
                .substring(0, 3);
        Response always = grant(
                tenant.adminToken(),
                Map.of(
                        "subject",
                        "user:" + userId,
                        "role",
                        "viewer",
                        "scope",
                        Map.of(
                                "schedule",
                                Map.of(
                                        "timeZone",
                                        "UTC",
                                        "windows",
                                        List.of(Map.of(
                                                "days", List.of(today, tomorrow), "from", "00:00", "to", "24:00"))))));
        assertThat(always.status()).as("%s", always).isEqualTo(201);
        assertThat(api.get("/api/v1/assets").bearer(token).send().status()).isEqualTo(200);
    }

    @Test
    void a_writer_limited_to_a_region_grants_within_it_and_is_refused_beyond() {
        TenantFixture tenant = newTenant();
        String north = zone(tenant, "north", square(10, 50, 1));
        String south = zone(tenant, "south", square(10, 40, 1));
        String leadName = "lead-" + tenant.slug();
        String leadId = user(tenant, leadName, List.of());
        Map<String, Object> northOnly = Map.of("region", Map.of("zones", List.of(north)), "clearance", "internal");
        assertThat(grant(tenant.adminToken(), Map.of("subject", "user:" + leadId, "role", "admin", "scope", northOnly))
                        .status())
                .isEqualTo(201);
        String lead = token(leadName);
        String workerId = user(tenant, "w-" + tenant.slug(), List.of());

        Response unscoped = grant(lead, Map.of("subject", "user:" + workerId, "role", "viewer"));
        assertThat(unscoped.status()).isEqualTo(403);
        assertThat(unscoped.body()).contains("region");
        Response elsewhere = grant(
                lead,
                Map.of(
                        "subject",
                        "user:" + workerId,
                        "role",
                        "viewer",
                        "scope",
                        Map.of("region", Map.of("zones", List.of(south)), "clearance", "internal")));
        assertThat(elsewhere.status()).isEqualTo(403);
        Response clearer = grant(
                lead,
                Map.of(
                        "subject",
                        "user:" + workerId,
                        "role",
                        "viewer",
                        "scope",
                        Map.of("region", Map.of("zones", List.of(north)), "clearance", "restricted")));
        assertThat(clearer.status()).isEqualTo(403);
        assertThat(clearer.body()).contains("clearance");
        Map<String, Object> narrower = new LinkedHashMap<>(northOnly);
        narrower.put("assetTags", List.of("fleet-a"));
        narrower.put("dataWindow", "PT24H");
        Response within = grant(lead, Map.of("subject", "user:" + workerId, "role", "viewer", "scope", narrower));
        assertThat(within.status()).as("%s", within).isEqualTo(201);
        // Nor may it put into a role what it holds only in its region.
        assertThat(api.post("/api/v1/roles")
                        .bearer(lead)
                        .json(Map.of("name", "watcher", "permissions", List.of("positions:read")))
                        .send()
                        .status())
                .isEqualTo(403);
    }

    @Test
    void bad_grants_are_refused_with_each_fault_named_and_change_nothing() {
        TenantFixture tenant = newTenant();
        Response bad = grant(
                tenant.adminToken(),
                Map.of(
                        "subject",
                        "user:" + UUID.randomUUID(),
                        "role",
                        "viewer",
                        "scope",
                        Map.of(
                                "dataWindow", "a day",
                                "clearance", "secret",
                                "colour", "red",
                                "region", Map.of("polygon", Map.of("type", "Polygon", "coordinates", List.of())))));
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.body()).contains("scope.dataWindow", "scope.clearance", "scope.colour", "scope.region.polygon");
        assertThat(grant(tenant.adminToken(), Map.of("subject", "root", "role", "viewer"))
                        .status())
                .isEqualTo(400);
        assertThat(grant(tenant.adminToken(), Map.of("subject", "user:x", "role", "platform-admin"))
                        .status())
                .isEqualTo(400);
        assertThat(grant(tenant.adminToken(), Map.of("subject", "user:x", "role", "nobody"))
                        .status())
                .isEqualTo(400);
        assertThat(grant(
                                tenant.adminToken(),
                                Map.of(
                                        "subject", "user:x",
                                        "role", "viewer",
                                        "scope",
                                                Map.of(
                                                        "region",
                                                        Map.of(
                                                                "zones",
                                                                List.of(UUID.randomUUID()
                                                                        .toString())))))
                        .status())
                .isEqualTo(400);
        assertThat(api.get("/api/v1/grants")
                        .bearer(tenant.adminToken())
                        .send()
                        .json()
                        .get("items"))
                .isEmpty();
    }

    @Test
    void another_tenant_sees_none_of_the_grants() {
        TenantFixture a = newTenant();
        TenantFixture b = newTenant();
        String grantId = grant(a.adminToken(), Map.of("subject", "group:dispatch", "role", "viewer"))
                .json()
                .get("id")
                .asString();
        assertThat(api.get("/api/v1/grants/" + grantId)
                        .bearer(b.adminToken())
                        .send()
                        .status())
                .isEqualTo(404);
        assertThat(api.delete("/api/v1/grants/" + grantId)
                        .bearer(b.adminToken())
                        .send()
                        .status())
                .isEqualTo(404);
        assertThat(api.get("/api/v1/grants")
                        .bearer(b.adminToken())
                        .send()
                        .json()
                        .get("items"))
                .isEmpty();
        assertThat(api.get("/api/v1/grants/" + grantId)
                        .bearer(a.adminToken())
                        .send()
                        .status())
                .isEqualTo(200);
    }

    @Test
    void an_explanation_names_the_grant_that_allows_or_why_each_does_not() {
        TenantFixture tenant = newTenant();
        String north = zone(tenant, "north", square(10, 50, 1));
        String name = "e-" + tenant.slug();
        String userId = user(tenant, name, List.of());
        String grantId = grant(
                        tenant.adminToken(),
                        Map.of(
                                "subject",
                                "user:" + userId,
                                "role",
                                "viewer",
                                "scope",
                                Map.of("region", Map.of("zones", List.of(north)), "assetTags", List.of("fleet-a"))))
                .json()
                .get("id")
                .asString();
        String inFleet = createAsset(tenant.adminToken(), "a-1", "truck", List.of("fleet-a"))
                .get("id")
                .asString();
        String outside = createAsset(tenant.adminToken(), "b-1", "truck", List.of("fleet-b"))
                .get("id")
                .asString();

        JsonNode allowed = explain(
                tenant,
                Map.of(
                        "subject",
                        "user:" + userId,
                        "action",
                        "positions:read",
                        "assetId",
                        inFleet,
                        "point",
                        List.of(10.5, 50.5),
                        "time",
                        Instant.now().toString()));
        assertThat(allowed.get("decision").asString()).isEqualTo("allow");
        assertThat(allowed.get("allowedBy").get("grant").asString()).isEqualTo(grantId);

        JsonNode denied = explain(
                tenant,
                Map.of(
                        "subject",
                        "user:" + userId,
                        "action",
                        "positions:read",
                        "assetId",
                        outside,
                        "point",
                        List.of(12.5, 50.5)));
        assertThat(denied.get("decision").asString()).isEqualTo("deny");
        assertThat(denied.has("allowedBy")).isFalse();
        String reasons = denied.get("grants").get(0).get("reasons").toString();
        assertThat(reasons).contains("fleet-a", "outside the region");

        JsonNode noAction = explain(
                tenant, Map.of("subject", "user:" + userId, "action", "positions:write", "point", List.of(10.5, 50.5)));
        assertThat(noAction.get("decision").asString()).isEqualTo("deny");
        assertThat(noAction.get("grants").get(0).get("reasons").toString()).contains("does not hold positions:write");

        assertThat(api.post("/api/v1/access/explain")
                        .bearer(tenant.adminToken())
                        .json(Map.of("subject", "user:" + UUID.randomUUID(), "action", "positions:read"))
                        .send()
                        .status())
                .isEqualTo(404);
        assertThat(api.post("/api/v1/access/explain")
                        .bearer(tenant.adminToken())
                        .json(Map.of("subject", "user:" + userId, "action", "positions:read", "point", List.of(200, 0)))
                        .send()
                        .status())
                .isEqualTo(400);
    }

    private JsonNode explain(TenantFixture tenant, Map<String, Object> question) {
        Response response = api.post("/api/v1/access/explain")
                .bearer(tenant.adminToken())
                .json(question)
                .send();
        assertThat(response.status()).as("%s", response).isEqualTo(200);
        return response.json();
    }
}
