package io.sextant.workflow;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/** Instances, their bindings and their history; always in the caller's (tenant-scoped) transaction. */
@Repository
@Transactional
class WorkflowInstanceRepository {

    private static final String COLUMNS = """
            tenant_id, id, definition_key, definition_version, state, version, finished, variables, assets, zones,
            timers, parent_id, created_by, created_at, updated_at""";

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final TypeReference<Map<String, String>> ROLES = new TypeReference<>() {};

    private final JdbcClient jdbc;

    WorkflowInstanceRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    void insert(StoredInstance instance) {
        InstanceState state = instance.state();
        jdbc.sql("""
                        insert into workflow_instance (%s)
                        values (:tenantId, :id, :key, :definitionVersion, :state, :version, :finished,
                                cast(:variables as jsonb), cast(:assets as jsonb), cast(:zones as jsonb),
                                cast(:timers as jsonb), :parentId, :createdBy, :createdAt, :updatedAt)""".formatted(COLUMNS))
                .param("tenantId", instance.tenantId())
                .param("id", instance.id())
                .param("key", instance.definitionKey())
                .param("definitionVersion", instance.definitionVersion())
                .param("state", state.state())
                .param("version", state.version())
                .param("finished", instance.finished())
                .param("variables", InstanceStateJson.variablesToJson(state.variables()))
                .param("assets", JSON.writeValueAsString(new TreeMap<>(state.assets())))
                .param("zones", JSON.writeValueAsString(new TreeMap<>(state.zones())))
                .param("timers", InstanceStateJson.timersToJson(state.timers()))
                .param("parentId", instance.parentId())
                .param("createdBy", instance.createdBy())
                .param("createdAt", Timestamp.from(instance.createdAt()))
                .param("updatedAt", Timestamp.from(instance.updatedAt()))
                .update();
        bind(instance, "asset", state.assets());
        bind(instance, "zone", state.zones());
    }

    private void bind(StoredInstance instance, String kind, Map<String, String> roles) {
        for (Map.Entry<String, String> role : roles.entrySet()) {
            jdbc.sql("""
                            insert into workflow_binding (tenant_id, instance_id, kind, role, ref_id, running)
                            values (:tenantId, :instanceId, :kind, :role, cast(:refId as uuid), :running)""")
                    .param("tenantId", instance.tenantId())
                    .param("instanceId", instance.id())
                    .param("kind", kind)
                    .param("role", role.getKey())
                    .param("refId", role.getValue())
                    .param("running", !instance.finished())
                    .update();
        }
    }

    /**
     * Stores the instance's new state if it is still at {@code expectedVersion}; false when another
     * transition got there first. A finished instance's bindings stop correlating.
     */
    boolean update(StoredInstance instance, long expectedVersion) {
        InstanceState state = instance.state();
        int updated = jdbc.sql("""
                        update workflow_instance
                        set state = :state, version = :version, finished = :finished, definition_version = :definitionVersion,
                            variables = cast(:variables as jsonb), timers = cast(:timers as jsonb), updated_at = :updatedAt
                        where tenant_id = :tenantId and id = :id and version = :expected""")
                .param("tenantId", instance.tenantId())
                .param("id", instance.id())
                .param("expected", expectedVersion)
                .param("state", state.state())
                .param("version", state.version())
                .param("finished", instance.finished())
                .param("definitionVersion", instance.definitionVersion())
                .param("variables", InstanceStateJson.variablesToJson(state.variables()))
                .param("timers", InstanceStateJson.timersToJson(state.timers()))
                .param("updatedAt", Timestamp.from(instance.updatedAt()))
                .update();
        if (updated == 1 && instance.finished()) {
            jdbc.sql("update workflow_binding set running = false where tenant_id = :tenantId and instance_id = :id")
                    .param("tenantId", instance.tenantId())
                    .param("id", instance.id())
                    .update();
        }
        return updated == 1;
    }

    void appendHistory(UUID tenantId, UUID instanceId, long seq, Step.HistoryEntry entry, Map<String, Object> changed) {
        jdbc.sql("""
                        insert into workflow_history (tenant_id, instance_id, seq, at, cause, actor, from_state, to_state, changed)
                        values (:tenantId, :instanceId, :seq, :at, :cause, :actor, :from, :to, cast(:changed as jsonb))""")
                .param("tenantId", tenantId)
                .param("instanceId", instanceId)
                .param("seq", seq)
                .param("at", Timestamp.from(entry.at()))
                .param("cause", entry.cause())
                .param("actor", entry.actor())
                .param("from", entry.from())
                .param("to", entry.to())
                .param("changed", InstanceStateJson.variablesToJson(changed))
                .update();
    }

    Optional<StoredInstance> find(UUID tenantId, UUID id) {
        return jdbc.sql("select " + COLUMNS + " from workflow_instance where tenant_id = :tenantId and id = :id")
                .param("tenantId", tenantId)
                .param("id", id)
                .query(WorkflowInstanceRepository::map)
                .optional();
    }

    /** The instance, locked until the transaction ends: transitions of one instance take turns. */
    Optional<StoredInstance> lock(UUID tenantId, UUID id) {
        return jdbc.sql("select " + COLUMNS
                        + " from workflow_instance where tenant_id = :tenantId and id = :id for update")
                .param("tenantId", tenantId)
                .param("id", id)
                .query(WorkflowInstanceRepository::map)
                .optional();
    }

