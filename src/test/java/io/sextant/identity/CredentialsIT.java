package io.sextant.identity;

import static org.assertj.core.api.Assertions.assertThat;

import io.sextant.testing.ApiClient;
import io.sextant.testing.ApiClient.Response;
import io.sextant.testing.ForgedTokens;
import io.sextant.testing.SextantIT;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** The three ways to authenticate with Sextant's own credentials: password, client credentials, API key. */
class CredentialsIT extends SextantIT {

    @Test
    void a_password_sign_in_gives_a_token_that_authenticates_the_user_in_its_tenant() {
        TenantFixture tenant = newTenant();

        Response signIn = api.post("/api/v1/auth/token")
                .json(Map.of("username", tenant.adminUsername(), "password", "password-of-" + tenant.slug()))
                .send();
        assertThat(signIn.status()).as(signIn.toString()).isEqualTo(200);
        assertThat(signIn.header("Cache-Control")).contains("no-store");
        assertThat(signIn.json().get("token_type").asString()).isEqualTo("Bearer");
        assertThat(signIn.json().get("expires_in").asLong()).isEqualTo(3600);
        String token = signIn.json().get("access_token").asString();
        assertThat(ForgedTokens.claimsOf(token).getIssuer()).isEqualTo(ISSUER);

        Response me = api.get("/api/v1/me").bearer(token).send();
        assertThat(me.status()).as(me.toString()).isEqualTo(200);
        assertThat(me.json().get("kind").asString()).isEqualTo("user");
        assertThat(me.json().get("name").asString()).isEqualTo(tenant.adminUsername());
        assertThat(me.json().get("subject").asString()).startsWith("user:");
        assertThat(me.json().get("tenantId").asString()).isEqualTo(tenant.id());
        assertThat(ApiClient.strings(me.json().get("permissions")))
                .containsExactly(
                        "access:manage",
                        "api-keys:manage",
                        "assets:read",
                        "assets:write",
                        "audit:read",
                        "events:read",
                        "jobs:read",
                        "positions:export",
                        "positions:read",
                        "positions:write",
                        "service-accounts:manage",
                        "subscriptions:manage",
                        "tenant-settings:manage",
                        "users:manage",
                        "workflows:command",
                        "workflows:define",
                        "workflows:read",
                        "zones:read",
                        "zones:write");
    }

    @Test
    void a_wrong_password_is_401_problem_and_gives_no_token() {
        Response response = api.post("/api/v1/auth/token")
                .json(Map.of("username", ADMIN, "password", ADMIN_PASSWORD + "-wrong"))
                .send();

        assertThat(response.status()).isEqualTo(401);
        assertThat(response.isProblem()).isTrue();
        assertThat(response.json().get("type").asString()).isEqualTo("urn:sextant:problem:unauthorized");
        assertThat(response.json().get("detail").asString()).contains("wrong password");
        assertThat(response.json().has("access_token")).isFalse();
    }

    @Test
    void an_unknown_username_is_refused_exactly_like_a_wrong_password() {
        Response unknown = api.post("/api/v1/auth/token")
                .json(Map.of("username", "nobody-by-this-name", "password", ADMIN_PASSWORD))
                .send();
        Response wrong = api.post("/api/v1/auth/token")
                .json(Map.of("username", ADMIN, "password", ADMIN_PASSWORD + "-wrong"))
                .send();

        assertThat(unknown.status()).isEqualTo(401);
        assertThat(unknown.json().get("detail")).isEqualTo(wrong.json().get("detail"));
    }

    @Test
    void a_username_taken_in_another_tenant_can_be_created_and_says_nothing_about_that_tenant() {
        TenantFixture a = newTenant();
        TenantFixture b = newTenant();
        String username = "dispatcher-" + UUID.randomUUID().toString().substring(0, 8);

        Response inA = createUser(a, username, "password-in-tenant-a", "viewer");
        Response inB = createUser(b, username, "password-in-tenant-b", "operator");
        Response againInB = createUser(b, username, "another-password-b", "viewer");

        assertThat(inA.status()).as(inA.toString()).isEqualTo(201);
        assertThat(inB.status()).as(inB.toString()).isEqualTo(201);
        assertThat(againInB.status()).as(againInB.toString()).isEqualTo(409);
        assertThat(againInB.json().get("detail").asString()).contains("in this tenant");
    }

