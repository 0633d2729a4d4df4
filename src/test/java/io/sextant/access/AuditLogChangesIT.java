package io.sextant.access;

import static io.sextant.testing.ApiClient.strings;
import static org.assertj.core.api.Assertions.assertThat;

import io.sextant.access.AuditFixture.User;
import io.sextant.testing.ApiClient.Response;
import io.sextant.testing.SextantIT;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Every administrative change leaves one entry, written with the change: who (the actor and its
 * name), what (the action and the resource), the request it came with (the response's {@code
 * X-Request-Id}) and the resource before and after — and never a secret.
 */
class AuditLogChangesIT extends SextantIT {

    private static final String PUBLIC_URL = "https://93.184.216.34/hooks/sextant";

    private AuditFixture audit;
    private TenantFixture tenant;
    private User admin;

    @BeforeEach
    void tenantWithAnAdministrator() {
        audit = new AuditFixture(api);
        tenant = newTenant();
        admin = audit.user(tenant, "admin");
    }

    @Test
    void creating_and_revoking_an_api_key_is_recorded_without_its_token() {
        Response created = api.post("/api/v1/api-keys")
                .bearer(admin.token())
                .json(Map.of("name", "gate", "permissions", List.of("assets:read")))
                .send();
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        String id = created.json().get("key").get("id").asString();
        String token = created.json().get("token").asString();

        JsonNode creation = audit.entry(admin.token(), "api-key.created", id);
        assertChangedBy(creation, admin, created);
        assertThat(creation.get("resourceType").asString()).isEqualTo("api-key");
        assertThat(absent(creation, "before")).isTrue();
        assertThat(creation.get("after").get("name").asString()).isEqualTo("gate");
        assertThat(strings(creation.get("after").get("permissions"))).containsExactly("assets:read");

        Response revoked =
                api.delete("/api/v1/api-keys/" + id).bearer(admin.token()).send();
        assertThat(revoked.status()).isEqualTo(204);
        JsonNode revocation = audit.entry(admin.token(), "api-key.revoked", id);
        assertChangedBy(revocation, admin, revoked);
        assertThat(absent(revocation.get("before"), "revokedAt")).isTrue();
        assertThat(absent(revocation.get("after"), "revokedAt")).isFalse();

        // Revoking it again changes nothing, and records nothing.
        assertThat(api.delete("/api/v1/api-keys/" + id)
                        .bearer(admin.token())
                        .send()
                        .status())
                .isEqualTo(204);
        assertThat(audit.entries(admin.token(), "resourceId=" + id)).hasSize(2);
        assertNoSecret(token, token.substring(token.lastIndexOf('_') + 1));
    }

    @Test
    void creating_and_revoking_a_service_account_is_recorded_without_its_client_secret() {
        Response created = api.post("/api/v1/service-accounts")
                .bearer(admin.token())
                .json(Map.of("name", "ingest", "roles", List.of("operator")))
                .send();
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        String id = created.json().get("account").get("id").asString();
        String secret = created.json().get("clientSecret").asString();

        JsonNode creation = audit.entry(admin.token(), "service-account.created", id);
        assertChangedBy(creation, admin, created);
        assertThat(creation.get("after").get("clientId").asString())
                .isEqualTo(created.json().get("account").get("clientId").asString());
        assertThat(strings(creation.get("after").get("roles"))).containsExactly("operator");

        Response revoked = api.delete("/api/v1/service-accounts/" + id)
                .bearer(admin.token())
                .send();
        assertThat(revoked.status()).isEqualTo(204);
        JsonNode revocation = audit.entry(admin.token(), "service-account.revoked", id);
        assertChangedBy(revocation, admin, revoked);
        assertThat(absent(revocation.get("before"), "revokedAt")).isTrue();
        assertThat(absent(revocation.get("after"), "revokedAt")).isFalse();
        assertNoSecret(secret);
    }

