package io.sextant.workflow;

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

/** The published definitions of each tenant, one immutable row per key and version. */
@Repository
@Transactional
class WorkflowDefinitionRepository {

    private static final String COLUMNS = "key, version, description, format, document, published_at, published_by";

    private final JdbcClient jdbc;

    WorkflowDefinitionRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** The latest version of the key, 0 when none is published; locks the key's versions against a concurrent publish. */
    int latestVersionForUpdate(UUID tenantId, String key) {
        // a transaction-scoped advisory lock on (tenant, key): two publishes of one key take turns
        jdbc.sql("select pg_advisory_xact_lock(hashtextextended(cast(:tenantId as text) || '/workflow/' || :key, 0))")
                .param("tenantId", tenantId)
                .param("key", key)
                .query(Object.class)
                .single();
        return jdbc.sql(
                        "select coalesce(max(version), 0) from workflow_definition where tenant_id = :tenantId and key = :key")
                .param("tenantId", tenantId)
                .param("key", key)
                .query(Integer.class)
                .single();
    }

    void insert(UUID tenantId, PublishedDefinition definition) {
        jdbc.sql("""
                        insert into workflow_definition
                            (tenant_id, key, version, description, format, document, published_at, published_by)
                        values (:tenantId, :key, :version, :description, :format, :document, :publishedAt, :publishedBy)""")
                .param("tenantId", tenantId)
                .param("key", definition.key())
                .param("version", definition.version())
                .param("description", definition.description())
                .param("format", definition.format())
                .param("document", definition.document())
                .param("publishedAt", Timestamp.from(definition.publishedAt()))
                .param("publishedBy", definition.publishedBy())
                .update();
    }

    Optional<PublishedDefinition> find(UUID tenantId, String key, int version) {
        return jdbc.sql("select " + COLUMNS
                        + " from workflow_definition where tenant_id = :tenantId and key = :key and version = :version")
                .param("tenantId", tenantId)
                .param("key", key)
                .param("version", version)
                .query(WorkflowDefinitionRepository::map)
                .optional();
    }

    Optional<PublishedDefinition> latest(UUID tenantId, String key) {
        return jdbc.sql("select " + COLUMNS + " from workflow_definition where tenant_id = :tenantId and key = :key"
                        + " order by version desc limit 1")
                .param("tenantId", tenantId)
                .param("key", key)
                .query(WorkflowDefinitionRepository::map)
                .optional();
    }

    /** The latest version of each key, by key, after {@code afterKey}. */
    List<PublishedDefinition> pageOfLatest(UUID tenantId, @Nullable String afterKey, int limit) {
        return jdbc.sql("""
                        select distinct on (key) %s from workflow_definition
                        where tenant_id = :tenantId and (cast(:after as text) is null or key > :after)
                        order by key, version desc
                        limit :limit""".formatted(COLUMNS))
                .param("tenantId", tenantId)
                .param("after", afterKey)
                .param("limit", limit)
                .query(WorkflowDefinitionRepository::map)
                .list();
    }

    /** The key's versions, newest first, before {@code beforeVersion}. */
    List<PublishedDefinition> versions(UUID tenantId, String key, @Nullable Integer beforeVersion, int limit) {
        return jdbc.sql("""
                        select %s from workflow_definition
                        where tenant_id = :tenantId and key = :key
                          and (cast(:before as integer) is null or version < :before)
                        order by version desc
                        limit :limit""".formatted(COLUMNS))
                .param("tenantId", tenantId)
                .param("key", key)
                .param("before", beforeVersion)
                .param("limit", limit)
                .query(WorkflowDefinitionRepository::map)
                .list();
    }

    private static PublishedDefinition map(ResultSet rs, int row) throws SQLException {
        return new PublishedDefinition(
                rs.getString("key"),
                rs.getInt("version"),
                rs.getString("description"),
                rs.getString("format"),
                rs.getString("document"),
                rs.getTimestamp("published_at").toInstant(),
                rs.getString("published_by"));
    }
}
