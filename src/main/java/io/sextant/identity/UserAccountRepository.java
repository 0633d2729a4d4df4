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

    private static final String COLUMNS = "id, tenant_id, username, roles, created_at";

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

    boolean usernameTaken(String username) {
        return jdbc.sql("select exists (select from user_account where username = :username)")
                .param("username", username)
                .query(Boolean.class)
                .single();
    }

    /** The enabled account and its password hash, looked up for sign-in. */
    Optional<Credentials> findCredentials(String username) {
        return jdbc.sql("select " + COLUMNS + ", password_hash from user_account"
                        + " where username = :username and disabled_at is null")
                .param("username", username)
                .query((rs, row) -> new Credentials(map(rs, row), rs.getString("password_hash")))
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

    static UserAccount map(ResultSet rs, int row) throws SQLException {
        return new UserAccount(
                rs.getObject("id", UUID.class),
                rs.getObject("tenant_id", UUID.class),
                rs.getString("username"),
                strings(rs.getArray("roles")),
                rs.getTimestamp("created_at").toInstant());
    }

    static List<String> strings(Array array) throws SQLException {
        return Arrays.asList((String[]) array.getArray());
    }

    record Credentials(UserAccount user, String passwordHash) {}
}
