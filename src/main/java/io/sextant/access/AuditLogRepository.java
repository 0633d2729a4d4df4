package io.sextant.access;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The {@code audit_log} table: appends and the filtered, newest-first search. */
@Repository
class AuditLogRepository {

    private static final String COLUMNS = "id, occurred_at, actor, actor_name, action, resource_type, resource_id,"
            + " request_id, outcome, before, after, detail";

    private final JdbcClient jdbc;
    private final JsonMapper json;

    AuditLogRepository(JdbcClient jdbc, JsonMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    /**
     * Appends {@code entry} in the transaction under way, which must exist: an entry commits with
     * its change or not at all.
     *
     * @param tenantId the tenant it belongs to; null only for a denied request of no known tenant
     */
    @Transactional(propagation = Propagation.MANDATORY)
    void append(@Nullable UUID tenantId, AuditLogEntry entry) {
        jdbc.sql("""
                insert into audit_log (id, tenant_id, occurred_at, actor, actor_name, action, resource_type,
                                       resource_id, request_id, outcome, before, after, detail)
                values (:id, :tenantId, :occurredAt, :actor, :actorName, :action, :resourceType,
                        :resourceId, :requestId, :outcome, cast(:before as jsonb), cast(:after as jsonb),
                        cast(:detail as jsonb))""")
                .param("id", entry.id())
                .param("tenantId", tenantId)
                .param("occurredAt", Timestamp.from(entry.occurredAt()))
                .param("actor", entry.actor())
                .param("actorName", entry.actorName())
                .param("action", entry.action())
                .param("resourceType", entry.resourceType())
                .param("resourceId", entry.resourceId())
                .param("requestId", entry.requestId())
                .param("outcome", entry.outcome())
                .param("before", text(entry.before()))
                .param("after", text(entry.after()))
                .param("detail", text(entry.detail()))
                .update();
    }

    /** Up to {@code limit} of the tenant's entries that {@code query} admits, older than {@code before}, newest first. */
    @Transactional(readOnly = true)
    List<AuditLogEntry> page(UUID tenantId, AuditLogQuery query, @Nullable UUID before, int limit) {
        StringBuilder sql = new StringBuilder("select " + COLUMNS + " from audit_log where tenant_id = :tenantId");
        // Only the conditions asked for, so that the planner picks the index that fits them.
        if (before != null) {
            sql.append(" and id < :before");
        }
        if (query.actor() != null) {
            sql.append(" and actor = :actor");
        }
        if (query.exactAction() != null) {
            sql.append(" and action = :action");
        }
        if (query.actionPrefix() != null) {
            sql.append(" and action like :actionPattern");
        }
        if (query.resourceType() != null) {
            sql.append(" and resource_type = :resourceType");
        }
        if (query.resourceId() != null) {
            sql.append(" and resource_id = :resourceId");
        }
        if (query.outcome() != null) {
            sql.append(" and outcome = :outcome");
        }
        if (query.from() != null) {
            sql.append(" and occurred_at >= :from");
        }
        if (query.to() != null) {
            sql.append(" and occurred_at < :to");
        }
        sql.append(" order by id desc limit :limit");
        var statement = jdbc.sql(sql.toString()).param("tenantId", tenantId).param("limit", limit);
        if (before != null) {
            statement = statement.param("before", before);
        }
        if (query.actor() != null) {
            statement = statement.param("actor", query.actor());
        }
        if (query.exactAction() != null) {
            statement = statement.param("action", query.exactAction());
        }
        String prefix = query.actionPrefix();
        if (prefix != null) {
            statement = statement.param("actionPattern", prefix.replace("_", "\\_") + "%");
        }
        if (query.resourceType() != null) {
            statement = statement.param("resourceType", query.resourceType());
        }
        if (query.resourceId() != null) {
            statement = statement.param("resourceId", query.resourceId());
        }
        if (query.outcome() != null) {
            statement = statement.param("outcome", query.outcome());
        }
        if (query.from() != null) {
            statement = statement.param("from", Timestamp.from(query.from()));
        }
        if (query.to() != null) {
            statement = statement.param("to", Timestamp.from(query.to()));
        }
        return statement.query(this::map).list();
    }

    private AuditLogEntry map(ResultSet rs, int row) throws SQLException {
        return new AuditLogEntry(
                rs.getObject("id", UUID.class),
                rs.getTimestamp("occurred_at").toInstant(),
                rs.getString("actor"),
                rs.getString("actor_name"),
                rs.getString("action"),
                rs.getString("resource_type"),
                rs.getString("resource_id"),
                rs.getString("request_id"),
                rs.getString("outcome"),
                node(rs.getString("before")),
                node(rs.getString("after")),
                node(rs.getString("detail")));
    }

    private @Nullable String text(@Nullable JsonNode node) {
        return node == null ? null : json.writeValueAsString(node);
    }

    private @Nullable JsonNode node(@Nullable String text) {
        return text == null ? null : json.readTree(text);
    }
}
