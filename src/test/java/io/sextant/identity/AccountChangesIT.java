package io.sextant.identity;

import static org.assertj.core.api.Assertions.assertThat;

import io.sextant.testing.ApiClient;
import io.sextant.testing.ApiClient.Response;
import io.sextant.testing.SextantIT;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * A change to an account applies to the tokens it already holds on their very next request, like
 * the revocation of an API key: revoked service accounts and disabled or deleted users are refused,
 * and new roles are what the old token may do.
 */
class AccountChangesIT extends SextantIT {

    @Test
    void a_revoked_service_accounts_token_is_refused_on_the_next_request_and_it_gets_no_new_token() {
        TenantFixture tenant = newTenant();
        Response created = api.post("/api/v1/service-accounts")
                .bearer(tenant.adminToken())
                .json(Map.of("name", "ingest", "roles", List.of("operator")))
                .send();
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        String id = created.json().get("account").get("id").asString();
        String clientId = created.json().get("account").get("clientId").asString();
        String secret = created.json().get("clientSecret").asString();
        Response issued = api.clientCredentials(clientId, secret);
        assertThat(issued.status()).as(issued.toString()).isEqualTo(200);
        String token = issued.json().get("access_token").asString();
        assertThat(api.get("/api/v1/me").bearer(token).send().status()).isEqualTo(200);

        Response revoked = api.delete("/api/v1/service-accounts/" + id)
                .bearer(tenant.adminToken())
                .send();
        assertThat(revoked.status()).isEqualTo(204);

        assertRefused(api.get("/api/v1/me").bearer(token).send(), "revoked");
        assertRefused(api.get("/api/v1/assets").bearer(token).send(), "revoked");
        Response refused = api.clientCredentials(clientId, secret);
        assertThat(refused.status()).as(refused.toString()).isEqualTo(401);
        assertThat(refused.json().get("error").asString()).isEqualTo("invalid_client");
    }

    @Test
    void a_disabled_users_token_is_refused_on_the_next_request_and_works_again_once_enabled() {
        TenantFixture tenant = newTenant();
        User user = createUser(tenant, "operator");
        assertThat(api.get("/api/v1/assets").bearer(user.token()).send().status())
                .isEqualTo(200);

        Response disabled = patchUser(tenant, user, Map.of("disabled", true));
        assertThat(disabled.status()).as(disabled.toString()).isEqualTo(200);
        assertThat(disabled.json().get("disabledAt").isNull()).isFalse();

        assertRefused(api.get("/api/v1/assets").bearer(user.token()).send(), "disabled or deleted");
        Response signIn = api.post("/api/v1/auth/token")
                .json(Map.of("username", user.username(), "password", user.password()))
                .send();
        assertThat(signIn.status()).as(signIn.toString()).isEqualTo(401);

        Response enabled = patchUser(tenant, user, Map.of("disabled", false));
        assertThat(enabled.status()).as(enabled.toString()).isEqualTo(200);
        assertThat(enabled.json().has("disabledAt")).isFalse();
        assertThat(api.get("/api/v1/assets").bearer(user.token()).send().status())
                .isEqualTo(200);
    }

    @Test
    void a_deleted_users_token_is_refused_on_the_next_request() {
        TenantFixture tenant = newTenant();
        User user = createUser(tenant, "viewer");
        assertThat(api.get("/api/v1/me").bearer(user.token()).send().status()).isEqualTo(200);

        Response deleted = api.delete("/api/v1/tenants/" + tenant.id() + "/users/" + user.id())
                .bearer(tenant.adminToken())
                .send();
        assertThat(deleted.status()).as(deleted.toString()).isEqualTo(204);

        assertRefused(api.get("/api/v1/me").bearer(user.token()).send(), "disabled or deleted");
        Response gone = api.get("/api/v1/tenants/" + tenant.id() + "/users/" + user.id())
                .bearer(tenant.adminToken())
                .send();
        assertThat(gone.status()).isEqualTo(404);
    }

