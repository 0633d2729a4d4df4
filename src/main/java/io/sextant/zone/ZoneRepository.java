package io.sextant.zone;

import io.sextant.shared.access.SqlPredicate;
import io.sextant.shared.geo.BoundingBox;
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
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Zones, their versions and the per-tenant revision counter in PostgreSQL. Every tenant statement
 * filters by tenant; row-level security backs that up.
 */
@Repository
@Transactional
class ZoneRepository {

    private static final String CONTENT =
            "name, tags, attributes::text as attributes, shape_kind, shape::text as shape,"
                    + " schedule::text as schedule, fence::text as fence, bbox_west, bbox_south, bbox_east, bbox_north,"
                    + " created_at";
    private static final String ZONE_COLUMNS = "id, tenant_id, version, deleted_at is not null as deleted, " + CONTENT
            + ", updated_at as changed_at, null::timestamptz as valid_to";
    private static final String VERSION_COLUMNS =
            "zone_id as id, tenant_id, version, deleted, " + CONTENT + ", valid_from as changed_at, valid_to";
    private static final TypeReference<Map<String, Object>> OBJECT = new TypeReference<>() {};

    private final JdbcClient jdbc;
    private final JsonMapper json = JsonMapper.builder().build();

    ZoneRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** The tenant's revision after one more change, and its live zone count after {@code delta}. */
    Revision bump(UUID tenantId, int delta) {
        return jdbc.sql("""
                insert into zone_revision (tenant_id, revision, live_zones) values (:tenantId, 1, greatest(:delta, 0))
                on conflict (tenant_id) do update
                    set revision = zone_revision.revision + 1, live_zones = zone_revision.live_zones + :delta
                returning revision, live_zones""")
                .param("tenantId", tenantId)
                .param("delta", delta)
                .query((rs, row) -> new Revision(rs.getLong(1), rs.getInt(2)))
                .single();
    }

    void insert(StoredZone zone) {
        jdbc.sql("""
                insert into zone (id, tenant_id, version, name, tags, attributes, shape_kind, shape, schedule, fence,
                                  bbox_west, bbox_south, bbox_east, bbox_north, created_at, updated_at)
                values (:id, :tenantId, :version, :name, :tags, cast(:attributes as jsonb), :shapeKind,
                        cast(:shape as jsonb), cast(:schedule as jsonb), cast(:fence as jsonb),
                        :west, :south, :east, :north, :createdAt, :changedAt)""").params(params(zone)).update();
    }

    /** Replaces the content if the zone is live and still at {@code expectedVersion}. */
    boolean update(StoredZone zone, long expectedVersion) {
        return jdbc.sql("""
                        update zone set version = :version, name = :name, tags = :tags,
                               attributes = cast(:attributes as jsonb), shape_kind = :shapeKind,
                               shape = cast(:shape as jsonb), schedule = cast(:schedule as jsonb),
                               fence = cast(:fence as jsonb), bbox_west = :west, bbox_south = :south,
                               bbox_east = :east, bbox_north = :north, updated_at = :changedAt
                        where tenant_id = :tenantId and id = :id and version = :expectedVersion
                          and deleted_at is null""")
                        .params(params(zone))
                        .param("expectedVersion", expectedVersion)
                        .update()
                == 1;
    }

    /** Marks the zone deleted at {@code deletion}'s time and version, if it is still at the version before. */
    boolean markDeleted(StoredZone deletion) {
        return jdbc.sql("""
                        update zone set version = :version, updated_at = :at, deleted_at = :at
                        where tenant_id = :tenantId and id = :id and version = :expectedVersion
                          and deleted_at is null""")
                        .param("tenantId", deletion.tenantId())
                        .param("id", deletion.id())
                        .param("version", deletion.version())
                        .param("expectedVersion", deletion.version() - 1)
                        .param("at", Timestamp.from(deletion.changedAt()))
                        .update()
                == 1;
    }

    /** Writes {@code zone} as a new current version, ending the version before it (if any) at its start. */
    void appendVersion(StoredZone zone) {
        jdbc.sql("""
                update zone_version set valid_to = :changedAt
                where tenant_id = :tenantId and zone_id = :id and version = :version - 1""")
                .param("tenantId", zone.tenantId())
                .param("id", zone.id())
                .param("version", zone.version())
                .param("changedAt", Timestamp.from(zone.changedAt()))
                .update();
        jdbc.sql("""
                insert into zone_version (zone_id, tenant_id, version, deleted, name, tags, attributes, shape_kind,
                                          shape, schedule, fence, bbox_west, bbox_south, bbox_east, bbox_north,
                                          created_at, valid_from)
                values (:id, :tenantId, :version, :deleted, :name, :tags, cast(:attributes as jsonb), :shapeKind,
                        cast(:shape as jsonb), cast(:schedule as jsonb), cast(:fence as jsonb),
                        :west, :south, :east, :north, :createdAt, :changedAt)""").params(params(zone)).update();
    }