    @Test
    void without_a_tenant_the_password_decides_between_accounts_that_share_a_username() {
        TenantFixture a = newTenant();
        TenantFixture b = newTenant();
        String username = "dispatcher-" + UUID.randomUUID().toString().substring(0, 8);
        createUser(a, username, "password-in-tenant-a", "viewer");
        createUser(b, username, "password-in-tenant-b", "operator");

        assertThat(tenantOf(signIn(username, "password-in-tenant-a", null))).isEqualTo(a.id());
        assertThat(tenantOf(signIn(username, "password-in-tenant-b", null))).isEqualTo(b.id());
        assertThat(tenantOf(signIn(username, "password-in-tenant-b", b.slug()))).isEqualTo(b.id());
        Response wrongTenant = signIn(username, "password-in-tenant-b", a.slug());
        assertThat(wrongTenant.status()).isEqualTo(401);
        assertThat(signIn(username, "password-in-tenant-a", "no-such-tenant").status())
                .isEqualTo(401);
    }

    @Test
    void accounts_sharing_a_username_and_a_password_must_name_their_tenant() {
        TenantFixture a = newTenant();
        TenantFixture b = newTenant();
        String username = "twin-" + UUID.randomUUID().toString().substring(0, 8);
        createUser(a, username, "the-same-password", "viewer");
        createUser(b, username, "the-same-password", "viewer");

        Response ambiguous = signIn(username, "the-same-password", null);
        Response unknown = signIn("nobody-" + UUID.randomUUID(), "the-same-password", null);

        assertThat(ambiguous.status()).isEqualTo(401);
        assertThat(ambiguous.json().get("detail")).isEqualTo(unknown.json().get("detail"));
        assertThat(ambiguous.json().get("detail").asString()).contains("'tenant'");
        assertThat(tenantOf(signIn(username, "the-same-password", a.slug()))).isEqualTo(a.id());
        assertThat(tenantOf(signIn(username, "the-same-password", b.slug()))).isEqualTo(b.id());
    }

    @Test
    void the_bootstrap_administrator_signs_in_without_naming_a_tenant() {
        Response signIn = signIn(ADMIN, ADMIN_PASSWORD, null);

        assertThat(signIn.status()).as(signIn.toString()).isEqualTo(200);
    }

    @Test
    void a_service_account_gets_a_client_credentials_token_that_carries_its_tenant_and_roles() {
        TenantFixture tenant = newTenant();
        Response created = api.post("/api/v1/service-accounts")
                .bearer(tenant.adminToken())
                .json(Map.of("name", "ingest", "roles", List.of("operator")))
                .send();
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        String clientId = created.json().get("account").get("clientId").asString();
        String secret = created.json().get("clientSecret").asString();

        Response issued = api.clientCredentials(clientId, secret);
        assertThat(issued.status()).as(issued.toString()).isEqualTo(200);
        assertThat(issued.json().get("token_type").asString()).isEqualTo("Bearer");
        String token = issued.json().get("access_token").asString();

        Response me = api.get("/api/v1/me").bearer(token).send();
        assertThat(me.status()).as(me.toString()).isEqualTo(200);
        assertThat(me.json().get("kind").asString()).isEqualTo("service_account");
        assertThat(me.json().get("subject").asString()).isEqualTo("service:" + clientId);
        assertThat(me.json().get("name").asString()).isEqualTo("ingest");
        assertThat(me.json().get("tenantId").asString()).isEqualTo(tenant.id());
        assertThat(ApiClient.strings(me.json().get("permissions")))
                .containsExactly(
                        "assets:read",
                        "assets:write",
                        "events:read",
                        "positions:export",
                        "positions:read",
                        "positions:write",
                        "workflows:command",
                        "workflows:read",
                        "zones:read",
                        "zones:write");
        createAsset(token, "sensor-1", "sensor", List.of());
    }

    @Test
    void a_wrong_client_secret_gets_no_token() {
        TenantFixture tenant = newTenant();
        Response created = api.post("/api/v1/service-accounts")
                .bearer(tenant.adminToken())
                .json(Map.of("name", "ingest", "roles", List.of("viewer")))
                .send();
        String clientId = created.json().get("account").get("clientId").asString();

        Response refused = api.clientCredentials(clientId, "not-the-secret");

        assertThat(refused.status()).isEqualTo(401);
        assertThat(refused.json().get("error").asString()).isEqualTo("invalid_client");
        assertThat(refused.json().has("access_token")).isFalse();
    }

    @Test
    void a_client_credentials_request_for_an_unknown_scope_is_400_invalid_scope() {
        TenantFixture tenant = newTenant();
        Response created = api.post("/api/v1/service-accounts")
                .bearer(tenant.adminToken())
                .json(Map.of("name", "ingest", "roles", List.of("viewer")))
                .send();
        String basic = Base64.getEncoder()
                .encodeToString((created.json().get("account").get("clientId").asString() + ":"
                                + created.json().get("clientSecret").asString())
                        .getBytes(StandardCharsets.UTF_8));

        Response refused = api.post("/oauth2/token")
                .header("Authorization", "Basic " + basic)
                .body("application/x-www-form-urlencoded", "grant_type=client_credentials&scope=everything")
                .send();

        assertThat(refused.status()).as(refused.toString()).isEqualTo(400);
        assertThat(refused.json().get("error").asString()).isEqualTo("invalid_scope");
    }