    @Test
    void creating_changing_disabling_and_deleting_a_user_is_recorded_without_its_password() {
        String password = "a-password-nobody-may-read";
        Response created = api.post("/api/v1/tenants/" + tenant.id() + "/users")
                .bearer(admin.token())
                .json(Map.of("username", "jane", "password", password, "roles", List.of("viewer")))
                .send();
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        String id = created.json().get("id").asString();
        JsonNode creation = audit.entry(admin.token(), "user.created", id);
        assertChangedBy(creation, admin, created);
        assertThat(creation.get("after").get("username").asString()).isEqualTo("jane");

        Response promoted = api.method("PATCH", "/api/v1/tenants/" + tenant.id() + "/users/" + id)
                .bearer(admin.token())
                .json(Map.of("roles", List.of("operator")))
                .send();
        assertThat(promoted.status()).as(promoted.toString()).isEqualTo(200);
        Response disabled = api.method("PATCH", "/api/v1/tenants/" + tenant.id() + "/users/" + id)
                .bearer(admin.token())
                .json(Map.of("disabled", true))
                .send();
        assertThat(disabled.status()).as(disabled.toString()).isEqualTo(200);
        List<JsonNode> updates = audit.entries(admin.token(), "action=user.updated&resourceId=" + id);
        assertThat(updates).hasSize(2);
        JsonNode disabling = updates.get(0);
        JsonNode promotion = updates.get(1);
        assertChangedBy(promotion, admin, promoted);
        assertThat(strings(promotion.get("before").get("roles"))).containsExactly("viewer");
        assertThat(strings(promotion.get("after").get("roles"))).containsExactly("operator");
        assertChangedBy(disabling, admin, disabled);
        assertThat(absent(disabling.get("before"), "disabledAt")).isTrue();
        assertThat(absent(disabling.get("after"), "disabledAt")).isFalse();

        Response deleted = api.delete("/api/v1/tenants/" + tenant.id() + "/users/" + id)
                .bearer(admin.token())
                .send();
        assertThat(deleted.status()).isEqualTo(204);
        JsonNode deletion = audit.entry(admin.token(), "user.deleted", id);
        assertChangedBy(deletion, admin, deleted);
        assertThat(deletion.get("before").get("username").asString()).isEqualTo("jane");
        assertThat(absent(deletion, "after")).isTrue();
        assertNoSecret(password);
    }

    @Test
    void a_platform_administrator_creating_a_tenants_user_is_recorded_in_that_tenant() {
        Response created = api.post("/api/v1/tenants/" + tenant.id() + "/users")
                .bearer(adminToken)
                .json(Map.of(
                        "username", "from-platform", "password", "password-from-platform", "roles", List.of("viewer")))
                .send();
        assertThat(created.status()).as(created.toString()).isEqualTo(201);

        JsonNode creation = audit.entry(
                admin.token(), "user.created", created.json().get("id").asString());
        assertThat(creation.get("actorName").asString()).isEqualTo(ADMIN);
        assertThat(creation.get("requestId").asString()).isEqualTo(created.header("X-Request-Id"));
    }

