package io.sextant.jobs;

import static io.sextant.testing.ProblemAssertions.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sextant.testing.ApiClient;
import io.sextant.testing.SextantIT;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.JsonNode;

@Import(TestJobHandlers.class)
@TestPropertySource(properties = {"sextant.jobs.poll-interval=100ms", "sextant.jobs.shutdown-timeout=3s"})
class JobsApiIT extends SextantIT {

    @Autowired
    Jobs jobs;

    private UUID enqueue(TenantFixture tenant, String kind, String payload) {
        return jobs.enqueue(new NewJob(kind, UUID.fromString(tenant.id()), payload, Instant.now(), null));
    }

    private JsonNode get(TenantFixture tenant, String path) {
        var response = api.get(path).bearer(tenant.adminToken()).send();
        assertThat(response.status()).as("GET %s: %s", path, response).isEqualTo(200);
        return response.json();
    }

    private String status(TenantFixture tenant, UUID id) {
        return get(tenant, "/api/v1/jobs/" + id).get("status").asString();
    }

    @Test
    void a_tenant_sees_its_jobs_newest_first_filtered_and_page_by_page() {
        TenantFixture tenant = newTenant();
        List<UUID> succeeded = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            succeeded.add(enqueue(tenant, TestJobHandlers.ECHO, "{\"n\":" + i + "}"));
        }
        UUID dead = enqueue(tenant, TestJobHandlers.PERMANENT, "{\"to\":\"nowhere\"}");
        await().atMost(Duration.ofSeconds(5))
                .until(() ->
                        get(tenant, "/api/v1/jobs?status=queued").get("items").isEmpty()
                                && get(tenant, "/api/v1/jobs?status=running")
                                        .get("items")
                                        .isEmpty());

        JsonNode all = get(tenant, "/api/v1/jobs");
        assertThat(ids(all)).containsExactly(dead, succeeded.get(2), succeeded.get(1), succeeded.get(0));
        JsonNode deadJob = all.get("items").get(0);
        assertThat(deadJob.get("kind").asString()).isEqualTo(TestJobHandlers.PERMANENT);
        assertThat(deadJob.get("status").asString()).isEqualTo("dead");
        assertThat(deadJob.get("payload").get("to").asString()).isEqualTo("nowhere");
        assertThat(deadJob.get("attempt").asInt()).isEqualTo(1);
        assertThat(deadJob.get("lastError").asString()).isEqualTo("the payload names no receiver");
        assertThat(deadJob.get("finishedAt").asString()).isNotBlank();
        assertThat(TestJobHandlers.TENANTS.get(succeeded.getFirst()))
                .as("the handler ran as the job's tenant")
                .isEqualTo(tenant.id());

        assertThat(ids(get(tenant, "/api/v1/jobs?status=dead"))).containsExactly(dead);
        assertThat(ids(get(tenant, "/api/v1/jobs?status=succeeded&kind=" + TestJobHandlers.ECHO)))
                .containsExactlyElementsOf(succeeded.reversed());
        assertThat(ids(get(tenant, "/api/v1/jobs?kind=test.none"))).isEmpty();

        JsonNode first = get(tenant, "/api/v1/jobs?limit=3");
        assertThat(ids(first)).containsExactly(dead, succeeded.get(2), succeeded.get(1));
        JsonNode second = get(
                tenant, "/api/v1/jobs?limit=3&cursor=" + first.get("nextCursor").asString());
        assertThat(ids(second)).containsExactly(succeeded.get(0));
        assertThat(second.has("nextCursor")).isFalse();

