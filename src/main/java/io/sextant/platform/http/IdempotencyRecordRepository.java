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
     * Claims the key for a new request: true when this request is the first (or the earlier record
     * has expired), false when another request holds or has answered it.
     */
    boolean claim(UUID tenantId, String principal, String key, byte[] requestHash, Duration ttl) {
        return jdbc.sql("""
                        insert into idempotency_record (tenant_id, principal, idempotency_key, request_hash, expires_at)
                        values (:tenantId, :principal, :key, :hash, now() + cast(:ttl as interval))
                        on conflict (tenant_id, principal, idempotency_key) do update
                            set request_hash = excluded.request_hash, response_status = null,
                                response_headers = null, response_body = null,
                                created_at = now(), expires_at = excluded.expires_at
                            where idempotency_record.expires_at < now()""")
                        .param("tenantId", tenantId)
                        .param("principal", principal)
                        .param("key", key)
                        .param("hash", requestHash)
                        .param("ttl", ttl.toSeconds() + " seconds")
                        .update()
                == 1;
    }

    Optional<Stored> find(UUID tenantId, String principal, String key) {
        return jdbc.sql("""
                select request_hash, response_status, response_headers::text as response_headers, response_body
                from idempotency_record
                where tenant_id = :tenantId and principal = :principal and idempotency_key = :key""")
                .param("tenantId", tenantId)
                .param("principal", principal)
                .param("key", key)
                .query((rs, row) -> {
                    int status = rs.getInt("response_status");
                    String headers = rs.getString("response_headers");
                    return new Stored(
                            rs.getBytes("request_hash"),
                            rs.wasNull() ? null : status,
                            headers == null ? Map.of() : json.readValue(headers, HEADERS),
                            rs.getBytes("response_body"));
                })
                .optional();
    }

    void complete(UUID tenantId, String principal, String key, int status, Map<String, String> headers, byte[] body) {
        jdbc.sql("""
                update idempotency_record
                set response_status = :status, response_headers = cast(:headers as jsonb), response_body = :body
                where tenant_id = :tenantId and principal = :principal and idempotency_key = :key""")
                .param("tenantId", tenantId)
                .param("principal", principal)
                .param("key", key)
                .param("status", status)
                .param("headers", json.writeValueAsString(headers))
                .param("body", body)
                .update();
    }

    void release(UUID tenantId, String principal, String key) {
        jdbc.sql("delete from idempotency_record"
                        + " where tenant_id = :tenantId and principal = :principal and idempotency_key = :key")
                .param("tenantId", tenantId)
                .param("principal", principal)
                .param("key", key)
                .update();
    }

    int deleteExpired() {
        return jdbc.sql("delete from idempotency_record where expires_at < now()")
                .update();
    }

    record Stored(byte[] requestHash, @Nullable Integer status, Map<String, String> headers, byte @Nullable [] body) {}
}
