package io.sextant.identity;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Transactional;

@Repository
@Transactional
class ServiceAccountRepository {

    private static final String COLUMNS = "id, tenant_id, client_id, name, roles, created_at, revoked_at";

    private final JdbcClient jdbc;

    ServiceAccountRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    void insert(ServiceAccount account, String secretHash) {
        jdbc.sql("""
                insert into service_account (id, tenant_id, client_id, name, secret_hash, roles, created_at)
                values (:id, :tenantId, :clientId, :name, :secretHash, :roles, :createdAt)""")
                .param("id", account.id())
                .param("tenantId", account.tenantId())
                .param("clientId", account.clientId())
                .param("name", account.name())
                .param("secretHash", secretHash)
                .param("roles", account.roles().toArray(String[]::new))
                .param("createdAt", Timestamp.from(account.createdAt()))
                .update();
    }

    /** The active account and its secret hash, for the token endpoint. */
    Optional<Credentials> findActiveByClientId(String clientId) {
        return jdbc.sql("select " + COLUMNS + ", secret_hash from service_account"
                        + " where client_id = :clientId and revoked_at is null")
                .param("clientId", clientId)
                .query((rs, row) -> new Credentials(map(rs, row), rs.getString("secret_hash")))
                .optional();
    }

    Optional<ServiceAccount> find(UUID tenantId, UUID id) {
        return jdbc.sql("select " + COLUMNS + " from service_account where tenant_id = :tenantId and id = :id")
                .param("tenantId", tenantId)
                .param("id", id)
                .query(ServiceAccountRepository::map)
                .optional();
    }

    List<ServiceAccount> page(UUID tenantId, @Nullable UUID after, int limit) {
        return jdbc.sql("select " + COLUMNS + " from service_account where tenant_id = :tenantId"
                        + " and (cast(:after as uuid) is null or id > :after) order by id limit :limit")
                .param("tenantId", tenantId)
                .param("after", after)
                .param("limit", limit)
                .query(ServiceAccountRepository::map)
                .list();
    }

    boolean revoke(UUID tenantId, UUID id) {
        return jdbc.sql("update service_account set revoked_at = now()"
                                + " where tenant_id = :tenantId and id = :id and revoked_at is null")
                        .param("tenantId", tenantId)
                        .param("id", id)
                        .update()
                == 1;
    }

    private static ServiceAccount map(ResultSet rs, int row) throws SQLException {
        Timestamp revoked = rs.getTimestamp("revoked_at");
        return new ServiceAccount(
                rs.getObject("id", UUID.class),
                rs.getObject("tenant_id", UUID.class),
                rs.getString("client_id"),
                rs.getString("name"),
                UserAccountRepository.strings(rs.getArray("roles")),
                rs.getTimestamp("created_at").toInstant(),
                revoked == null ? null : revoked.toInstant());
    }

    record Credentials(ServiceAccount account, String secretHash) {}
}
