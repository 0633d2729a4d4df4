package io.sextant.identity;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Transactional;

@Repository
@Transactional
class ApiKeyRepository {

    private static final String COLUMNS =
            "id, tenant_id, key_id, name, permissions, created_by, created_at, expires_at, revoked_at";

    private final JdbcClient jdbc;

    ApiKeyRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    void insert(ApiKey key, byte[] secretHash) {
        jdbc.sql("""
                insert into api_key (id, tenant_id, key_id, name, secret_hash, permissions, created_by, created_at, expires_at)
                values (:id, :tenantId, :keyId, :name, :secretHash, :permissions, :createdBy, :createdAt, :expiresAt)""")
                .param("id", key.id())
                .param("tenantId", key.tenantId())
                .param("keyId", key.keyId())
                .param("name", key.name())
                .param("secretHash", secretHash)
                .param(
                        "permissions",
                        key.permissions().stream().map(Permission::authority).toArray(String[]::new))
                .param("createdBy", key.createdBy())
                .param("createdAt", Timestamp.from(key.createdAt()))
                .param("expiresAt", key.expiresAt() == null ? null : Timestamp.from(key.expiresAt()))
                .update();
    }

    /** The key and its secret digest, for authentication; revoked and expired keys included. */
    Optional<Stored> findByKeyId(String keyId) {
        return jdbc.sql("select " + COLUMNS + ", secret_hash from api_key where key_id = :keyId")
                .param("keyId", keyId)
                .query((rs, row) -> new Stored(map(rs, row), rs.getBytes("secret_hash")))
                .optional();
    }

    Optional<ApiKey> find(UUID tenantId, UUID id) {
        return jdbc.sql("select " + COLUMNS + " from api_key where tenant_id = :tenantId and id = :id")
                .param("tenantId", tenantId)
                .param("id", id)
                .query(ApiKeyRepository::map)
                .optional();
    }

    List<ApiKey> page(UUID tenantId, @Nullable UUID after, int limit) {
        return jdbc.sql("select " + COLUMNS + " from api_key where tenant_id = :tenantId"
                        + " and (cast(:after as uuid) is null or id > :after) order by id limit :limit")
                .param("tenantId", tenantId)
                .param("after", after)
                .param("limit", limit)
                .query(ApiKeyRepository::map)
                .list();
    }

    boolean revoke(UUID tenantId, UUID id) {
        return jdbc.sql("update api_key set revoked_at = now()"
                                + " where tenant_id = :tenantId and id = :id and revoked_at is null")
                        .param("tenantId", tenantId)
                        .param("id", id)
                        .update()
                == 1;
    }

    private static ApiKey map(ResultSet rs, int row) throws SQLException {
        Set<Permission> permissions = EnumSet.noneOf(Permission.class);
        for (String authority : UserAccountRepository.strings(rs.getArray("permissions"))) {
            Permission.fromAuthority(authority).ifPresent(permissions::add);
        }
        Timestamp expires = rs.getTimestamp("expires_at");
        Timestamp revoked = rs.getTimestamp("revoked_at");
        return new ApiKey(
                rs.getObject("id", UUID.class),
                rs.getObject("tenant_id", UUID.class),
                rs.getString("key_id"),
                rs.getString("name"),
                permissions,
                rs.getString("created_by"),
                rs.getTimestamp("created_at").toInstant(),
                expires == null ? null : expires.toInstant(),
                revoked == null ? null : revoked.toInstant());
    }

    record Stored(ApiKey key, byte[] secretHash) {}
}