    /** A running instance bound (as some role) to {@code refId}. */
    record Bound(UUID refId, UUID instanceId) {}

    /** The running instances bound (as any role) to each of {@code refs}, in instance id order. */
    List<Bound> runningBoundTo(UUID tenantId, Collection<UUID> refs) {
        if (refs.isEmpty()) {
            return List.of();
        }
        return jdbc.sql("""
                        select distinct ref_id, instance_id from workflow_binding
                        where tenant_id = :tenantId and running and ref_id = any(:refs)
                        order by instance_id""")
                .param("tenantId", tenantId)
                .param("refs", refs.toArray(UUID[]::new))
                .query((rs, row) -> new Bound(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class)))
                .list();
    }

    /** The instances with these ids, unlocked: a snapshot to decide which are worth locking. */
    List<StoredInstance> snapshot(UUID tenantId, Collection<UUID> ids) {
        if (ids.isEmpty()) {
            return List.of();
        }
        return jdbc.sql("select " + COLUMNS + " from workflow_instance where tenant_id = :tenantId and id = any(:ids)")
                .param("tenantId", tenantId)
                .param("ids", ids.toArray(UUID[]::new))
                .query(WorkflowInstanceRepository::map)
                .list();
    }

    /** A page of instances in id order after {@code after}, under the filters given. */
    List<StoredInstance> page(
            UUID tenantId,
            @Nullable String definition,
            @Nullable String state,
            @Nullable UUID assetId,
            @Nullable UUID zoneId,
            @Nullable UUID after,
            int limit) {
        return jdbc.sql("""
                        select %s from workflow_instance i
                        where tenant_id = :tenantId
                          and (cast(:definition as text) is null or definition_key = :definition)
                          and (cast(:state as text) is null or state = :state)
                          and (cast(:after as uuid) is null or id > :after)
                          and (cast(:assetId as uuid) is null or exists (select 1 from workflow_binding b
                                where b.tenant_id = :tenantId and b.kind = 'asset' and b.ref_id = :assetId
                                  and b.instance_id = i.id))
                          and (cast(:zoneId as uuid) is null or exists (select 1 from workflow_binding b
                                where b.tenant_id = :tenantId and b.kind = 'zone' and b.ref_id = :zoneId
                                  and b.instance_id = i.id))
                        order by id
                        limit :limit""".formatted(COLUMNS))
                .param("tenantId", tenantId)
                .param("definition", definition)
                .param("state", state)
                .param("assetId", assetId)
                .param("zoneId", zoneId)
                .param("after", after)
                .param("limit", limit)
                .query(WorkflowInstanceRepository::map)
                .list();
    }

    /** Instances of one definition version, in id order after {@code after}: what a migration moves. */
    List<StoredInstance> ofVersion(UUID tenantId, String key, int version, @Nullable UUID after, int limit) {
        return jdbc.sql("""
                        select %s from workflow_instance
                        where tenant_id = :tenantId and definition_key = :key and definition_version = :version
                          and not finished and (cast(:after as uuid) is null or id > :after)
                        order by id
                        limit :limit""".formatted(COLUMNS))
                .param("tenantId", tenantId)
                .param("key", key)
                .param("version", version)
                .param("after", after)
                .param("limit", limit)
                .query(WorkflowInstanceRepository::map)
                .list();
    }

    /** The instance's history, oldest first, after {@code afterSeq}. */
    List<WorkflowHistoryEntry> history(UUID tenantId, UUID instanceId, long afterSeq, int limit) {
        return jdbc.sql("""
                        select seq, at, cause, actor, from_state, to_state, changed from workflow_history
                        where tenant_id = :tenantId and instance_id = :instanceId and seq > :after
                        order by seq
                        limit :limit""")
                .param("tenantId", tenantId)
                .param("instanceId", instanceId)
                .param("after", afterSeq)
                .param("limit", limit)
                .query((rs, row) -> new WorkflowHistoryEntry(
                        rs.getLong("seq"),
                        rs.getTimestamp("at").toInstant(),
                        rs.getString("cause"),
                        rs.getString("actor"),
                        rs.getString("from_state"),
                        rs.getString("to_state"),
                        InstanceStateJson.variablesFromJson(rs.getString("changed"))))
                .list();
    }

    private static StoredInstance map(ResultSet rs, int row) throws SQLException {
        UUID id = rs.getObject("id", UUID.class);
        InstanceState state = new InstanceState(
                id.toString(),
                rs.getString("state"),
                rs.getLong("version"),
                InstanceStateJson.variablesFromJson(rs.getString("variables")),
                JSON.readValue(rs.getString("assets"), ROLES),
                JSON.readValue(rs.getString("zones"), ROLES),
                InstanceStateJson.timersFromJson(rs.getString("timers")));
        Timestamp updated = rs.getTimestamp("updated_at");
        return new StoredInstance(
                rs.getObject("tenant_id", UUID.class),
                id,
                rs.getString("definition_key"),
                rs.getInt("definition_version"),
                state,
                rs.getBoolean("finished"),
                rs.getObject("parent_id", UUID.class),
                rs.getString("created_by"),
                rs.getTimestamp("created_at").toInstant(),
                updated.toInstant());
    }
}