    /** The zone if it exists now (not deleted). */
    Optional<StoredZone> findLive(UUID tenantId, UUID id) {
        return jdbc.sql("select " + ZONE_COLUMNS
                        + " from zone where tenant_id = :tenantId and id = :id and deleted_at is null")
                .param("tenantId", tenantId)
                .param("id", id)
                .query(this::map)
                .optional();
    }

    /** Whether the zone ever existed in the tenant. */
    boolean existed(UUID tenantId, UUID id) {
        return jdbc.sql("select count(*) from zone where tenant_id = :tenantId and id = :id")
                        .param("tenantId", tenantId)
                        .param("id", id)
                        .query(Long.class)
                        .single()
                > 0;
    }

    /** The version valid at {@code at}, deletions included. */
    Optional<StoredZone> versionAt(UUID tenantId, UUID id, Instant at) {
        return jdbc.sql("select " + VERSION_COLUMNS + " from zone_version"
                        + " where tenant_id = :tenantId and zone_id = :id and valid_from <= :at"
                        + " and (valid_to is null or valid_to > :at) order by version desc limit 1")
                .param("tenantId", tenantId)
                .param("id", id)
                .param("at", Timestamp.from(at))
                .query(this::map)
                .optional();
    }

    /** Whether some version of the zone in the tenant matches {@code reach} (over {@code zone_version}). */
    boolean hasVersionWhere(UUID tenantId, UUID id, SqlPredicate reach) {
        return withParams(
                        jdbc.sql("select exists (select 1 from zone_version where tenant_id = :tenantId"
                                        + " and zone_id = :id and (" + reach.sql() + "))")
                                .param("tenantId", tenantId)
                                .param("id", id),
                        reach)
                .query(Boolean.class)
                .single();
    }

    /** A keyset page of versions matching {@code reach}, newest first, below version {@code before}. */
    List<StoredZone> versions(UUID tenantId, UUID id, SqlPredicate reach, @Nullable Long before, int limit) {
        return withParams(
                        jdbc.sql("select " + VERSION_COLUMNS + " from zone_version where tenant_id = :tenantId"
                                        + " and zone_id = :id and (cast(:before as bigint) is null or version < :before)"
                                        + narrowedBy(reach)
                                        + " order by version desc limit :limit")
                                .param("tenantId", tenantId)
                                .param("id", id)
                                .param("before", before)
                                .param("limit", limit),
                        reach)
                .query(this::map)
                .list();
    }

    /** {@code and (predicate)}, or nothing for the predicate {@code true}. */
    private static String narrowedBy(SqlPredicate reach) {
        return reach.sql().equals("true") ? "" : " and (" + reach.sql() + ")";
    }

    private static JdbcClient.StatementSpec withParams(JdbcClient.StatementSpec statement, SqlPredicate reach) {
        JdbcClient.StatementSpec spec = statement;
        for (var param : reach.params().entrySet()) {
            spec = spec.param(param.getKey(), param.getValue());
        }
        return spec;
    }

    /**
     * A keyset page of live zones in id (creation) order: with every tag in {@code tags}, a name
     * starting with {@code namePrefix}, a bbox overlapping {@code area} if given, and matching
     * {@code reach}.
     */
    List<StoredZone> page(
            UUID tenantId,
            List<String> tags,
            @Nullable String namePrefix,
            @Nullable BoundingBox area,
            SqlPredicate reach,
            @Nullable UUID after,
            int limit) {
        List<BoundingBox> halves = area == null ? List.of() : Bounds.split(area);
        BoundingBox first = halves.isEmpty() ? BoundingBox.WORLD : halves.getFirst();
        BoundingBox second = halves.isEmpty() ? first : halves.getLast();
        // A box crossing the antimeridian (west > east) covers [west, 180] and [-180, east].
        String overlaps = """
                (bbox_west <= bbox_east and bbox_west <= :%1$sEast and bbox_east >= :%1$sWest
                 or bbox_west > bbox_east and (bbox_west <= :%1$sEast or bbox_east >= :%1$sWest))""";
        return withParams(
                        jdbc.sql("select " + ZONE_COLUMNS
                                + " from zone where tenant_id = :tenantId and deleted_at is null"
                                + " and tags @> cast(:tags as text[])"
                                + " and (cast(:namePrefix as text) is null or starts_with(name, :namePrefix))"
                                + " and (not :hasArea or (bbox_south <= :north and bbox_north >= :south and ("
                                + overlaps.formatted("first") + " or " + overlaps.formatted("second") + ")))"
                                + narrowedBy(reach)
                                + " and (cast(:after as uuid) is null or id > :after)"
                                + " order by id limit :limit"),
                        reach)
                .param("tenantId", tenantId)
                .param("tags", tags.toArray(String[]::new))
                .param("namePrefix", namePrefix)
                .param("hasArea", area != null)
                .param("south", first.south())
                .param("north", first.north())
                .param("firstWest", first.west())
                .param("firstEast", first.east())
                .param("secondWest", second.west())
                .param("secondEast", second.east())
                .param("after", after)
                .param("limit", limit)
                .query(this::map)
                .list();
    }

