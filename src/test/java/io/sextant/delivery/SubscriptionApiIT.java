package io.sextant.delivery;

import static io.sextant.testing.ProblemAssertions.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import io.sextant.testing.ApiClient;
import io.sextant.testing.ApiClient.Response;
import io.sextant.testing.SextantIT;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The subscriptions API on the default configuration: no Redis, no private webhook targets. Target
 * URLs are public address literals, so nothing here depends on DNS; no events are appended, so
 * nothing is delivered.
 */
class SubscriptionApiIT extends SextantIT {

    private static final String PATH = "/api/v1/subscriptions";
    private static final String PUBLIC_URL = "https://93.184.216.34/hooks/sextant";

    @Test
    void a_webhook_subscription_is_created_with_its_secret_shown_once_and_read_back_without_it() {
        TenantFixture tenant = newTenant();
        Response created = api.post(PATH)
                .bearer(tenant.adminToken())
                .json(Map.of(
                        "name", "Depot alerts",
                        "filter", Map.of("types", List.of("sextant.zone.*"), "zoneTags", List.of("depot")),
                        "channel", Map.of("type", "webhook", "url", PUBLIC_URL, "timeoutMs", 2500)))
                .send();

        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        JsonNode body = created.json();
        String id = body.get("id").asString();
        assertThat(created.header("Location")).isEqualTo(PATH + "/" + id);
        assertThat(created.header("ETag")).isEqualTo("\"1\"");
        assertThat(body.get("secret").asString()).matches("whsec_[A-Za-z0-9+/]{32}");
        assertThat(body.get("name").asString()).isEqualTo("Depot alerts");
        assertThat(body.get("enabled").asBoolean()).isTrue();
        assertThat(ApiClient.strings(body.get("filter").get("types"))).containsExactly("sextant.zone.*");
        assertThat(ApiClient.strings(body.get("filter").get("zoneTags"))).containsExactly("depot");
        assertThat(body.get("filter").get("assetIds").isEmpty()).isTrue();
        assertThat(body.get("channel").get("type").asString()).isEqualTo("webhook");
        assertThat(body.get("channel").get("url").asString()).isEqualTo(PUBLIC_URL);
        assertThat(body.get("channel").get("timeoutMs").asInt()).isEqualTo(2500);
        assertThat(body.get("owner").get("subject").asString()).startsWith("user:");
        assertThat(ApiClient.strings(body.get("owner").get("permissions"))).contains("events:read");
        assertThat(body.get("consecutiveDeadLetters").asInt()).isZero();

        Response read = api.get(PATH + "/" + id).bearer(tenant.adminToken()).send();
        assertThat(read.status()).isEqualTo(200);
        assertThat(read.json().has("secret")).isFalse();
        assertThat(read.body()).doesNotContain(body.get("secret").asString());
        Response listed = api.get(PATH).bearer(tenant.adminToken()).send();
        assertThat(listed.json().get("items")).hasSize(1);
        assertThat(listed.body()).doesNotContain("whsec_");
    }

    @Test
    void rotating_the_secret_returns_a_new_one_once() {
        TenantFixture tenant = newTenant();
        JsonNode created = createWebhook(tenant.adminToken(), "rotating");
        String id = created.get("id").asString();

        Response rotated = api.post(PATH + "/" + id + "/secret")
                .bearer(tenant.adminToken())
                .send();

        assertThat(rotated.status()).isEqualTo(200);
        String secret = rotated.json().get("secret").asString();
        assertThat(secret)
                .startsWith("whsec_")
                .isNotEqualTo(created.get("secret").asString());
        assertThat(api.get(PATH + "/" + id).bearer(tenant.adminToken()).send().body())
                .doesNotContain(secret);
    }

    @Test
    void the_answers_that_carry_a_signing_secret_may_not_be_stored() {
        TenantFixture tenant = newTenant();
        Response created = api.post(PATH)
                .bearer(tenant.adminToken())
                .json(Map.of("name", "unstored", "channel", Map.of("type", "webhook", "url", PUBLIC_URL)))
                .send();
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        Response rotated = api.post(PATH + "/" + created.json().get("id").asString() + "/secret")
                .bearer(tenant.adminToken())
                .send();
        assertThat(rotated.status()).as(rotated.toString()).isEqualTo(200);

        // Not by a cache, and not in the clear by an Idempotency-Key's record (sealed instead).
        assertThat(created.header("Cache-Control")).isEqualTo("no-store");
        assertThat(rotated.header("Cache-Control")).isEqualTo("no-store");
    }

