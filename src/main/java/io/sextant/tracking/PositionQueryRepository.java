package io.sextant.tracking;

import io.sextant.shared.geo.BoundingBox;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * Read queries over the position history. Every query names the tenant, a time window (so only the
 * partitions of that window are scanned) and, for area queries, boxes: their grid cells ({@link
 * GridCells}) select index ranges of (tenant, cell, event time), the boxes test each row exactly;
 * {@link PositionCriteria} adds its condition inside the same statement.
 */
@Repository
@Transactional(readOnly = true)
class PositionQueryRepository {

    private static final String COLUMNS =
            "p.asset_id, p.event_time, p.received_at, p.lon, p.lat, p.altitude, p.accuracy, p.speed, p.heading,"
                    + " p.attributes";
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final TypeReference<Map<String, Object>> OBJECT = new TypeReference<>() {};

    private final JdbcClient jdbc;

    PositionQueryRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** One asset's positions in a window, in time order: a range of the primary key (asset, event time). */
    static final String TRACK = "select " + COLUMNS + " from position p where p.tenant_id = :tenantId"
            + " and p.asset_id = :assetId and p.event_time >= :from and p.event_time < :to"
            + " order by p.event_time limit :limit";

    List<StoredPosition> track(UUID tenantId, UUID assetId, Instant from, Instant to, int limit) {
        return jdbc.sql(TRACK)
                .param("tenantId", tenantId)
                .param("assetId", assetId)
                .param("from", Timestamp.from(from))
                .param("to", Timestamp.from(to))
                .param("limit", limit)
                .query(PositionQueryRepository::map)
                .list();
    }

    /**
     * Positions inside any of {@code boxes} during the window, in (time, asset) order — or (asset,
     * time) order when {@code byAsset} — after the keyset position {@code after}.
     */
    List<StoredPosition> inArea(
            UUID tenantId,
            List<BoundingBox> boxes,
            Instant from,
            Instant to,
            @Nullable List<UUID> admittedAssets,
            boolean byAsset,
            @Nullable HistoryCursor after,
            int limit) {
        Statement query = areaQuery(tenantId, boxes, from, to, admittedAssets, byAsset, after, limit);
        return jdbc.sql(query.sql())
                .params(query.params())
                .query(PositionQueryRepository::map)
                .list();
    }

    /** A statement with its named parameters. */
    record Statement(String sql, Map<String, Object> params) {}

    /** The statement {@link #inArea} runs, for a test to read its plan. */
    static Statement areaQuery(
            UUID tenantId,
            List<BoundingBox> boxes,
            Instant from,
            Instant to,
            @Nullable List<UUID> admittedAssets,
            boolean byAsset,
            @Nullable HistoryCursor after,
            int limit) {
        Map<String, Object> params = new HashMap<>();
        StringBuilder sql = new StringBuilder("select ").append(COLUMNS).append(" from position p");
        sql.append(" where p.tenant_id = :tenantId and p.event_time >= :from and p.event_time < :to and (");
        for (int i = 0; i < boxes.size(); i++) {
            BoundingBox box = boxes.get(i);
            sql.append(i == 0 ? "" : " or ")
                    .append("p.pos <@ box(point(:w")
                    .append(i)
                    .append(", :s")
                    .append(i)
                    .append("), point(:e")
                    .append(i)
                    .append(", :n")
                    .append(i)
                    .append("))");
            params.put("w" + i, box.west());
            params.put("s" + i, box.south());
            params.put("e" + i, box.east());
            params.put("n" + i, box.north());
        }
        sql.append(")");
        // The grid cells covering the boxes make the (tenant, cell, event_time) index usable; a very
        // large area is left to the time window (BRIN) and the box test alone.
        Integer[] cells = GridCells.covering(boxes, GridCells.MAX_CELLS);
        if (cells != null) {
            sql.append(" and ").append(GridCells.COLUMN).append(" = any(:cells)");
            params.put("cells", cells);
        }
        sql.append(PositionCriteria.sql("p", admittedAssets, params));
        if (after != null) {
            sql.append(
                    byAsset
                            ? " and (p.asset_id, p.event_time) > (:afterAsset, :afterTime)"
                            : " and (p.event_time, p.asset_id) > (:afterTime, :afterAsset)");
            params.put("afterAsset", after.assetId());
            params.put("afterTime", Timestamp.from(after.eventTime()));
        }
        sql.append(byAsset ? " order by p.asset_id, p.event_time" : " order by p.event_time, p.asset_id");
        sql.append(" limit :limit");
        params.put("tenantId", tenantId);
        params.put("from", Timestamp.from(from));
        params.put("to", Timestamp.from(to));
        params.put("limit", limit);
        return new Statement(sql.toString(), params);
    }

