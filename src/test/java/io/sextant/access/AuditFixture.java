package io.sextant.access;

import static org.assertj.core.api.Assertions.assertThat;

import io.sextant.testing.ApiClient;
import io.sextant.testing.ApiClient.Response;
import io.sextant.testing.SextantIT.TenantFixture;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import tools.jackson.databind.JsonNode;

/** Users to act as, and the audit log read back through the API, page by page. */
final class AuditFixture {

    private final ApiClient api;

    AuditFixture(ApiClient api) {
        this.api = api;
    }

    /** A user of {@code tenant} with {@code roles}, signed in. */
    User user(TenantFixture tenant, String... roles) {
        String username = "u-" + UUID.randomUUID().toString().substring(0, 8);
        String password = "password-" + UUID.randomUUID();
        Response created = api.post("/api/v1/tenants/" + tenant.id() + "/users")
                .bearer(tenant.adminToken())
                .json(Map.of("username", username, "password", password, "roles", List.of(roles)))
                .send();
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        return new User(created.json().get("id").asString(), username, password, api.signIn(username, password));
    }

    /** Every entry the query string admits, following {@code nextCursor} to the end. */
    List<JsonNode> entries(String token, String query, int limit) {
        List<JsonNode> entries = new ArrayList<>();
        String cursor = null;
        do {
            String path = "/api/v1/audit?limit=" + limit + (query.isEmpty() ? "" : "&" + query)
                    + (cursor == null ? "" : "&cursor=" + URLEncoder.encode(cursor, StandardCharsets.UTF_8));
            Response page = api.get(path).bearer(token).send();
            assertThat(page.status()).as(page.toString()).isEqualTo(200);
            page.json().get("items").forEach(entries::add);
            JsonNode next = page.json().get("nextCursor");
            cursor = next == null || next.isNull() ? null : next.asString();
        } while (cursor != null);
        return entries;
    }

    List<JsonNode> entries(String token, String query) {
        return entries(token, query, 500);
    }

    /** The one entry of {@code resourceId} with {@code action}. */
    JsonNode entry(String token, String action, String resourceId) {
        List<JsonNode> found = entries(token, "action=" + action + "&resourceId=" + resourceId);
        assertThat(found).as("entries %s of %s", action, resourceId).hasSize(1);
        return found.getFirst();
    }

    record User(String id, String username, String password, String token) {

        String subject() {
            return "user:" + id;
        }
    }
}
