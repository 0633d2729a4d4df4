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
                        "api-keys:manage",
                        "assets:read",
                        "assets:write",
                        "events:read",
                        "jobs:read",
                        "positions:read",
                        "positions:write",
                        "service-accounts:manage",
                        "subscriptions:manage",
                        "tenant-settings:manage",
                        "users:manage",
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
                        "positions:read",
                        "positions:write",
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
}
