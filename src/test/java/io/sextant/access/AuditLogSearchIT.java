package io.sextant.access;

import static io.sextant.testing.ProblemAssertions.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import io.sextant.access.AuditFixture.User;
import io.sextant.testing.ApiClient.Response;
import io.sextant.testing.SextantIT;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** The search: newest first, pages that add up to the whole filtered set, and filters checked. */
class AuditLogSearchIT extends SextantIT {

    private AuditFixture audit;
    private TenantFixture tenant;
    private User admin;
    private final List<String> keys = new ArrayList<>();

    @BeforeEach
    void aTenantWithSevenKeysTwoRevoked() {
        audit = new AuditFixture(api);
        tenant = newTenant();
        admin = audit.user(tenant, "admin");
        for (int i = 0; i < 7; i++) {
            Response created = api.post("/api/v1/api-keys")
                    .bearer(admin.token())
                    .json(Map.of("name", "key-" + i, "permissions", List.of("assets:read")))
                    .send();
            assertThat(created.status()).as(created.toString()).isEqualTo(201);
            keys.add(created.json().get("key").get("id").asString());
        }
        for (String key : keys.subList(0, 2)) {
            assertThat(api.delete("/api/v1/api-keys/" + key)
                            .bearer(admin.token())
                            .send()
                            .status())
                    .isEqualTo(204);
        }
    }

    @Test
    void pages_concatenate_to_the_whole_filtered_set_newest_first() {
        List<JsonNode> whole = audit.entries(admin.token(), "resourceType=api-key", 500);
        assertThat(whole).hasSize(9);
        for (int limit : List.of(1, 2, 4, 9, 10)) {
            assertThat(audit.entries(admin.token(), "resourceType=api-key", limit))
                    .as("pages of %d", limit)
                    .isEqualTo(whole);
        }
        List<String> ids = whole.stream().map(e -> e.get("id").asString()).toList();
        assertThat(ids).isSortedAccordingTo((x, y) -> y.compareTo(x)).doesNotHaveDuplicates();
        assertThat(whole.getFirst().get("action").asString()).isEqualTo("api-key.revoked");
        assertThat(whole.getLast().get("resourceId").asString()).isEqualTo(keys.getFirst());
    }

    @Test
    void each_filter_narrows_the_set() {
        assertThat(audit.entries(admin.token(), "action=api-key.created")).hasSize(7);
        assertThat(audit.entries(admin.token(), "action=api-key.revoked")).hasSize(2);
        assertThat(audit.entries(admin.token(), "action=api-key.*")).hasSize(9);
        assertThat(audit.entries(admin.token(), "action=api-key")).isEmpty();
        // The tenant's first administrator, made by the platform's, and the one that made the keys.
        assertThat(audit.entries(admin.token(), "action=user.*"))
                .extracting(e -> e.get("resourceId").asString())
                .hasSize(2)
                .contains(admin.id());
        assertThat(audit.entries(admin.token(), "actor=" + admin.subject())).hasSize(9);
        assertThat(audit.entries(admin.token(), "resourceType=api-key&resourceId=" + keys.get(1)))
                .extracting(e -> e.get("action").asString())
                .containsExactly("api-key.revoked", "api-key.created");
        assertThat(audit.entries(admin.token(), "outcome=changed")).hasSize(11);
        assertThat(audit.entries(admin.token(), "outcome=denied")).isEmpty();

        Instant now = Instant.now();
        assertThat(audit.entries(admin.token(), "from=" + now.plus(1, ChronoUnit.HOURS)))
                .isEmpty();
        assertThat(audit.entries(admin.token(), "to=" + now.minus(1, ChronoUnit.HOURS)))
                .isEmpty();
        assertThat(audit.entries(
                        admin.token(),
                        "resourceType=api-key&from=" + now.minus(1, ChronoUnit.HOURS) + "&to="
                                + now.plus(1, ChronoUnit.HOURS)))
                .hasSize(9);
    }

    @Test
    void bad_filters_are_a_400_problem_naming_the_filter() {
        assertInvalid("outcome=maybe", "outcome");
        assertInvalid("action=Not%20An%20Action", "action");
        assertInvalid("action=grant.*.created", "action");
        assertInvalid("actor=", "actor");
        assertInvalid("from=2026-01-02T00:00:00Z&to=2026-01-01T00:00:00Z", "to");
        assertInvalid("resourceId=" + "x".repeat(301), "resourceId");
        assertInvalid("limit=0", "limit");
        assertInvalid("limit=501", "limit");
        assertInvalid("cursor=bm90LWEtdXVpZA", "cursor");
        assertThat(api.get("/api/v1/audit?from=yesterday")
                        .bearer(admin.token())
                        .send()
                        .status())
                .isEqualTo(400);
    }

    private void assertInvalid(String query, String field) {
        Response response =
                api.get("/api/v1/audit?" + query).bearer(admin.token()).send();
        JsonNode problem = assertProblem(response, 400, "/api/v1/audit");
        assertThat(problem.toString()).as(query).contains("\"" + field + "\"");
    }
}