    /** The revision of every tenant that ever had a zone. */
    Map<UUID, Long> revisions() {
        Map<UUID, Long> revisions = new HashMap<>();
        jdbc.sql("select tenant_id, revision from zone_revision").query(rs -> {
            revisions.put(rs.getObject(1, UUID.class), rs.getLong(2));
        });
        return revisions;
    }

    /**
     * The version of each of the tenant's live zones and of each of {@code known} (deleted or not),
     * and whether it is deleted.
     */
    Map<UUID, VersionState> versionStates(UUID tenantId, Collection<UUID> known) {
        Map<UUID, VersionState> states = new HashMap<>();
        jdbc.sql("select id, version, deleted_at is not null from zone where tenant_id = :tenantId"
                        + " and (deleted_at is null or id = any(:known))")
                .param("tenantId", tenantId)
                .param("known", known.toArray(UUID[]::new))
                .query(rs -> {
                    states.put(rs.getObject(1, UUID.class), new VersionState(rs.getLong(2), rs.getBoolean(3)));
                });
        return states;
    }

    /** The tenant's live zones among {@code ids}. */
    List<StoredZone> findLive(UUID tenantId, Collection<UUID> ids) {
        return jdbc.sql("select " + ZONE_COLUMNS + " from zone where tenant_id = :tenantId"
                        + " and id = any(:ids) and deleted_at is null")
                .param("tenantId", tenantId)
                .param("ids", ids.toArray(UUID[]::new))
                .query(this::map)
                .list();
    }

    /** Every live zone of every tenant, streamed. */
    void forEachLive(Consumer<StoredZone> consumer) {
        jdbc.sql("select " + ZONE_COLUMNS + " from zone where deleted_at is null")
                .withFetchSize(500)
                .query(rs -> {
                    consumer.accept(map(rs, 0));
                });
    }

    private Map<String, Object> params(StoredZone zone) {
        Map<String, Object> params = new HashMap<>();
        params.put("id", zone.id());
        params.put("tenantId", zone.tenantId());
        params.put("version", zone.version());
        params.put("deleted", zone.deleted());
        params.put("name", zone.name());
        params.put("tags", zone.tags().toArray(String[]::new));
        params.put("attributes", json.writeValueAsString(zone.attributes()));
        params.put("shapeKind", zone.shapeKind());
        params.put("shape", json.writeValueAsString(zone.shape()));
        params.put("schedule", zone.schedule() == null ? null : json.writeValueAsString(zone.schedule()));
        params.put("fence", zone.fence() == null ? null : json.writeValueAsString(zone.fence()));
        params.put("west", zone.bbox().west());
        params.put("south", zone.bbox().south());
        params.put("east", zone.bbox().east());
        params.put("north", zone.bbox().north());
        params.put("createdAt", Timestamp.from(zone.createdAt()));
        params.put("changedAt", Timestamp.from(zone.changedAt()));
        return params;
    }

    private StoredZone map(ResultSet rs, int row) throws SQLException {
        Timestamp validTo = rs.getTimestamp("valid_to");
        return new StoredZone(
                rs.getObject("id", UUID.class),
                rs.getObject("tenant_id", UUID.class),
                rs.getLong("version"),
                rs.getBoolean("deleted"),
                rs.getString("name"),
                List.of((String[]) rs.getArray("tags").getArray()),
                json.readValue(rs.getString("attributes"), OBJECT),
                rs.getString("shape_kind"),
                json.readTree(rs.getString("shape")),
                jsonOrNull(rs.getString("schedule")),
                jsonOrNull(rs.getString("fence")),
                new BoundingBox(
                        rs.getDouble("bbox_west"),
                        rs.getDouble("bbox_south"),
                        rs.getDouble("bbox_east"),
                        rs.getDouble("bbox_north")),
                rs.getTimestamp("created_at").toInstant(),
                rs.getTimestamp("changed_at").toInstant(),
                validTo == null ? null : validTo.toInstant());
    }

    private @Nullable JsonNode jsonOrNull(@Nullable String text) {
        return text == null ? null : json.readTree(text);
    }

    /** A tenant's revision counter and live zone count. */
    record Revision(long revision, int liveZones) {}

    /** A zone's version and whether it is deleted. */
    record VersionState(long version, boolean deleted) {}
}