    @Test
    void a_patch_changes_only_the_fields_given_requires_if_match_and_makes_the_caller_owner() {
        TenantFixture tenant = newTenant();
        String id = createWebhook(tenant.adminToken(), "patchable").get("id").asString();
        String path = PATH + "/" + id;

        assertProblem(
                api.method("PATCH", path)
                        .bearer(tenant.adminToken())
                        .json(Map.of("enabled", false))
                        .send(),
                428,
                path);
        assertProblem(
                api.method("PATCH", path)
                        .bearer(tenant.adminToken())
                        .header("If-Match", "\"7\"")
                        .json(Map.of("enabled", false))
                        .send(),
                412,
                path);
        Response patched = api.method("PATCH", path)
                .bearer(tenant.adminToken())
                .header("If-Match", "\"1\"")
                .body("application/merge-patch+json", "{\"enabled\": false, \"filter\": {\"assetTags\": [\"north\"]}}")
                .send();

        assertThat(patched.status()).as(patched.toString()).isEqualTo(200);
        assertThat(patched.header("ETag")).isEqualTo("\"2\"");
        JsonNode body = patched.json();
        assertThat(body.get("enabled").asBoolean()).isFalse();
        assertThat(body.get("name").asString()).isEqualTo("patchable");
        assertThat(ApiClient.strings(body.get("filter").get("assetTags"))).containsExactly("north");
        assertThat(body.get("filter").get("types").isEmpty()).isTrue();
        assertThat(body.get("channel").get("url").asString()).isEqualTo(PUBLIC_URL);
        assertThat(api.get(path).bearer(tenant.adminToken()).send().json()).isEqualTo(body);
    }

    @Test
    void ordering_is_per_asset_by_default_can_be_chosen_and_patched_and_is_validated() {
        TenantFixture tenant = newTenant();
        String token = tenant.adminToken();
        JsonNode byDefault = createWebhook(token, "ordered");
        assertThat(byDefault.get("ordering").asString()).isEqualTo("per-asset");
        Response independent = api.post(PATH)
                .bearer(token)
                .json(Map.of(
                        "name", "independent",
                        "ordering", "none",
                        "channel", Map.of("type", "webhook", "url", PUBLIC_URL)))
                .send();
        assertThat(independent.status()).as(independent.toString()).isEqualTo(201);
        assertThat(independent.json().get("ordering").asString()).isEqualTo("none");

        String path = PATH + "/" + byDefault.get("id").asString();
        Response patched = api.method("PATCH", path)
                .bearer(token)
                .header("If-Match", "\"1\"")
                .json(Map.of("ordering", "none"))
                .send();
        assertThat(patched.status()).as(patched.toString()).isEqualTo(200);
        assertThat(patched.json().get("ordering").asString()).isEqualTo("none");
        Response renamed = api.method("PATCH", path)
                .bearer(token)
                .header("If-Match", "\"2\"")
                .json(Map.of("name", "renamed"))
                .send();
        assertThat(renamed.json().get("ordering").asString()).isEqualTo("none");
        assertThat(api.get(path).bearer(token).send().json().get("ordering").asString())
                .isEqualTo("none");

        assertThat(refused(
                        token,
                        Map.of(
                                "name", "x",
                                "ordering", "per-zone",
                                "channel", Map.of("type", "webhook", "url", PUBLIC_URL))))
                .containsEntry("ordering", "must be one of per-asset, none");
        JsonNode badPatch = assertProblem(
                api.method("PATCH", path)
                        .bearer(token)
                        .header("If-Match", "\"3\"")
                        .json(Map.of("ordering", "strict"))
                        .send(),
                400,
                path);
        assertThat(badPatch.get("errors").get(0).get("field").asString()).isEqualTo("ordering");
        assertThat(api.get(path).bearer(token).send().json().get("version").asLong())
                .isEqualTo(3);
    }

    @Test
    void a_patch_cannot_change_the_channel_type() {
        TenantFixture tenant = newTenant();
        String path = PATH + "/"
                + createWebhook(tenant.adminToken(), "typed").get("id").asString();

        JsonNode problem = assertProblem(
                api.method("PATCH", path)
                        .bearer(tenant.adminToken())
                        .header("If-Match", "\"1\"")
                        .json(Map.of("channel", Map.of("type", "redis-stream", "stream", "s")))
                        .send(),
                400,
                path);

        assertThat(problem.toString()).contains("channel.type");
    }

    @Test
    void deleting_removes_it_and_a_stale_if_match_is_refused() {
        TenantFixture tenant = newTenant();
        String path = PATH + "/"
                + createWebhook(tenant.adminToken(), "doomed").get("id").asString();

        assertProblem(
                api.delete(path)
                        .bearer(tenant.adminToken())
                        .header("If-Match", "\"3\"")
                        .send(),
                412,
                path);
        assertThat(api.delete(path)
                        .bearer(tenant.adminToken())
                        .header("If-Match", "\"1\"")
                        .send()
                        .status())
                .isEqualTo(204);
        assertProblem(api.get(path).bearer(tenant.adminToken()).send(), 404, path);
        assertProblem(api.delete(path).bearer(tenant.adminToken()).send(), 404, path);
    }