    /**
     * The last position of each asset at or before {@code at} and at or after {@code since}: both
     * bounds inclusive, so a position exactly as old as the allowed staleness is in the snapshot.
     * The assets are those tracking knows ({@code tracked_asset}: every existing asset); one with
     * no position in the window has none in the snapshot.
     */
    List<StoredPosition> asOf(
            UUID tenantId,
            Instant at,
            Instant since,
            @Nullable List<UUID> admittedAssets,
            @Nullable UUID afterAsset,
            int limit) {
        Map<String, Object> params = new HashMap<>();
        // Driven by tracked_asset (every asset tracking knows), not latest_position, which is
        // written behind ingest and may not list an asset whose first position is seconds old.
        String sql = "select " + COLUMNS + " from tracked_asset l cross join lateral ("
                + " select * from position p where p.tenant_id = l.tenant_id and p.asset_id = l.asset_id"
                + " and p.event_time <= :at and p.event_time >= :since order by p.event_time desc limit 1) p"
                + " where l.tenant_id = :tenantId" + PositionCriteria.sql("l", admittedAssets, params)
                + " and (cast(:afterAsset as uuid) is null or l.asset_id > :afterAsset)"
                + " order by l.asset_id limit :limit";
        params.put("tenantId", tenantId);
        params.put("at", Timestamp.from(at));
        params.put("since", Timestamp.from(since));
        params.put("afterAsset", afterAsset);
        params.put("limit", limit);
        return jdbc.sql(sql).params(params).query(PositionQueryRepository::map).list();
    }

    /** The tenant's latest positions in asset order, after {@code afterAsset}. */
    List<StoredPosition> latest(
            UUID tenantId, @Nullable List<UUID> admittedAssets, @Nullable UUID afterAsset, int limit) {
        Map<String, Object> params = new HashMap<>();
        String sql = "select " + COLUMNS + " from latest_position p where p.tenant_id = :tenantId"
                + PositionCriteria.sql("p", admittedAssets, params)
                + " and (cast(:afterAsset as uuid) is null or p.asset_id > :afterAsset) order by p.asset_id limit :limit";
        params.put("tenantId", tenantId);
        params.put("afterAsset", afterAsset);
        params.put("limit", limit);
        return jdbc.sql(sql).params(params).query(PositionQueryRepository::map).list();
    }

    /** Latest positions as stored, for rebuilding the live index on start: every tenant, streamed. */
    void forEachLatest(java.util.function.Consumer<Position> consumer) {
        jdbc.sql("select " + POSITION_COLUMNS + " from latest_position")
                .withFetchSize(10_000)
                .query(rs -> {
                    consumer.accept(position(rs));
                });
    }

    /**
     * Positions of every tenant received at or after {@code since} (the BRIN index on received_at
     * finds them), streamed; returns the latest receive time among them, if any. Runs unscoped, as
     * the owner: a node following what other nodes ingest.
     */
    @Nullable
    Instant forEachReceivedSince(Instant since, java.util.function.Consumer<Position> consumer) {
        Instant[] latest = new Instant[1];
        jdbc.sql("select " + POSITION_COLUMNS + " from position where received_at >= :since")
                .param("since", Timestamp.from(since))
                .withFetchSize(10_000)
                .query(rs -> {
                    Position position = position(rs);
                    consumer.accept(position);
                    if (latest[0] == null || position.receivedAt().isAfter(latest[0])) {
                        latest[0] = position.receivedAt();
                    }
                });
        return latest[0];
    }

    /** The database's clock now. */
    Instant databaseNow() {
        return jdbc.sql("select now()").query(Timestamp.class).single().toInstant();
    }

    /** The columns {@link #position} reads, in its order. */
    private static final String POSITION_COLUMNS =
            "tenant_id, asset_id, event_time, received_at, lon, lat, altitude, accuracy, speed, heading, attributes";

    private static Position position(ResultSet rs) throws SQLException {
        return new Position(
                rs.getObject(1, UUID.class),
                rs.getObject(2, UUID.class),
                rs.getTimestamp(3).toInstant(),
                rs.getTimestamp(4).toInstant(),
                rs.getDouble(5),
                rs.getDouble(6),
                real(rs, 7),
                real(rs, 8),
                real(rs, 9),
                real(rs, 10),
                attributes(rs, 11));
    }

    private static StoredPosition map(ResultSet rs, int row) throws SQLException {
        return new StoredPosition(
                rs.getObject(1, UUID.class),
                rs.getTimestamp(2).toInstant(),
                rs.getTimestamp(3).toInstant(),
                rs.getDouble(4),
                rs.getDouble(5),
                real(rs, 6),
                real(rs, 7),
                real(rs, 8),
                real(rs, 9),
                attributes(rs, 10));
    }

    /** A {@code jsonb} object column, stored as null when empty. */
    private static Map<String, Object> attributes(ResultSet rs, int column) throws SQLException {
        String text = rs.getString(column);
        return text == null ? Map.of() : JSON.readValue(text, OBJECT);
    }

    /** A {@code real} column as the decimal it was written as (3.6, not 3.5999999046). */
    private static @Nullable Double real(ResultSet rs, int column) throws SQLException {
        float value = rs.getFloat(column);
        return rs.wasNull() ? null : Double.valueOf(Float.toString(value));
    }

    /** Where the previous page of an area query ended. */
    record HistoryCursor(Instant eventTime, UUID assetId) {}
}
