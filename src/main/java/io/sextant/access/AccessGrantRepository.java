package io.sextant.access;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.json.JsonMapper;

@Repository
@Transactional
class AccessGrantRepository {

    private static final String COLUMNS =
            "id, subject, role, scope::text as scope, valid_from, valid_until, description, created_by, version, created_at";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final JdbcClient jdbc;

    AccessGrantRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    void insert(UUID tenantId, AccessGrant grant) {
        jdbc.sql("""
                insert into access_grant (id, tenant_id, subject, role, scope, valid_from, valid_until,
                                          description, created_by, created_at)
                values (:id, :tenantId, :subject, :role, cast(:scope as jsonb), :validFrom, :validUntil,
                        :description, :createdBy, :createdAt)""")
                .param("id", grant.id())
                .param("tenantId", tenantId)
                .param("subject", grant.subject())
                .param("role", grant.role())
                .param("scope", grant.scope().toString())
                .param("validFrom", timestamp(grant.validFrom()))
                .param("validUntil", timestamp(grant.validUntil()))
                .param("description", grant.description())
                .param("createdBy", grant.createdBy())
                .param("createdAt", Timestamp.from(grant.createdAt()))
                .update();
    }

    Optional<AccessGrant> find(UUID tenantId, UUID id) {
        return jdbc.sql("select " + COLUMNS + " from access_grant where tenant_id = :tenantId and id = :id")
                .param("tenantId", tenantId)
                .param("id", id)
                .query(AccessGrantRepository::map)
                .optional();
    }

    /** The grants of any of {@code subjects}, oldest first. */
    List<AccessGrant> ofSubjects(UUID tenantId, Collection<String> subjects) {
        return jdbc.sql("select " + COLUMNS + " from access_grant where tenant_id = :tenantId"
                        + " and subject = any(cast(:subjects as text[])) order by created_at, id")
                .param("tenantId", tenantId)
                .param("subjects", subjects.toArray(String[]::new))
                .query(AccessGrantRepository::map)
                .list();
    }

    List<AccessGrant> page(
            UUID tenantId, @Nullable String subject, @Nullable String role, @Nullable UUID after, int limit) {
        return jdbc.sql("select " + COLUMNS + " from access_grant where tenant_id = :tenantId"
                        + " and (cast(:subject as text) is null or subject = :subject)"
                        + " and (cast(:role as text) is null or role = :role)"
                        + " and (cast(:after as uuid) is null or id > :after) order by id limit :limit")
                .param("tenantId", tenantId)
                .param("subject", subject)
                .param("role", role)
                .param("after", after)
                .param("limit", limit)
                .query(AccessGrantRepository::map)
                .list();
    }

    boolean roleInUse(UUID tenantId, String role) {
        return jdbc.sql("select exists (select 1 from access_grant where tenant_id = :tenantId and role = :role)")
                .param("tenantId", tenantId)
                .param("role", role)
                .query(Boolean.class)
                .single();
    }

    long count(UUID tenantId) {
        return jdbc.sql("select count(*) from access_grant where tenant_id = :tenantId")
                .param("tenantId", tenantId)
                .query(Long.class)
                .single();
    }

    boolean delete(UUID tenantId, UUID id) {
        return jdbc.sql("delete from access_grant where tenant_id = :tenantId and id = :id")
                        .param("tenantId", tenantId)
                        .param("id", id)
                        .update()
                == 1;
    }

    private static @Nullable Timestamp timestamp(@Nullable Instant instant) {
        return instant == null ? null : Timestamp.from(instant);
    }

    private static AccessGrant map(ResultSet rs, int row) throws SQLException {
        Timestamp from = rs.getTimestamp("valid_from");
        Timestamp until = rs.getTimestamp("valid_until");
        return new AccessGrant(
                rs.getObject("id", UUID.class),
                rs.getString("subject"),
                rs.getString("role"),
                JSON.readTree(rs.getString("scope")),
                from == null ? null : from.toInstant(),
                until == null ? null : until.toInstant(),
                rs.getString("description"),
                rs.getString("created_by"),
                rs.getLong("version"),
                rs.getTimestamp("created_at").toInstant());
    }
}