    @Test
    void invalid_subscriptions_are_400_problems_naming_each_field() {
        TenantFixture tenant = newTenant();
        String token = tenant.adminToken();

        assertThat(refused(token, Map.of("channel", Map.of("type", "webhook", "url", PUBLIC_URL))))
                .containsEntry("name", "is required");
        assertThat(refused(token, Map.of("name", "x"))).containsEntry("channel", "is required");
        assertThat(refused(token, Map.of("name", " ", "channel", Map.of("type", "webhook", "url", PUBLIC_URL))))
                .containsKey("name");
        assertThat(refused(token, Map.of("name", "x", "channel", Map.of("type", "carrier-pigeon"))))
                .containsEntry("channel.type", "must be 'webhook' or 'redis-stream'");
        assertThat(refused(token, Map.of("name", "x", "channel", Map.of("type", "webhook"))))
                .containsEntry("channel.url", "is required");
        assertThat(refused(
                        token,
                        Map.of("name", "x", "channel", Map.of("type", "webhook", "url", "ftp://93.184.216.34/"))))
                .containsEntry("channel.url", "must be an http or https URL");
        assertThat(refused(
                        token,
                        Map.of(
                                "name",
                                "x",
                                "channel",
                                Map.of("type", "webhook", "url", "https://93.184.216.34/" + "a".repeat(2048)))))
                .containsEntry("channel.url", "at most 2048 characters");
        assertThat(refused(
                        token,
                        Map.of(
                                "name",
                                "x",
                                "channel",
                                Map.of("type", "webhook", "url", PUBLIC_URL, "timeoutMs", 60000))))
                .containsKey("channel.timeoutMs");
        assertThat(refused(
                        token,
                        Map.of("name", "x", "channel", Map.of("type", "webhook", "url", PUBLIC_URL, "secret", "mine"))))
                .containsKey("channel.secret");
        assertThat(refused(
                        token,
                        Map.of(
                                "name", "x",
                                "filter", Map.of("types", List.of("sextant.zone.entred")),
                                "channel", Map.of("type", "webhook", "url", PUBLIC_URL))))
                .containsKey("filter.types");
        assertThat(refused(
                        token,
                        Map.of(
                                "name", "x",
                                "filter",
                                        Map.of(
                                                "assetTags",
                                                java.util.stream.IntStream.range(0, 101)
                                                        .mapToObj(i -> "t" + i)
                                                        .toList()),
                                "channel", Map.of("type", "webhook", "url", PUBLIC_URL))))
                .containsEntry("filter.assetTags", "at most 100 values (was 101)");
        assertThat(api.get(PATH).bearer(token).send().json().get("items")).isEmpty();
    }

    @Test
    void webhook_targets_in_private_loopback_or_metadata_networks_are_refused() {
        String token = newTenant().adminToken();

        for (String url : List.of(
                "http://127.0.0.1:8080/hook",
                "http://[::1]/hook",
                "http://169.254.169.254/latest/meta-data/",
                "https://10.0.0.7/hook",
                "https://192.168.1.1/hook",
                "https://100.64.0.1/hook",
                "https://[::ffff:127.0.0.1]/hook",
                "https://[fd00::1]/hook")) {
            assertThat(refused(token, Map.of("name", "x", "channel", Map.of("type", "webhook", "url", url))))
                    .as(url)
                    .hasEntrySatisfying(
                            "channel.url",
                            reason -> assertThat(reason).contains("webhooks may only target public addresses"));
        }
    }

    @Test
    void a_redis_stream_subscription_is_refused_when_redis_is_not_configured() {
        String token = newTenant().adminToken();

        assertThat(refused(
                        token,
                        Map.of("name", "x", "channel", Map.of("type", "redis-stream", "stream", "sextant-events"))))
                .hasEntrySatisfying("channel.type", reason -> assertThat(reason).contains("Redis is not configured"));
    }

