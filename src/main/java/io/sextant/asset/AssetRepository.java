package io.sextant.asset;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * Assets in PostgreSQL. Every statement filters by tenant; row-level security backs that up. Updates
 * and deletes are conditional on the version the caller saw (optimistic concurrency).
 */
@Repository
@Transactional
class AssetRepository {

    private static final String COLUMNS =
            "id, tenant_id, external_id, name, type, tags, attributes::text as attributes,"
                    + " classification, version, created_at, updated_at";
    private static final TypeReference<Map<String, Object>> OBJECT = new TypeReference<>() {};

    private final JdbcClient jdbc;
    private final JsonMapper json = JsonMapper.builder().build();

    AssetRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    void insert(Asset asset) {
        jdbc.sql("""
                insert into asset (id, tenant_id, external_id, name, type, tags, attributes, classification,
                                   version, created_at, updated_at)
                values (:id, :tenantId, :externalId, :name, :type, :tags, cast(:attributes as jsonb),
                        :classification, :version, :createdAt, :updatedAt)""")
                .param("id", asset.id())
                .param("tenantId", asset.tenantId())
                .param("externalId", asset.externalId())
                .param("name", asset.name())
                .param("type", asset.type())
                .param("tags", asset.tags().toArray(String[]::new))
                .param("attributes", json.writeValueAsString(asset.attributes()))
                .param("classification", asset.classification().id())
                .param("version", asset.version())
                .param("createdAt", Timestamp.from(asset.createdAt()))
                .param("updatedAt", Timestamp.from(asset.updatedAt()))
                .update();
    }

    /** Inserts the assets whose external id is free; returns those inserted. */
    List<Asset> insertMissing(List<Asset> assets) {
        if (assets.isEmpty()) {
            return List.of();
        }
        Asset first = assets.getFirst();
        java.util.Set<UUID> inserted = new java.util.HashSet<>(jdbc.sql("""
                insert into asset (id, tenant_id, external_id, name, type, classification, created_at, updated_at)
                select i, :tenantId, e, e, :type, :classification, :now, :now
                from unnest(cast(:ids as uuid[]), cast(:externalIds as text[])) as u(i, e)
                on conflict (tenant_id, external_id) do nothing
                returning id""")
                .param("tenantId", first.tenantId())
                .param("type", first.type())
                .param("classification", first.classification().id())
                .param("now", Timestamp.from(first.createdAt()))
                .param("ids", assets.stream().map(Asset::id).toArray(UUID[]::new))
                .param("externalIds", assets.stream().map(Asset::externalId).toArray(String[]::new))
                .query(UUID.class)
                .list());
        return assets.stream().filter(a -> inserted.contains(a.id())).toList();
    }

    Optional<Asset> find(UUID tenantId, UUID id) {
        return jdbc.sql("select " + COLUMNS + " from asset where tenant_id = :tenantId and id = :id")
                .param("tenantId", tenantId)
                .param("id", id)
                .query(this::map)
                .optional();
    }

    Optional<Asset> findByExternalId(UUID tenantId, String externalId) {
        return jdbc.sql("select " + COLUMNS + " from asset where tenant_id = :tenantId and external_id = :externalId")
                .param("tenantId", tenantId)
                .param("externalId", externalId)
                .query(this::map)
                .optional();
    }

    /** Replaces the mutable fields if the stored version is {@code expectedVersion}. */
    boolean update(Asset asset, long expectedVersion) {
        return jdbc.sql("""
                        update asset set external_id = :externalId, name = :name, type = :type, tags = :tags,
                               attributes = cast(:attributes as jsonb), classification = :classification,
                               version = :version, updated_at = :updatedAt
                        where tenant_id = :tenantId and id = :id and version = :expectedVersion""")
                        .param("tenantId", asset.tenantId())
                        .param("id", asset.id())
                        .param("externalId", asset.externalId())
                        .param("name", asset.name())
                        .param("type", asset.type())
                        .param("tags", asset.tags().toArray(String[]::new))
                        .param("attributes", json.writeValueAsString(asset.attributes()))
                        .param("classification", asset.classification().id())
                        .param("version", asset.version())
                        .param("updatedAt", Timestamp.from(asset.updatedAt()))
                        .param("expectedVersion", expectedVersion)
                        .update()
                == 1;
    }

    /**
     * Deletes the asset and records its removal for nodes that follow others' changes (a day's
     * removals are kept: a follower further behind than that rebuilds on restart).
     */
    boolean delete(UUID tenantId, UUID id, @Nullable Long expectedVersion) {
        boolean deleted = jdbc.sql("delete from asset where tenant_id = :tenantId and id = :id"
                                + " and (cast(:expectedVersion as bigint) is null or version = :expectedVersion)")
                        .param("tenantId", tenantId)
                        .param("id", id)
                        .param("expectedVersion", expectedVersion)
                        .update()
                == 1;
        if (deleted) {
            jdbc.sql("""
                            insert into asset_removal (asset_id, tenant_id) values (:id, :tenantId)
                            on conflict (asset_id) do update set removed_at = now()""").param("id", id).param("tenantId", tenantId).update();
            jdbc.sql("delete from asset_removal where tenant_id = :tenantId and removed_at < now() - interval '1 day'")
                    .param("tenantId", tenantId)
                    .update();
        }
        return deleted;
    }

    /** Assets of every tenant changed at or after {@code since}; returns the latest change seen. */
    @Nullable
    Instant forEachChangedSince(Instant since, java.util.function.Consumer<AssetSummary> consumer) {
        Instant[] latest = new Instant[1];
        jdbc.sql("select tenant_id, id, external_id, type, tags, classification, updated_at from asset"
                        + " where updated_at >= :since")
                .param("since", Timestamp.from(since))
                .query(rs -> {
                    consumer.accept(summary(rs));
                    Instant updated = rs.getTimestamp(7).toInstant();
                    if (latest[0] == null || updated.isAfter(latest[0])) {
                        latest[0] = updated;
                    }
                });
        return latest[0];
    }

