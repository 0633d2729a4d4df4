package io.sextant.identity;

import static org.assertj.core.api.Assertions.assertThat;

import io.sextant.testing.ApiClient.Response;
import io.sextant.testing.SextantIT;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * What an authenticated caller may do: exactly its permissions, and it can hand out no permission
 * it lacks. Tenant administrators administer their tenant; only platform administrators the
 * platform.
 */
class AuthorizationIT extends SextantIT {

    @Test
    void an_api_key_with_only_assets_read_cannot_create_an_asset() {
        TenantFixture tenant = newTenant();
        String key = createApiKey(tenant.adminToken(), List.of("assets:read"));
        assertThat(api.get("/api/v1/assets").bearer(key).send().status()).isEqualTo(200);

        Response denied = api.post("/api/v1/assets")
                .bearer(key)
                .json(Map.of("externalId", "truck-1", "name", "Truck 1", "type", "vehicle"))
                .send();

        assertForbidden(denied);
        assertThat(api.get("/api/v1/assets")
                        .bearer(tenant.adminToken())
                        .send()
                        .json()
                        .get("items")
                        .size())
                .isZero();
    }

    @Test
    void a_viewer_cannot_create_api_keys() {
        TenantFixture tenant = newTenant();
        String viewer = createUser(tenant, "viewer");

        Response denied = api.post("/api/v1/api-keys")
                .bearer(viewer)
                .json(Map.of("name", "sneaky", "permissions", List.of("assets:read")))
                .send();

        assertForbidden(denied);
    }

    @Test
    void an_operator_service_account_cannot_create_api_keys() {
        TenantFixture tenant = newTenant();
        String operator = serviceAccountToken(tenant, "operator");

        Response denied = api.post("/api/v1/api-keys")
                .bearer(operator)
                .json(Map.of("name", "sneaky", "permissions", List.of("assets:read")))
                .send();

        assertForbidden(denied);
    }

    @Test
    void a_tenant_admin_cannot_create_an_api_key_with_a_permission_it_lacks() {
        TenantFixture tenant = newTenant();

        Response denied = api.post("/api/v1/api-keys")
                .bearer(tenant.adminToken())
                .json(Map.of("name", "escalation", "permissions", List.of("assets:read", "tenants:manage")))
                .send();

        assertForbidden(denied);
        assertThat(denied.json().get("detail").asString()).contains("tenants:manage");
        assertThat(api.get("/api/v1/api-keys")
                        .bearer(tenant.adminToken())
                        .send()
                        .json()
                        .get("items")
                        .size())
                .isZero();
    }

    @Test
    void a_tenant_admin_cannot_create_a_service_account_or_user_with_a_role_beyond_its_own() {
        TenantFixture tenant = newTenant();

        Response account = api.post("/api/v1/service-accounts")
                .bearer(tenant.adminToken())
                .json(Map.of("name", "escalation", "roles", List.of("platform-admin")))
                .send();
        Response user = api.post("/api/v1/tenants/" + tenant.id() + "/users")
                .bearer(tenant.adminToken())
                .json(Map.of(
                        "username",
                        "escalation@" + tenant.slug(),
                        "password",
                        "a-long-enough-password",
                        "roles",
                        List.of("platform-admin")))
                .send();

        assertForbidden(account);
        assertThat(account.json().get("detail").asString()).contains("tenants:manage");
        assertForbidden(user);
    }

    @Test
    void a_tenant_admin_cannot_create_tenants() {
        TenantFixture tenant = newTenant();

        Response denied = api.post("/api/v1/tenants")
                .bearer(tenant.adminToken())
                .json(Map.of("slug", slug(), "name", "Not allowed"))
                .send();

        assertForbidden(denied);
    }

    @Test
    void the_platform_admin_creates_tenants() {
        String slug = slug();

        Response created = api.post("/api/v1/tenants")
                .bearer(adminToken)
                .json(Map.of("slug", slug, "name", "Allowed"))
                .send();

        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        assertThat(created.json().get("slug").asString()).isEqualTo(slug);
        assertThat(created.header("Location"))
                .isEqualTo("/api/v1/tenants/" + created.json().get("id").asString());
    }

    private static void assertForbidden(Response response) {
        assertThat(response.status()).as(response.toString()).isEqualTo(403);
        assertThat(response.isProblem()).isTrue();
        assertThat(response.json().get("type").asString()).isEqualTo("urn:sextant:problem:forbidden");
        assertThat(response.json().get("detail").asString()).isNotBlank();
    }

    private static String slug() {
        return "t-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private String createApiKey(String token, List<String> permissions) {
        Response created = api.post("/api/v1/api-keys")
                .bearer(token)
                .json(Map.of("name", "probe", "permissions", permissions))
                .send();
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        return created.json().get("token").asString();
    }

    private String createUser(TenantFixture tenant, String role) {
        String username = role + "@" + tenant.slug();
        String password = "password-of-" + username;
        Response created = api.post("/api/v1/tenants/" + tenant.id() + "/users")
                .bearer(tenant.adminToken())
                .json(Map.of("username", username, "password", password, "roles", List.of(role)))
                .send();
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        return api.signIn(username, password);
    }

    private String serviceAccountToken(TenantFixture tenant, String role) {
        Response created = api.post("/api/v1/service-accounts")
                .bearer(tenant.adminToken())
                .json(Map.of("name", role, "roles", List.of(role)))
                .send();
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        String credentials = created.json().get("account").get("clientId").asString() + ":"
                + created.json().get("clientSecret").asString();
        Response issued = api.post("/oauth2/token")
                .header(
                        "Authorization",
                        "Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8)))
                .body("application/x-www-form-urlencoded", "grant_type=client_credentials")
                .send();
        assertThat(issued.status()).as(issued.toString()).isEqualTo(200);
        return issued.json().get("access_token").asString();
    }
}