        JsonNode one = get(tenant, "/api/v1/jobs/" + succeeded.get(1));
        assertThat(one.get("status").asString()).isEqualTo("succeeded");
        assertThat(one.get("payload").get("n").asInt()).isEqualTo(1);
    }

    @Test
    void the_summary_counts_the_tenants_jobs_by_status_overall_and_per_kind() {
        TenantFixture tenant = newTenant();
        UUID a = enqueue(tenant, TestJobHandlers.ECHO, "{}");
        UUID b = enqueue(tenant, TestJobHandlers.ECHO, "{}");
        UUID c = enqueue(tenant, TestJobHandlers.PERMANENT, "{}");
        enqueue(newTenant(), TestJobHandlers.ECHO, "{}");
        await().atMost(Duration.ofSeconds(5))
                .until(() -> status(tenant, a).equals("succeeded")
                        && status(tenant, b).equals("succeeded")
                        && status(tenant, c).equals("dead"));

        JsonNode summary = get(tenant, "/api/v1/jobs/summary");

        assertThat(ApiClient.JSON.convertValue(summary, Map.class))
                .isEqualTo(Map.of(
                        "total",
                        Map.of("queued", 0, "running", 0, "succeeded", 2, "dead", 1),
                        "kinds",
                        Map.of(
                                TestJobHandlers.ECHO,
                                Map.of("queued", 0, "running", 0, "succeeded", 2, "dead", 0),
                                TestJobHandlers.PERMANENT,
                                Map.of("queued", 0, "running", 0, "succeeded", 0, "dead", 1))));
    }

    @Test
    void another_tenants_job_does_not_exist_for_a_tenant() {
        TenantFixture owner = newTenant();
        TenantFixture stranger = newTenant();
        UUID id = enqueue(owner, TestJobHandlers.PERMANENT, "{}");
        await().atMost(Duration.ofSeconds(5)).until(() -> status(owner, id).equals("dead"));

        assertProblem(
                api.get("/api/v1/jobs/" + id).bearer(stranger.adminToken()).send(), 404, "/api/v1/jobs/" + id);
        assertProblem(
                api.post("/api/v1/jobs/" + id + "/retry")
                        .bearer(stranger.adminToken())
                        .send(),
                404,
                "/api/v1/jobs/" + id + "/retry");
        assertThat(ids(get(stranger, "/api/v1/jobs"))).doesNotContain(id);
        assertThat(status(owner, id)).isEqualTo("dead");
    }

    @Test
    void a_dead_job_retried_runs_again_with_its_attempts_reset_and_only_a_dead_job_can_be_retried() {
        TenantFixture tenant = newTenant();
        UUID id = enqueue(tenant, TestJobHandlers.ONCE, "{}");
        await().atMost(Duration.ofSeconds(5)).until(() -> status(tenant, id).equals("dead"));

        var retried = api.post("/api/v1/jobs/" + id + "/retry")
                .bearer(tenant.adminToken())
                .send();

        assertThat(retried.status()).as("%s", retried).isEqualTo(200);
        assertThat(retried.json().get("status").asString()).isIn("queued", "running", "succeeded");
        await().atMost(Duration.ofSeconds(5)).until(() -> status(tenant, id).equals("succeeded"));
        JsonNode job = get(tenant, "/api/v1/jobs/" + id);
        assertThat(job.get("attempt").asInt())
                .as("attempts start again from one")
                .isEqualTo(1);
        assertThat(job.get("lastError").asString()).isEqualTo("first time fails");

        JsonNode conflict = assertProblem(
                api.post("/api/v1/jobs/" + id + "/retry")
                        .bearer(tenant.adminToken())
                        .send(),
                409,
                "/api/v1/jobs/" + id + "/retry");
        assertThat(conflict.get("detail").asString()).contains("succeeded");
    }

    @Test
    void bad_parameters_are_400_naming_the_parameter() {
        TenantFixture tenant = newTenant();

        assertThat(field(
                        api.get("/api/v1/jobs?status=failed")
                                .bearer(tenant.adminToken())
                                .send(),
                        "/api/v1/jobs"))
                .isEqualTo("status");
        assertThat(field(
                        api.get("/api/v1/jobs?limit=0")
                                .bearer(tenant.adminToken())
                                .send(),
                        "/api/v1/jobs"))
                .isEqualTo("limit");
        assertThat(field(
                        api.get("/api/v1/jobs?cursor=%25%25")
                                .bearer(tenant.adminToken())
                                .send(),
                        "/api/v1/jobs"))
                .isEqualTo("cursor");
        assertThat(field(
                        api.get("/api/v1/jobs/not-a-uuid")
                                .bearer(tenant.adminToken())
                                .send(),
                        "/api/v1/jobs/not-a-uuid"))
                .isEqualTo("id");
    }

    @Test
    void reading_jobs_needs_the_jobs_read_permission() {
        TenantFixture tenant = newTenant();
        var created = api.post("/api/v1/tenants/" + tenant.id() + "/users")
                .bearer(tenant.adminToken())
                .json(Map.of(
                        "username",
                        "viewer@" + tenant.slug(),
                        "password",
                        "viewer-password-1",
                        "roles",
                        List.of("viewer")))
                .send();
        assertThat(created.status()).as("%s", created).isEqualTo(201);
        String viewer = api.signIn("viewer@" + tenant.slug(), "viewer-password-1");

        assertProblem(api.get("/api/v1/jobs").bearer(viewer).send(), 403, "/api/v1/jobs");
        assertProblem(api.get("/api/v1/jobs/summary").bearer(viewer).send(), 403, "/api/v1/jobs/summary");
        assertThat(api.get("/api/v1/jobs").send().status()).isEqualTo(401);
    }

    private static String field(ApiClient.Response response, String instance) {
        JsonNode problem = assertProblem(response, 400, instance);
        return problem.get("errors").get(0).get("field").asString();
    }

    private static List<UUID> ids(JsonNode page) {
        List<UUID> ids = new ArrayList<>();
        page.get("items").forEach(item -> ids.add(UUID.fromString(item.get("id").asString())));
        return ids;
    }
}
