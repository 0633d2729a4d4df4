package io.sextant.access;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.MeterRegistry;
import io.sextant.access.AuditFixture.User;
import io.sextant.shared.TenantContext;
import io.sextant.testing.ApiClient.Response;
import io.sextant.testing.SextantIT;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;

/**
 * Refused requests are recorded too, each in its own transaction, and within a bound: a flood of
 * them leaves at most the bound per caller and minute in the table, and the metric counts the rest.
 */
class AuditLogDeniedIT extends SextantIT {

    @Autowired
    AuditLogProperties properties;

    @Autowired
    MeterRegistry meters;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    TransactionTemplate transactions;

    private AuditFixture audit;
    private TenantFixture tenant;

    @BeforeEach
    void aTenant() {
        audit = new AuditFixture(api);
        tenant = newTenant();
    }

    @Test
    void a_viewer_calling_an_administrative_endpoint_gets_403_and_leaves_one_denied_entry() {
        User viewer = audit.user(tenant, "viewer");

        Response refused = api.get("/api/v1/api-keys").bearer(viewer.token()).send();

        assertThat(refused.status()).isEqualTo(403);
        List<JsonNode> entries = audit.entries(tenant.adminToken(), "outcome=denied&actor=" + viewer.subject());
        assertThat(entries).hasSize(1);
        JsonNode entry = entries.getFirst();
        assertThat(entry.get("action").asString()).isEqualTo("request.forbidden");
        assertThat(entry.get("resourceType").asString()).isEqualTo("request");
        assertThat(entry.get("actorName").asString()).isEqualTo(viewer.username());
        assertThat(entry.get("requestId").asString()).isEqualTo(refused.header("X-Request-Id"));
        JsonNode detail = entry.get("detail");
        assertThat(detail.get("method").asString()).isEqualTo("GET");
        assertThat(detail.get("path").asString()).isEqualTo("/api/v1/api-keys");
        assertThat(detail.get("status").asInt()).isEqualTo(403);
        assertThat(detail.get("reason").asString()).isEqualTo("missing permission: api-keys:manage");
    }

    @Test
    void a_burst_of_ten_thousand_denied_calls_leaves_at_most_the_bound_and_counts_the_rest() throws Exception {
        User viewer = audit.user(tenant, "viewer");
        int calls = 10_000;
        double droppedBefore = dropped();
        long firstMinute = Instant.now().getEpochSecond() / 60;
        List<Integer> statuses = new ArrayList<>();
        try (ExecutorService callers = Executors.newFixedThreadPool(8)) {
            List<Future<Integer>> answers = new ArrayList<>();
            for (int i = 0; i < calls; i++) {
                answers.add(callers.submit(() -> api.get("/api/v1/api-keys")
                        .bearer(viewer.token())
                        .send()
                        .status()));
            }
            for (Future<Integer> answer : answers) {
                statuses.add(answer.get());
            }
        }
        long minutesSpanned = Instant.now().getEpochSecond() / 60 - firstMinute + 1;

        assertThat(statuses).containsOnly(403);
        int recorded = audit.entries(tenant.adminToken(), "outcome=denied&actor=" + viewer.subject())
                .size();
        assertThat(recorded).isPositive().isLessThanOrEqualTo((int) (properties.deniedPerMinute() * minutesSpanned));
        // A refusal is counted once its response is out: the last ones may be counted just after the
        // client has them.
        org.awaitility.Awaitility.await()
                .atMost(java.time.Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(dropped() - droppedBefore).isGreaterThanOrEqualTo(calls - recorded));
    }

    @Test
    void a_request_without_credentials_is_recorded_as_the_platforms_own_and_no_tenant_sees_it() {
        double droppedBefore = dropped();

        Response refused = api.get("/api/v1/assets").send();

        assertThat(refused.status()).isEqualTo(401);
        String requestId = refused.header("X-Request-Id");
        // The refusal is recorded once the response has been written, so it may land just after the
        // client has the answer: wait for the row, or for the count of refusals over the bound (every
        // test calls from 127.0.0.1, whose bound other tests may have spent this minute).
        List<String> platformRows = org.awaitility.Awaitility.await()
                .atMost(java.time.Duration.ofSeconds(10))
                .until(
                        () -> TenantContext.callAsSystem(() -> transactions.execute(status -> jdbc.sql(
                                        "select detail ->> 'reason' from audit_log where tenant_id is null"
                                                + " and request_id = :id and outcome = 'denied' and actor = 'anonymous'")
                                .param("id", requestId)
                                .query(String.class)
                                .list())),
                        rows -> !rows.isEmpty() || dropped() > droppedBefore);
        if (platformRows.isEmpty()) {
            assertThat(dropped()).isGreaterThan(droppedBefore);
        } else {
            assertThat(platformRows).containsExactly("no credentials");
        }
        assertThat(audit.entries(tenant.adminToken(), "outcome=denied")).isEmpty();
    }

    private double dropped() {
        return meters.get("sextant.audit.denied.dropped").counter().count();
    }
}