    @Test
    void a_role_change_applies_to_the_users_existing_token_on_the_next_request() {
        TenantFixture tenant = newTenant();
        User user = createUser(tenant, "viewer");
        Map<String, Object> asset = Map.of("externalId", "van-1", "name", "Van 1", "type", "vehicle");
        assertThat(api.post("/api/v1/assets")
                        .bearer(user.token())
                        .json(asset)
                        .send()
                        .status())
                .isEqualTo(403);

        Response promoted = patchUser(tenant, user, Map.of("roles", List.of("operator")));
        assertThat(promoted.status()).as(promoted.toString()).isEqualTo(200);
        assertThat(ApiClient.strings(promoted.json().get("roles"))).containsExactly("operator");

        assertThat(api.post("/api/v1/assets")
                        .bearer(user.token())
                        .json(asset)
                        .send()
                        .status())
                .isEqualTo(201);
        assertThat(permissions(user.token())).contains("assets:write");

        assertThat(patchUser(tenant, user, Map.of("roles", List.of("viewer"))).status())
                .isEqualTo(200);
        assertThat(permissions(user.token())).doesNotContain("assets:write");
        assertThat(api.delete("/api/v1/assets/" + firstAssetId(tenant))
                        .bearer(user.token())
                        .send()
                        .status())
                .isEqualTo(403);
    }

    @Test
    void a_tenant_admin_cannot_disable_itself_or_grant_or_touch_what_it_does_not_hold() {
        TenantFixture tenant = newTenant();
        String self = api.get("/api/v1/me")
                .bearer(tenant.adminToken())
                .send()
                .json()
                .get("subject")
                .asString()
                .substring("user:".length());

        Response disableSelf = api.method("PATCH", "/api/v1/tenants/" + tenant.id() + "/users/" + self)
                .bearer(tenant.adminToken())
                .json(Map.of("disabled", true))
                .send();
        assertThat(disableSelf.status()).as(disableSelf.toString()).isEqualTo(409);

        User user = createUser(tenant, "viewer");
        Response escalate = patchUser(tenant, user, Map.of("roles", List.of("platform-admin")));
        assertThat(escalate.status()).as(escalate.toString()).isEqualTo(403);

        String platformAdmin = api.get("/api/v1/me")
                .bearer(adminToken)
                .send()
                .json()
                .get("subject")
                .asString()
                .substring("user:".length());
        String bootstrapTenant = api.get("/api/v1/me")
                .bearer(adminToken)
                .send()
                .json()
                .get("tenantId")
                .asString();
        Response otherTenant = api.method("PATCH", "/api/v1/tenants/" + bootstrapTenant + "/users/" + platformAdmin)
                .bearer(tenant.adminToken())
                .json(Map.of("disabled", true))
                .send();
        assertThat(otherTenant.status()).as(otherTenant.toString()).isEqualTo(404);
        assertThat(api.get("/api/v1/me").bearer(adminToken).send().status()).isEqualTo(200);
    }

    private record User(String id, String username, String password, String token) {}

    private User createUser(TenantFixture tenant, String role) {
        String username = role + "-" + java.util.UUID.randomUUID().toString().substring(0, 8);
        String password = "password-of-" + username;
        Response created = api.post("/api/v1/tenants/" + tenant.id() + "/users")
                .bearer(tenant.adminToken())
                .json(Map.of("username", username, "password", password, "roles", List.of(role)))
                .send();
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        return new User(created.json().get("id").asString(), username, password, api.signIn(username, password));
    }

    private Response patchUser(TenantFixture tenant, User user, Map<String, Object> changes) {
        return api.method("PATCH", "/api/v1/tenants/" + tenant.id() + "/users/" + user.id())
                .bearer(tenant.adminToken())
                .json(changes)
                .send();
    }

    private List<String> permissions(String token) {
        Response me = api.get("/api/v1/me").bearer(token).send();
        assertThat(me.status()).as(me.toString()).isEqualTo(200);
        return ApiClient.strings(me.json().get("permissions"));
    }

    private String firstAssetId(TenantFixture tenant) {
        JsonNode items = api.get("/api/v1/assets")
                .bearer(tenant.adminToken())
                .send()
                .json()
                .get("items");
        return items.get(0).get("id").asString();
    }

    private static void assertRefused(Response response, String detail) {
        assertThat(response.status()).as(response.toString()).isEqualTo(401);
        assertThat(response.isProblem()).isTrue();
        assertThat(response.json().get("type").asString()).isEqualTo("urn:sextant:problem:unauthorized");
        assertThat(response.json().get("detail").asString()).contains(detail);
        assertThat(response.header("WWW-Authenticate")).startsWith("Bearer").contains("invalid_token");
    }
}