    @Test
    void another_tenants_subscription_does_not_exist_for_reading_changing_or_deleting() {
        TenantFixture a = newTenant();
        TenantFixture b = newTenant();
        String bId = createWebhook(b.adminToken(), "theirs").get("id").asString();
        String path = PATH + "/" + bId;

        assertProblem(api.get(path).bearer(a.adminToken()).send(), 404, path);
        assertProblem(
                api.method("PATCH", path)
                        .bearer(a.adminToken())
                        .header("If-Match", "\"1\"")
                        .json(Map.of("enabled", false))
                        .send(),
                404,
                path);
        assertProblem(api.post(path + "/secret").bearer(a.adminToken()).send(), 404, path + "/secret");
        assertProblem(api.get(path + "/deliveries").bearer(a.adminToken()).send(), 404, path + "/deliveries");
        assertProblem(api.delete(path).bearer(a.adminToken()).send(), 404, path);
        assertThat(api.get(PATH).bearer(a.adminToken()).send().json().get("items"))
                .isEmpty();
        assertThat(api.get(path)
                        .bearer(b.adminToken())
                        .send()
                        .json()
                        .get("enabled")
                        .asBoolean())
                .isTrue();
    }

    @Test
    void the_list_pages_with_a_cursor_in_creation_order() {
        TenantFixture tenant = newTenant();
        List<String> ids = java.util.stream.IntStream.range(0, 5)
                .mapToObj(i ->
                        createWebhook(tenant.adminToken(), "s" + i).get("id").asString())
                .toList();

        JsonNode first =
                api.get(PATH + "?limit=3").bearer(tenant.adminToken()).send().json();
        JsonNode second = api.get(
                        PATH + "?limit=3&cursor=" + first.get("nextCursor").asString())
                .bearer(tenant.adminToken())
                .send()
                .json();

        assertThat(first.get("items")
                        .valueStream()
                        .map(s -> s.get("id").asString())
                        .toList())
                .containsExactlyElementsOf(ids.subList(0, 3));
        assertThat(second.get("items")
                        .valueStream()
                        .map(s -> s.get("id").asString())
                        .toList())
                .containsExactlyElementsOf(ids.subList(3, 5));
        assertThat(second.has("nextCursor")).isFalse();
    }

    @Test
    void a_tenant_cannot_have_more_subscriptions_than_the_limit() {
        TenantFixture tenant = newTenant();
        for (int i = 0; i < 100; i++) {
            createWebhook(tenant.adminToken(), "s" + i);
        }

        JsonNode problem = assertProblem(
                api.post(PATH)
                        .bearer(tenant.adminToken())
                        .json(Map.of("name", "one too many", "channel", Map.of("type", "webhook", "url", PUBLIC_URL)))
                        .send(),
                409,
                PATH);

        assertThat(problem.get("detail").asString()).contains("100 subscriptions");
    }

    @Test
    void managing_subscriptions_needs_the_subscriptions_manage_permission() {
        TenantFixture tenant = newTenant();
        String viewer = viewerOf(tenant);

        assertProblem(api.get(PATH).bearer(viewer).send(), 403, PATH);
        assertProblem(
                api.post(PATH)
                        .bearer(viewer)
                        .json(Map.of("name", "x", "channel", Map.of("type", "webhook", "url", PUBLIC_URL)))
                        .send(),
                403,
                PATH);
    }

    @Test
    void a_delivery_log_filter_of_an_unknown_status_is_a_400() {
        TenantFixture tenant = newTenant();
        String path =
                PATH + "/" + createWebhook(tenant.adminToken(), "log").get("id").asString() + "/deliveries";

        assertThat(api.get(path).bearer(tenant.adminToken()).send().json().get("items"))
                .isEmpty();
        JsonNode problem = assertProblem(
                api.get(path + "?status=lost").bearer(tenant.adminToken()).send(), 400, path);
        assertThat(problem.get("detail").asString()).contains("pending, delivered, failed-retrying, dead, skipped");
    }

    private JsonNode createWebhook(String token, String name) {
        Response response = api.post(PATH)
                .bearer(token)
                .json(Map.of("name", name, "channel", Map.of("type", "webhook", "url", PUBLIC_URL)))
                .send();
        assertThat(response.status()).as(response.toString()).isEqualTo(201);
        return response.json();
    }

    /** Posts {@code body}, expects a 400 problem and returns its errors as field → reason. */
    private Map<String, String> refused(String token, Map<String, Object> body) {
        JsonNode problem = assertProblem(api.post(PATH).bearer(token).json(body).send(), 400, PATH);
        Map<String, String> errors = new java.util.HashMap<>();
        problem.get("errors")
                .forEach(e ->
                        errors.put(e.get("field").asString(), e.get("reason").asString()));
        return errors;
    }

    private String viewerOf(TenantFixture tenant) {
        String username = "viewer-" + UUID.randomUUID().toString().substring(0, 8);
        Response created = api.post("/api/v1/tenants/" + tenant.id() + "/users")
                .bearer(tenant.adminToken())
                .json(Map.of("username", username, "password", "viewer-password-1", "roles", List.of("viewer")))
                .send();
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        return api.signIn(username, "viewer-password-1");
    }
}