    /** Assets of every tenant removed at or after {@code since}, with when. */
    List<AssetRemoval> removedSince(Instant since) {
        return jdbc.sql("select asset_id, removed_at from asset_removal where removed_at >= :since")
                .param("since", Timestamp.from(since))
                .query((rs, row) -> new AssetRemoval(
                        rs.getObject(1, UUID.class), rs.getTimestamp(2).toInstant()))
                .list();
    }

    AssetIds resolve(UUID tenantId, Collection<UUID> ids, Collection<String> externalIds) {
        Map<UUID, String> byId = new HashMap<>();
        Map<String, UUID> byExternalId = new HashMap<>();
        // Two index lookups rather than one OR, so the plan does not hinge on fresh statistics.
        jdbc.sql("""
                select id, external_id from asset where tenant_id = :tenantId and id = any(:ids)
                union
                select id, external_id from asset where tenant_id = :tenantId and external_id = any(:externalIds)""")
                .param("tenantId", tenantId)
                .param("ids", ids.toArray(UUID[]::new))
                .param("externalIds", externalIds.toArray(String[]::new))
                .query((rs, row) -> {
                    UUID id = rs.getObject("id", UUID.class);
                    String externalId = rs.getString("external_id");
                    byId.put(id, externalId);
                    byExternalId.put(externalId, id);
                    return id;
                })
                .list();
        return new AssetIds(byId, byExternalId);
    }

    void forEachOf(UUID tenantId, Collection<UUID> ids, java.util.function.Consumer<AssetSummary> consumer) {
        jdbc.sql("select tenant_id, id, external_id, type, tags, classification from asset"
                        + " where tenant_id = :tenantId and id = any(:ids)")
                .param("tenantId", tenantId)
                .param("ids", ids.toArray(UUID[]::new))
                .query(rs -> {
                    consumer.accept(summary(rs));
                });
    }

    void forEach(java.util.function.Consumer<AssetSummary> consumer) {
        jdbc.sql("select tenant_id, id, external_id, type, tags, classification from asset")
                .withFetchSize(10_000)
                .query(rs -> {
                    consumer.accept(summary(rs));
                });
    }

    private static AssetSummary summary(ResultSet rs) throws SQLException {
        return new AssetSummary(
                rs.getObject(1, UUID.class),
                rs.getObject(2, UUID.class),
                rs.getString(3),
                rs.getString(4),
                List.of((String[]) rs.getArray(5).getArray()),
                Classification.fromId(rs.getString(6)));
    }

    /** The ids of a tenant's assets of {@code type} (any if null) carrying every one of {@code tags}. */
    List<UUID> idsMatching(UUID tenantId, @Nullable String type, List<String> tags) {
        return jdbc.sql("select id from asset where tenant_id = :tenantId"
                        + " and (cast(:type as text) is null or type = :type)"
                        + " and tags @> cast(:tags as text[])")
                .param("tenantId", tenantId)
                .param("type", type)
                .param("tags", tags.toArray(String[]::new))
                .query((rs, row) -> rs.getObject(1, UUID.class))
                .list();
    }

    /** The ids of the tenant's assets matching {@code predicate} (over the asset table), in id order. */
    List<UUID> idsWhere(UUID tenantId, io.sextant.shared.access.SqlPredicate predicate) {
        var statement = jdbc.sql(
                        "select id from asset where tenant_id = :tenantId and (" + predicate.sql() + ") order by id")
                .param("tenantId", tenantId);
        for (var param : predicate.params().entrySet()) {
            statement = statement.param(param.getKey(), param.getValue());
        }
        return statement.query((rs, row) -> rs.getObject(1, UUID.class)).list();
    }

    /**
     * A keyset page in id (creation) order, filtered by type, by tags (all of them) and by {@code
     * reach} (over the asset table; its parameters' names must not clash with {@code tenantId},
     * {@code type}, {@code tags}, {@code after} and {@code limit}).
     */
    List<Asset> page(
            UUID tenantId,
            @Nullable String type,
            List<String> tags,
            io.sextant.shared.access.SqlPredicate reach,
            @Nullable UUID after,
            int limit) {
        boolean narrowed = !reach.sql().equals("true");
        var statement = jdbc.sql("select " + COLUMNS + " from asset where tenant_id = :tenantId"
                        + " and (cast(:type as text) is null or type = :type)"
                        + " and tags @> cast(:tags as text[])"
                        + (narrowed ? " and (" + reach.sql() + ")" : "")
                        + " and (cast(:after as uuid) is null or id > :after)"
                        + " order by id limit :limit")
                .param("tenantId", tenantId)
                .param("type", type)
                .param("tags", tags.toArray(String[]::new))
                .param("after", after)
                .param("limit", limit);
        for (var param : reach.params().entrySet()) {
            statement = statement.param(param.getKey(), param.getValue());
        }
        return statement.query(this::map).list();
    }

    private Asset map(ResultSet rs, int row) throws SQLException {
        return new Asset(
                rs.getObject("id", UUID.class),
                rs.getObject("tenant_id", UUID.class),
                rs.getString("external_id"),
                rs.getString("name"),
                rs.getString("type"),
                List.of((String[]) rs.getArray("tags").getArray()),
                json.readValue(rs.getString("attributes"), OBJECT),
                Classification.fromId(rs.getString("classification")),
                rs.getLong("version"),
                rs.getTimestamp("created_at").toInstant(),
                rs.getTimestamp("updated_at").toInstant());
    }
}
