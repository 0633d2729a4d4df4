package io.sextant.platform.http;

import static io.sextant.testing.ProblemAssertions.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import io.sextant.testing.ApiClient.Response;
import io.sextant.testing.SextantIT;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * An Idempotency-Key's claim is a lease: held while its request runs, taken over by a retry once it
 * has run out (as it does when the request died with its process), and never overwritten by a
 * request that outlived it. An uncommitted asset with the same external id holds a request mid-way,
 * after its claim and before its answer. The lease is five seconds here (two minutes by default),
 * which gives the class a context of its own.
 */
@TestPropertySource(properties = "sextant.http.idempotency-lease=5s")
class IdempotencyLeaseIT extends SextantIT {

    private static final String ASSETS = "/api/v1/assets";
    private static final Duration LEASE = Duration.ofSeconds(5);

    @Autowired
    DataSource dataSource;

    @Test
    void a_retry_while_the_first_request_runs_is_a_409_with_retry_after_and_the_claim_lasts_the_lease_not_the_ttl()
            throws Exception {
        TenantFixture tenant = newTenant();
        Map<String, Object> asset = Map.of("externalId", "leased-1", "name", "Leased", "type", "vehicle");
        CompletableFuture<Response> first;
        try (Connection hold = holdExternalId(tenant, "leased-1")) {
            first = CompletableFuture.supplyAsync(() -> keyed(tenant, "lease-key-1", asset));
            awaitClaim("lease-key-1");
            Response retry = keyed(tenant, "lease-key-1", asset);
            JsonNode problem = assertProblem(retry, 409, ASSETS);
            assertThat(problem.get("type").asString()).isEqualTo("urn:sextant:problem:idempotency-key-in-use");
            assertThat(retry.header("Retry-After")).isEqualTo("1");
            assertThat(secondsHeld("lease-key-1"))
                    .as("a claim without an answer is held for the lease")
                    .isPositive()
                    .isLessThanOrEqualTo(LEASE.toMillis() / 1000.0);
            hold.rollback();
        }
        Response created = first.get(30, TimeUnit.SECONDS);
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        assertThat(secondsHeld("lease-key-1"))
                .as("an answered key is remembered for the TTL (24 h)")
                .isGreaterThan(Duration.ofHours(23).toSeconds());

        Thread.sleep(LEASE.plusMillis(500).toMillis());
        Response replay = keyed(tenant, "lease-key-1", asset);
        assertThat(replay.status()).as(replay.toString()).isEqualTo(201);
        assertThat(replay.header("Idempotent-Replayed")).isEqualTo("true");
        assertThat(replay.body()).isEqualTo(created.body());
    }

    @Test
    void a_retry_after_the_lease_takes_the_key_over_and_the_request_that_outlived_its_lease_does_not_overwrite_it()
            throws Exception {
        TenantFixture tenant = newTenant();
        Map<String, Object> stalledAsset = Map.of("externalId", "stalled", "name", "Stalled", "type", "vehicle");
        Map<String, Object> retriedAsset = Map.of("externalId", "retried", "name", "Retried", "type", "vehicle");
        CompletableFuture<Response> stalled;
        Response taken;
        try (Connection hold = holdExternalId(tenant, "stalled")) {
            stalled = CompletableFuture.supplyAsync(() -> keyed(tenant, "lease-key-2", stalledAsset));
            awaitClaim("lease-key-2");
            // To its key, the stalled request is as good as dead once the lease has run out. The
            // retry's request differs, which only matters while the key is held or answered.
            Thread.sleep(LEASE.plusMillis(500).toMillis());
            taken = keyed(tenant, "lease-key-2", retriedAsset);
            assertThat(taken.status()).as(taken.toString()).isEqualTo(201);
            assertThat(taken.header("Idempotent-Replayed")).isNull();
            hold.rollback();
        }
        // The stalled request still runs to its end: a lease shorter than a request gives up what
        // the key protects, which is why it must outlast the slowest one.
        Response late = stalled.get(30, TimeUnit.SECONDS);
        assertThat(late.status()).as(late.toString()).isEqualTo(201);
        assertThat(late.header("Idempotent-Replayed")).isNull();

        Response replay = keyed(tenant, "lease-key-2", retriedAsset);
        assertThat(replay.status()).as(replay.toString()).isEqualTo(201);
        assertThat(replay.header("Idempotent-Replayed")).isEqualTo("true");
        assertThat(replay.body())
                .as("the key remembers the request that held it last")
                .isEqualTo(taken.body());
        JsonNode reused = assertProblem(keyed(tenant, "lease-key-2", stalledAsset), 422, ASSETS);
        assertThat(reused.get("type").asString()).isEqualTo("urn:sextant:problem:idempotency-key-reused");
    }

    private Response keyed(TenantFixture tenant, String key, Map<String, Object> body) {
        return api.post(ASSETS)
                .bearer(tenant.adminToken())
                .header("Idempotency-Key", key)
                .json(body)
                .send();
    }

    /**
     * A transaction that has inserted, and not committed, an asset with this external id in the
     * tenant: a request creating the same one waits on it until the transaction ends.
     */
    private Connection holdExternalId(TenantFixture tenant, String externalId) throws Exception {
        Connection connection = dataSource.getConnection();
        connection.setAutoCommit(false);
        try (PreparedStatement insert = connection.prepareStatement("insert into asset"
                + " (id, tenant_id, external_id, name, type) values (gen_random_uuid(), ?::uuid, ?, ?, 'vehicle')")) {
            insert.setString(1, tenant.id());
            insert.setString(2, externalId);
            insert.setString(3, externalId);
            insert.executeUpdate();
        }
        return connection;
    }

    private void awaitClaim(String key) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (claimOf(key).isEmpty()) {
            assertThat(System.nanoTime()).as("a claim on %s", key).isLessThan(deadline);
            Thread.sleep(10);
        }
    }

    private String claimOf(String key) throws Exception {
        try (Connection connection = dataSource.getConnection();
                Statement statement = connection.createStatement();
                ResultSet row = statement.executeQuery("select claim_id::text from idempotency_record"
                        + " where response_status is null and idempotency_key = '" + key + "'")) {
            return row.next() ? row.getString(1) : "";
        }
    }

    /** How long from now the key's record is kept, in seconds. */
    private double secondsHeld(String key) throws Exception {
        try (Connection connection = dataSource.getConnection();
                Statement statement = connection.createStatement();
                ResultSet row = statement.executeQuery("select extract(epoch from expires_at - now())"
                        + " from idempotency_record where idempotency_key = '" + key + "'")) {
            assertThat(row.next()).as("a record for %s", key).isTrue();
            return row.getDouble(1);
        }
    }
}