    @Test
    void an_api_key_authenticates_as_itself_until_it_is_revoked() {
        TenantFixture tenant = newTenant();
        Response created = api.post("/api/v1/api-keys")
                .bearer(tenant.adminToken())
                .json(Map.of("name", "gateway", "permissions", List.of("assets:read")))
                .send();
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        assertThat(created.header("Cache-Control")).contains("no-store");
        String token = created.json().get("token").asString();
        String id = created.json().get("key").get("id").asString();
        assertThat(token)
                .startsWith("sxk_" + created.json().get("key").get("keyId").asString() + "_");

        Response me = api.get("/api/v1/me").bearer(token).send();
        assertThat(me.status()).as(me.toString()).isEqualTo(200);
        assertThat(me.json().get("kind").asString()).isEqualTo("api_key");
        assertThat(me.json().get("name").asString()).isEqualTo("gateway");
        assertThat(me.json().get("tenantId").asString()).isEqualTo(tenant.id());
        assertThat(ApiClient.strings(me.json().get("permissions"))).containsExactly("assets:read");
        assertThat(api.get("/api/v1/assets").bearer(token).send().status()).isEqualTo(200);

        assertThat(api.delete("/api/v1/api-keys/" + id)
                        .bearer(tenant.adminToken())
                        .send()
                        .status())
                .isEqualTo(204);

        Response refused = api.get("/api/v1/assets").bearer(token).send();
        assertThat(refused.status()).isEqualTo(401);
        assertThat(refused.isProblem()).isTrue();
        assertThat(refused.json().get("detail").asString()).contains("revoked");
        Response listed =
                api.get("/api/v1/api-keys/" + id).bearer(tenant.adminToken()).send();
        assertThat(listed.json().has("revokedAt")).isTrue();
        assertThat(listed.json().get("revokedAt").isNull()).isFalse();
    }

    @Test
    void api_key_listings_never_show_the_token_or_its_secret() {
        TenantFixture tenant = newTenant();
        String token = api.post("/api/v1/api-keys")
                .bearer(tenant.adminToken())
                .json(Map.of("name", "gateway", "permissions", List.of("assets:read")))
                .send()
                .json()
                .get("token")
                .asString();
        String secret = token.substring(token.lastIndexOf('_') + 1);

        Response list = api.get("/api/v1/api-keys").bearer(tenant.adminToken()).send();
        assertThat(list.status()).isEqualTo(200);
        JsonNode items = list.json().get("items");
        assertThat(items.size()).isEqualTo(1);
        JsonNode key = items.get(0);
        assertThat(key.get("name").asString()).isEqualTo("gateway");
        assertThat(key.has("token")).isFalse();
        assertThat(key.has("secret")).isFalse();
        assertThat(key.has("secretHash")).isFalse();
        assertThat(list.body()).doesNotContain(secret).doesNotContain(token);

        Response one = api.get("/api/v1/api-keys/" + key.get("id").asString())
                .bearer(tenant.adminToken())
                .send();
        assertThat(one.status()).isEqualTo(200);
        assertThat(one.body()).doesNotContain(secret);
    }

    @Test
    void service_account_listings_never_show_the_client_secret() {
        TenantFixture tenant = newTenant();
        String secret = api.post("/api/v1/service-accounts")
                .bearer(tenant.adminToken())
                .json(Map.of("name", "ingest", "roles", List.of("viewer")))
                .send()
                .json()
                .get("clientSecret")
                .asString();

        Response list =
                api.get("/api/v1/service-accounts").bearer(tenant.adminToken()).send();

        assertThat(list.status()).isEqualTo(200);
        assertThat(list.json().get("items").size()).isEqualTo(1);
        assertThat(list.body()).doesNotContain(secret).doesNotContainIgnoringCase("secret");
    }

    private Response createUser(TenantFixture tenant, String username, String password, String role) {
        return api.post("/api/v1/tenants/" + tenant.id() + "/users")
                .bearer(tenant.adminToken())
                .json(Map.of("username", username, "password", password, "roles", List.of(role)))
                .send();
    }

    private Response signIn(String username, String password, String tenant) {
        Map<String, String> body = new java.util.HashMap<>(Map.of("username", username, "password", password));
        if (tenant != null) {
            body.put("tenant", tenant);
        }
        return api.post("/api/v1/auth/token").json(body).send();
    }

    private String tenantOf(Response signIn) {
        assertThat(signIn.status()).as(signIn.toString()).isEqualTo(200);
        Response me = api.get("/api/v1/me")
                .bearer(signIn.json().get("access_token").asString())
                .send();
        return me.json().get("tenantId").asString();
    }
}
