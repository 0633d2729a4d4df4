package io.sextant.access;

import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Transactional;

@Repository
@Transactional
class AccessRoleRepository {

    private static final String COLUMNS = "name, description, permissions, version, created_at, updated_at";

    private final JdbcClient jdbc;

    AccessRoleRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    List<AccessRole> all(UUID tenantId) {
        return jdbc.sql("select " + COLUMNS + " from access_role where tenant_id = :tenantId order by name")
                .param("tenantId", tenantId)
                .query(AccessRoleRepository::map)
                .list();
    }

    Optional<AccessRole> find(UUID tenantId, String name) {
        return jdbc.sql("select " + COLUMNS + " from access_role where tenant_id = :tenantId and name = :name")
                .param("tenantId", tenantId)
                .param("name", name)
                .query(AccessRoleRepository::map)
                .optional();
    }

    long count(UUID tenantId) {
        return jdbc.sql("select count(*) from access_role where tenant_id = :tenantId")
                .param("tenantId", tenantId)
                .query(Long.class)
                .single();
    }

    /** False when the name is taken. */
    boolean insert(UUID tenantId, String name, String description, List<String> permissions) {
        return jdbc.sql("""
                        insert into access_role (tenant_id, name, description, permissions)
                        values (:tenantId, :name, :description, :permissions) on conflict do nothing""")
                        .param("tenantId", tenantId)
                        .param("name", name)
                        .param("description", description)
                        .param("permissions", permissions.toArray(String[]::new))
                        .update()
                == 1;
    }

    /** False when the role is missing or at another version. */
    boolean update(UUID tenantId, String name, long expectedVersion, String description, List<String> permissions) {
        return jdbc.sql("""
                        update access_role set description = :description, permissions = :permissions,
                               version = version + 1, updated_at = now()
                        where tenant_id = :tenantId and name = :name and version = :version""")
                        .param("tenantId", tenantId)
                        .param("name", name)
                        .param("version", expectedVersion)
                        .param("description", description)
                        .param("permissions", permissions.toArray(String[]::new))
                        .update()
                == 1;
    }

    boolean delete(UUID tenantId, String name) {
        return jdbc.sql("delete from access_role where tenant_id = :tenantId and name = :name")
                        .param("tenantId", tenantId)
                        .param("name", name)
                        .update()
                == 1;
    }

    private static AccessRole map(ResultSet rs, int row) throws SQLException {
        return new AccessRole(
                rs.getString("name"),
                rs.getString("description"),
                strings(rs.getArray("permissions")),
                false,
                rs.getLong("version"),
                rs.getTimestamp("created_at").toInstant(),
                rs.getTimestamp("updated_at").toInstant());
    }

    static List<String> strings(Array array) throws SQLException {
        return Arrays.asList((String[]) array.getArray());
    }
}