    @Test
    void creating_changing_pausing_rotating_and_deleting_a_subscription_is_recorded_without_its_secret() {
        Response created = api.post("/api/v1/subscriptions")
                .bearer(admin.token())
                .json(Map.of("name", "hook", "channel", Map.of("type", "webhook", "url", PUBLIC_URL)))
                .send();
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        String id = created.json().get("id").asString();
        String secret = created.json().get("secret").asString();
        JsonNode creation = audit.entry(admin.token(), "subscription.created", id);
        assertChangedBy(creation, admin, created);
        assertThat(creation.get("after").get("channel").get("url").asString()).isEqualTo(PUBLIC_URL);

        Response paused = api.method("PATCH", "/api/v1/subscriptions/" + id)
                .bearer(admin.token())
                .header("If-Match", "\"1\"")
                .json(Map.of("enabled", false))
                .send();
        assertThat(paused.status()).as(paused.toString()).isEqualTo(200);
        JsonNode pausing = audit.entry(admin.token(), "subscription.updated", id);
        assertChangedBy(pausing, admin, paused);
        assertThat(pausing.get("before").get("enabled").asBoolean()).isTrue();
        assertThat(pausing.get("after").get("enabled").asBoolean()).isFalse();

        Response rotated = api.post("/api/v1/subscriptions/" + id + "/secret")
                .bearer(admin.token())
                .send();
        assertThat(rotated.status()).as(rotated.toString()).isEqualTo(200);
        assertChangedBy(audit.entry(admin.token(), "subscription.secret-rotated", id), admin, rotated);

        Response deleted =
                api.delete("/api/v1/subscriptions/" + id).bearer(admin.token()).send();
        assertThat(deleted.status()).isEqualTo(204);
        JsonNode deletion = audit.entry(admin.token(), "subscription.deleted", id);
        assertChangedBy(deletion, admin, deleted);
        assertThat(absent(deletion, "after")).isTrue();
        assertThat(audit.entries(admin.token(), "resourceType=subscription&resourceId=" + id))
                .extracting(e -> e.get("action").asString())
                .containsExactly(
                        "subscription.deleted",
                        "subscription.secret-rotated",
                        "subscription.updated",
                        "subscription.created");
        assertNoSecret(secret, rotated.json().get("secret").asString());
    }

    @Test
    void changing_the_tenants_settings_is_recorded() {
        Response changed = api.put("/api/v1/tenants/" + tenant.id() + "/settings")
                .bearer(admin.token())
                .json(Map.of("positionRetention", "P30D", "autoRegisterAssets", true))
                .send();
        assertThat(changed.status()).as(changed.toString()).isEqualTo(200);

        JsonNode change = audit.entry(admin.token(), "tenant-settings.updated", tenant.id());
        assertChangedBy(change, admin, changed);
        assertThat(change.get("before").get("autoRegisterAssets").asBoolean()).isFalse();
        assertThat(change.get("after").get("autoRegisterAssets").asBoolean()).isTrue();
    }

    @Test
    void the_audit_log_needs_the_audit_read_permission() {
        User operator = audit.user(tenant, "operator");
        assertThat(api.get("/api/v1/audit").bearer(operator.token()).send().status())
                .isEqualTo(403);
        assertThat(api.get("/api/v1/audit").send().status()).isEqualTo(401);
    }

    private static void assertChangedBy(JsonNode entry, User actor, Response response) {
        assertThat(entry.get("outcome").asString()).isEqualTo("changed");
        assertThat(entry.get("actor").asString()).isEqualTo(actor.subject());
        assertThat(entry.get("actorName").asString()).isEqualTo(actor.username());
        assertThat(entry.get("requestId").asString()).isNotBlank().isEqualTo(response.header("X-Request-Id"));
        assertThat(UUID.fromString(entry.get("id").asString())).isNotNull();
        assertThat(entry.get("occurredAt").asString()).isNotBlank();
    }

    /** None of {@code secrets} appears anywhere in the tenant's log, as the API returns it. */
    private void assertNoSecret(String... secrets) {
        String everything =
                api.get("/api/v1/audit?limit=500").bearer(admin.token()).send().body();
        assertThat(everything).contains("\"outcome\"");
        for (String secret : secrets) {
            assertThat(everything).doesNotContain(secret);
        }
        assertThat(everything)
                .doesNotContainIgnoringCase("password")
                .doesNotContain("secretHash")
                .doesNotContain("clientSecret")
                .doesNotContain("whsec_")
                .doesNotContain("\"token\"");
    }

    /** Whether {@code node} has no {@code field}, or null there (the API leaves nulls out). */
    static boolean absent(JsonNode node, String field) {
        return node.path(field).isMissingNode() || node.path(field).isNull();
    }
}
