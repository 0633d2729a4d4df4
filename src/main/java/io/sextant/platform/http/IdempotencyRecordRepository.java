package io.sextant.platform.http;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/** Remembered responses to requests that carried an Idempotency-Key. */
@Repository
@Transactional
class IdempotencyRecordRepository {

    private static final TypeReference<Map<String, String>> HEADERS = new TypeReference<>() {};

    private final JdbcClient jdbc;
    private final JsonMapper json = JsonMapper.builder().build();

    IdempotencyRecordRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Claims the key for a new request, for {@code lease} at most: true when this request is the
     * first, or when the earlier record has expired (a remembered response past its TTL, or a claim
     * whose request died before answering, past its lease); false when another request holds or has
     * answered it.
     */
    boolean claim(CallerKey key, byte[] requestHash, UUID claimId, Duration lease) {
        return keyed(key, """
                        insert into idempotency_record
                            (tenant_id, principal, idempotency_key, request_hash, claim_id, expires_at)
                        values (:tenantId, :principal, :key, :hash, :claim, now() + cast(:lease as interval))
                        on conflict (tenant_id, principal, idempotency_key) do update
                            set request_hash = excluded.request_hash, response_status = null,
                                response_headers = null, response_body = null, response_sealed = false,
                                claim_id = excluded.claim_id,
                                created_at = now(), expires_at = excluded.expires_at
                            where idempotency_record.expires_at < now()""")
                        .param("hash", requestHash)
                        .param("claim", claimId)
                        .param("lease", interval(lease))
                        .update()
                == 1;
    }

    Optional<Stored> find(CallerKey key) {
        return keyed(key, """
                select request_hash, response_status, response_headers::text as response_headers, response_body,
                       response_sealed
                from idempotency_record
                where tenant_id = :tenantId and principal = :principal and idempotency_key = :key""")
                .query((rs, row) -> {
                    String headers = rs.getString("response_headers");
                    return new Stored(
                            rs.getBytes("request_hash"),
                            rs.getObject("response_status", Integer.class),
                            headers == null ? Map.of() : json.readValue(headers, HEADERS),
                            rs.getBytes("response_body"),
                            rs.getBoolean("response_sealed"));
                })
                .optional();
    }

    /**
     * Remembers the response of the request holding the claim, for {@code ttl} from now: false when
     * that request no longer holds it (it outlived its lease, and a retry took the key over). {@code
     * sealed} says the body was sealed by the secrets cipher.
     */
    boolean complete(
            CallerKey key,
            UUID claimId,
            int status,
            Map<String, String> headers,
            byte[] body,
            boolean sealed,
            Duration ttl) {
        return keyed(key, """
                        update idempotency_record
                        set response_status = :status, response_headers = cast(:headers as jsonb),
                            response_body = :body, response_sealed = :sealed,
                            expires_at = now() + cast(:ttl as interval)
                        where tenant_id = :tenantId and principal = :principal and idempotency_key = :key
                          and claim_id = :claim""")
                        .param("claim", claimId)
                        .param("status", status)
                        .param("headers", json.writeValueAsString(headers))
                        .param("body", body)
                        .param("sealed", sealed)
                        .param("ttl", interval(ttl))
                        .update()
                == 1;
    }

    /** Gives the key up, if the request still holds its claim, so that a retry runs again. */
    void release(CallerKey key, UUID claimId) {
        keyed(key, """
                delete from idempotency_record
                where tenant_id = :tenantId and principal = :principal and idempotency_key = :key
                  and claim_id = :claim""").param("claim", claimId).update();
    }

    int deleteExpired() {
        return jdbc.sql("delete from idempotency_record where expires_at < now()")
                .update();
    }

    /** A statement about one caller's key, its three parts bound. */
    private JdbcClient.StatementSpec keyed(CallerKey key, String sql) {
        return jdbc.sql(sql)
                .param("tenantId", key.tenantId())
                .param("principal", key.principal())
                .param("key", key.key());
    }

    private static String interval(Duration duration) {
        return duration.toMillis() + " milliseconds";
    }

    /** An Idempotency-Key as one caller holds it: keys are per tenant and principal. */
    record CallerKey(UUID tenantId, String principal, String key) {

        /** What a sealed answer is bound to: opened for any other caller or key, it fails. */
        String sealingContext() {
            return "idempotency/" + tenantId + "/" + principal + "/" + key;
        }
    }

    record Stored(
            byte[] requestHash,
            @Nullable Integer status,
            Map<String, String> headers,
            byte @Nullable [] body,
            boolean sealed) {}
}
