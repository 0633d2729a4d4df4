package io.sextant.identity;

import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Transactional;

@Repository
@Transactional
class UserAccountRepository {

    private static final String COLUMNS = "id, tenant_id, username, roles, created_at, disabled_at";

    private final JdbcClient jdbc;

    UserAccountRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    void insert(UserAccount user, String passwordHash) {
        jdbc.sql("""
                insert into user_account (id, tenant_id, username, password_hash, roles, created_at)
                values (:id, :tenantId, :username, :passwordHash, :roles, :createdAt)""")
                .param("id", user.id())
                .param("tenantId", user.tenantId())
                .param("username", user.username())
                .param("passwordHash", passwordHash)
                .param("roles", user.roles().toArray(String[]::new))
                .param("createdAt", Timestamp.from(user.createdAt()))
                .update();
    }

    boolean usernameTaken(UUID tenantId, String username) {
        return jdbc.sql("select exists (select from user_account where tenant_id = :tenantId and username = :username)")
                .param("tenantId", tenantId)
                .param("username", username)
                .query(Boolean.class)
                .single();
    }

    /** Enabled accounts of this name in any tenant, at most {@code limit}, for sign-in without a tenant. */
    List<Credentials> findCredentials(String username, int limit) {
        return jdbc.sql("select " + COLUMNS + ", password_hash from user_account"
                        + " where username = :username and disabled_at is null order by id limit :limit")
                .param("username", username)
                .param("limit", limit)
                .query((rs, row) -> new Credentials(map(rs, row), rs.getString("password_hash")))
                .list();
    }

    /** The enabled account of this name in the tenant, for sign-in. */
    Optional<Credentials> findCredentials(UUID tenantId, String username) {
        return jdbc.sql("select " + COLUMNS + ", password_hash from user_account"
                        + " where tenant_id = :tenantId and username = :username and disabled_at is null")
                .param("tenantId", tenantId)
                .param("username", username)
                .query((rs, row) -> new Credentials(map(rs, row), rs.getString("password_hash")))
                .optional();
    }

    /** The account by id if it is enabled: what a token names, read on every request. */
    Optional<UserAccount> findEnabled(UUID id) {
        return jdbc.sql("select " + COLUMNS + " from user_account where id = :id and disabled_at is null")
                .param("id", id)
                .query(UserAccountRepository::map)
                .optional();
    }

    Optional<UserAccount> find(UUID tenantId, UUID id) {
        return jdbc.sql("select " + COLUMNS + " from user_account where tenant_id = :tenantId and id = :id")
                .param("tenantId", tenantId)
                .param("id", id)
                .query(UserAccountRepository::map)
                .optional();
    }

    List<UserAccount> page(UUID tenantId, @Nullable UUID after, int limit) {
        return jdbc.sql("select " + COLUMNS + " from user_account where tenant_id = :tenantId"
                        + " and (cast(:after as uuid) is null or id > :after) order by id limit :limit")
                .param("tenantId", tenantId)
                .param("after", after)
                .param("limit", limit)
                .query(UserAccountRepository::map)
                .list();
    }

    /** Replaces the roles and enables or disables the account; the account as it is then. */
    Optional<UserAccount> update(UUID tenantId, UUID id, List<String> roles, boolean disabled) {
        return jdbc.sql("update user_account set roles = :roles,"
                        + " disabled_at = case when :disabled then coalesce(disabled_at, now()) end"
                        + " where tenant_id = :tenantId and id = :id returning " + COLUMNS)
                .param("tenantId", tenantId)
                .param("id", id)
                .param("roles", roles.toArray(String[]::new))
                .param("disabled", disabled)
                .query(UserAccountRepository::map)
                .optional();
    }

    boolean delete(UUID tenantId, UUID id) {
        return jdbc.sql("delete from user_account where tenant_id = :tenantId and id = :id")
                        .param("tenantId", tenantId)
                        .param("id", id)
                        .update()
                == 1;
    }

    static UserAccount map(ResultSet rs, int row) throws SQLException {
        Timestamp disabled = rs.getTimestamp("disabled_at");
        return new UserAccount(
                rs.getObject("id", UUID.class),
                rs.getObject("tenant_id", UUID.class),
                rs.getString("username"),
                strings(rs.getArray("roles")),
                rs.getTimestamp("created_at").toInstant(),
                disabled == null ? null : disabled.toInstant());
    }

    static List<String> strings(Array array) throws SQLException {
        return Arrays.asList((String[]) array.getArray());
    }

    record Credentials(UserAccount user, String passwordHash) {}

    /** Serialises the bootstrap across nodes starting at once on an empty database (held to commit). */
    void lockBootstrap() {
        jdbc.sql("select pg_advisory_xact_lock(7365787462)").query().singleRow();
    }
}
