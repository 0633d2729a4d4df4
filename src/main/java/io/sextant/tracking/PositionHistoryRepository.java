package io.sextant.tracking;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The reads behind {@link PositionHistory}; each joins the transaction under way. */
@Repository
class PositionHistoryRepository {

    private final JdbcClient jdbc;

    PositionHistoryRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    PositionHistory.@Nullable Fix fixAt(UUID tenantId, UUID assetId, Instant time) {
        return jdbc.sql("""
                        select event_time, lon, lat, accuracy, speed from position
                        where tenant_id = ? and asset_id = ? and event_time = ?""")
                .param(tenantId)
                .param(assetId)
                .param(Timestamp.from(time))
                .query(PositionHistoryRepository::fix)
                .optional()
                .orElse(null);
    }

    List<PositionHistory.Fix> track(UUID tenantId, UUID assetId, Instant from, Instant to, int limit) {
        return jdbc.sql("""
                        select event_time, lon, lat, accuracy, speed from position
                        where tenant_id = ? and asset_id = ? and event_time > ? and event_time <= ?
                        order by event_time limit ?""")
                .param(tenantId)
                .param(assetId)
                .param(Timestamp.from(from))
                .param(Timestamp.from(to))
                .param(limit + 1)
                .query(PositionHistoryRepository::fix)
                .list();
    }

    /**
     * The excluded ids are matched by a hashed subplan ({@code not in} a subquery), so a long list
     * costs one lookup per row rather than a scan of the list.
     */
    List<PositionHistory.SilentAsset> silentSince(UUID tenantId, Instant before, Set<UUID> excluded, int limit) {
        return jdbc.sql("""
                        select lp.asset_id, lp.event_time from latest_position lp
                        where lp.tenant_id = :tenantId and lp.event_time < :before
                          and lp.asset_id not in (select unnest(cast(:excluded as uuid[])))
                        order by lp.event_time limit :limit""")
                .param("tenantId", tenantId)
                .param("before", Timestamp.from(before))
                .param("excluded", excluded.toArray(UUID[]::new))
                .param("limit", limit)
                .query((rs, row) -> new PositionHistory.SilentAsset(
                        rs.getObject(1, UUID.class), rs.getTimestamp(2).toInstant()))
                .list();
    }

    /** Columns event_time, lon, lat, accuracy, speed of a position row. */
    private static PositionHistory.Fix fix(ResultSet rs, int row) throws SQLException {
        return new PositionHistory.Fix(
                rs.getTimestamp(1).toInstant(), rs.getDouble(2), rs.getDouble(3), real(rs, 4), real(rs, 5));
    }

    /** A {@code real} column as the decimal it was written as (3.6, not 3.5999999046). */
    private static @Nullable Double real(ResultSet rs, int column) throws SQLException {
        float value = rs.getFloat(column);
        return rs.wasNull() ? null : Double.valueOf(Float.toString(value));
    }
}
