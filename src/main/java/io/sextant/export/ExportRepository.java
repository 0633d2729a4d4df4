package io.sextant.export;

import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.json.JsonMapper;

/**
 * Exports and their content chunks. The writes of a running attempt are conditional on its run
 * token (see {@code V21__exports.sql}): each answers false once another attempt has taken the export
 * over, or the export was deleted.
 */
@Repository
@Transactional
class ExportRepository {

    private static final String COLUMNS = """
            id, requested_by, format, query::text as query, status, positions_written, estimated_total,
            size_bytes, sha256, created_at, started_at, finished_at, expires_at, error""";

    private final JdbcClient jdbc;
    private final JsonMapper json;

    ExportRepository(JdbcClient jdbc, JsonMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    /** Serialises the tenant's starts until commit, so the count of unfinished exports stays exact. */
    void lockTenant(UUID tenantId) {
        jdbc.sql("select pg_advisory_xact_lock(hashtextextended(cast(:tenantId as text) || '/exports', 0))")
                .param("tenantId", tenantId)
                .query(Object.class)
                .single();
    }

    int countUnfinished(UUID tenantId) {
        return jdbc.sql("select count(*) from export where tenant_id = :tenantId and status in ('queued', 'running')")
                .param("tenantId", tenantId)
                .query(Integer.class)
                .single();
    }

    void insert(UUID tenantId, Requester requester, Export export) {
        jdbc.sql("""
                        insert into export (id, tenant_id, requested_by, requester_groups, format, query, status, created_at)
                        values (:id, :tenantId, :requestedBy, :groups, :format, cast(:query as jsonb), :status, :createdAt)""")
                .param("id", export.id())
                .param("tenantId", tenantId)
                .param("requestedBy", requester.subject())
                .param("groups", requester.groups().toArray(String[]::new))
                .param("format", export.format().id())
                .param("query", ExportQueryJson.write(json, export.query()))
                .param("status", export.status().id())
                .param("createdAt", Timestamp.from(export.createdAt()))
                .update();
    }

    @Transactional(readOnly = true)
    Optional<Export> find(UUID tenantId, String requestedBy, UUID id) {
        return jdbc.sql("select " + COLUMNS
                        + " from export where tenant_id = :tenantId and requested_by = :requestedBy and id = :id")
                .param("tenantId", tenantId)
                .param("requestedBy", requestedBy)
                .param("id", id)
                .query(this::map)
                .optional();
    }

    /** The requester's exports, newest first, after {@code beforeId}; {@code limit} of them. */
    @Transactional(readOnly = true)
    List<Export> page(UUID tenantId, String requestedBy, @Nullable UUID beforeId, int limit) {
        return jdbc.sql("select " + COLUMNS + """
                         from export
                        where tenant_id = :tenantId and requested_by = :requestedBy
                          and (cast(:beforeId as uuid) is null or id < :beforeId)
                        order by id desc
                        limit :limit""")
                .param("tenantId", tenantId)
                .param("requestedBy", requestedBy)
                .param("beforeId", beforeId)
                .param("limit", limit)
                .query(this::map)
                .list();
    }

    /** Deletes the requester's export and its chunks; false if there is none. */
    boolean delete(UUID tenantId, String requestedBy, UUID id) {
        return jdbc.sql("delete from export where tenant_id = :tenantId and requested_by = :requestedBy and id = :id")
                        .param("tenantId", tenantId)
                        .param("requestedBy", requestedBy)
                        .param("id", id)
                        .update()
                > 0;
    }

    /** Chunk {@code seq} of a succeeded export; empty once it is gone (expired or deleted meanwhile). */
    @Transactional(readOnly = true)
    Optional<byte[]> chunk(UUID tenantId, UUID exportId, int seq) {
        return jdbc.sql("""
                        select c.data from export_chunk c join export e on e.id = c.export_id
                         where c.tenant_id = :tenantId and c.export_id = :exportId and c.seq = :seq
                           and e.status = 'succeeded'""")
                .param("tenantId", tenantId)
                .param("exportId", exportId)
                .param("seq", seq)
                .query((rs, row) -> rs.getBytes(1))
                .optional();
    }

    /** How many chunks the succeeded export's content has. */
    @Transactional(readOnly = true)
    int chunkCount(UUID tenantId, UUID exportId) {
        return jdbc.sql("select coalesce(chunks, 0) from export where tenant_id = :tenantId and id = :id")
                .param("tenantId", tenantId)
                .param("id", exportId)
                .query(Integer.class)
                .optional()
                .orElse(0);
    }

    /**
     * Starts an attempt on a queued or running export (a running one was left by an attempt that
     * died or lost its lease): takes it over with {@code runToken}, deletes every chunk written
     * before and resets the progress, in one transaction. Empty if the export is gone or finished.
     */
    Optional<Started> start(UUID tenantId, UUID id, UUID runToken, Instant now) {
        Optional<Started> export = jdbc.sql("""
                        select requested_by, requester_groups, format, query::text as query from export
                         where tenant_id = :tenantId and id = :id and status in ('queued', 'running')
                           for update""")
                .param("tenantId", tenantId)
                .param("id", id)
                .query((rs, row) -> new Started(
                        new Requester(rs.getString("requested_by"), strings(rs.getArray("requester_groups"))),
                        ExportFormat.fromId(rs.getString("format")).orElseThrow(),
                        ExportQueryJson.read(json, rs.getString("query"))))
                .optional();
        if (export.isPresent()) {
            jdbc.sql("delete from export_chunk where export_id = :id")
                    .param("id", id)
                    .update();
            jdbc.sql("""
                            update export set status = 'running', run_token = :runToken, started_at = :now,
                                   positions_written = 0, estimated_total = null, error = null
                             where id = :id""")
                    .param("id", id)
                    .param("runToken", runToken)
                    .param("now", Timestamp.from(now))
                    .update();
        }
        return export;
    }

    /** Stores chunk {@code seq} of the attempt's content; false if the attempt no longer owns the export. */
    boolean appendChunk(UUID tenantId, UUID id, UUID runToken, int seq, byte[] data) {
        if (!owns(id, runToken)) {
            return false;
        }
        jdbc.sql("insert into export_chunk (tenant_id, export_id, seq, data) values (:tenantId, :id, :seq, :data)")
                .param("tenantId", tenantId)
                .param("id", id)
                .param("seq", seq)
                .param("data", data)
                .update();
        return true;
    }

    /** Records the attempt's progress; false if it no longer owns the export. */
    boolean progress(UUID id, UUID runToken, long written, @Nullable Long estimatedTotal) {
        return jdbc.sql("""
                        update export set positions_written = :written, estimated_total = :estimate
                         where id = :id and run_token = :runToken and status = 'running'""")
                        .param("id", id)
                        .param("runToken", runToken)
                        .param("written", written)
                        .param("estimate", estimatedTotal)
                        .update()
                > 0;
    }

    /** Completes the attempt's export; false if it no longer owns it. */
    boolean succeed(UUID id, UUID runToken, long written, Content content, Instant now, Instant expiresAt) {
        return jdbc.sql("""
                        update export set status = 'succeeded', positions_written = :written, estimated_total = :written,
                               chunks = :chunks, size_bytes = :size, sha256 = :sha256, finished_at = :now,
                               expires_at = :expiresAt, run_token = null
                         where id = :id and run_token = :runToken and status = 'running'""")
                        .param("id", id)
                        .param("runToken", runToken)
                        .param("written", written)
                        .param("chunks", content.chunks())
                        .param("size", content.size())
                        .param("sha256", content.sha256())
                        .param("now", Timestamp.from(now))
                        .param("expiresAt", Timestamp.from(expiresAt))
                        .update()
                > 0;
    }

    /** Shows a failed attempt that will be retried: queued again, with why. */
    boolean retrying(UUID id, UUID runToken, String error) {
        return jdbc.sql("""
                        update export set status = 'queued', error = :error
                         where id = :id and run_token = :runToken and status = 'running'""")
                        .param("id", id)
                        .param("runToken", runToken)
                        .param("error", truncate(error))
                        .update()
                > 0;
    }

    /**
     * Fails an unfinished export for good, whichever attempt ran last, and drops what it wrote;
     * answers its format, or empty if it was not unfinished (gone, or finished already).
     */
    Optional<ExportFormat> fail(UUID id, String error, Instant now, Instant expiresAt) {
        Optional<ExportFormat> failed = jdbc.sql("""
                        update export set status = 'failed', error = :error, finished_at = :now,
                               expires_at = :expiresAt, run_token = null
                         where id = :id and status in ('queued', 'running')
                        returning format""")
                .param("id", id)
                .param("error", truncate(error))
                .param("now", Timestamp.from(now))
                .param("expiresAt", Timestamp.from(expiresAt))
                .query((rs, row) -> ExportFormat.fromId(rs.getString(1)).orElseThrow())
                .optional();
        if (failed.isPresent()) {
            jdbc.sql("delete from export_chunk where export_id = :id")
                    .param("id", id)
                    .update();
        }
        return failed;
    }

    /** Up to {@code limit} finished exports, of any tenant, whose content is due to expire. */
    @Transactional(readOnly = true)
    List<UUID> dueToExpire(Instant now, int limit) {
        return jdbc.sql("""
                        select id from export where status in ('succeeded', 'failed') and expires_at <= :now
                         order by expires_at limit :limit""")
                .param("now", Timestamp.from(now))
                .param("limit", limit)
                .query((rs, row) -> rs.getObject(1, UUID.class))
                .list();
    }

    /** Removes a finished export's content and marks it expired; false if it is not due (any more). */
    boolean expire(UUID id, Instant now) {
        boolean expired =
                jdbc.sql("""
                                update export set status = 'expired'
                                 where id = :id and status in ('succeeded', 'failed') and expires_at <= :now""").param("id", id).param("now", Timestamp.from(now)).update() > 0;
        if (expired) {
            jdbc.sql("delete from export_chunk where export_id = :id")
                    .param("id", id)
                    .update();
        }
        return expired;
    }

    /** Deletes up to {@code limit} expired exports whose content expired before {@code cutoff}. */
    int deleteExpired(Instant cutoff, int limit) {
        return jdbc.sql("""
                        delete from export where id in
                            (select id from export where status = 'expired' and expires_at < :cutoff limit :limit)""")
                .param("cutoff", Timestamp.from(cutoff))
                .param("limit", limit)
                .update();
    }

    private boolean owns(UUID id, UUID runToken) {
        // The row lock also waits for an attempt that is taking the export over right now.
        return jdbc.sql(
                        "select 1 from export where id = :id and run_token = :runToken and status = 'running' for update")
                .param("id", id)
                .param("runToken", runToken)
                .query(Integer.class)
                .optional()
                .isPresent();
    }

    private Export map(ResultSet rs, int row) throws SQLException {
        long size = rs.getLong("size_bytes");
        Long sizeBytes = rs.wasNull() ? null : size;
        long estimate = rs.getLong("estimated_total");
        Long estimatedTotal = rs.wasNull() ? null : estimate;
        return new Export(
                rs.getObject("id", UUID.class),
                rs.getString("requested_by"),
                ExportFormat.fromId(rs.getString("format")).orElseThrow(),
                ExportQueryJson.read(json, rs.getString("query")),
                ExportStatus.fromId(rs.getString("status")).orElseThrow(),
                rs.getLong("positions_written"),
                estimatedTotal,
                sizeBytes,
                rs.getString("sha256"),
                rs.getTimestamp("created_at").toInstant(),
                instant(rs, "started_at"),
                instant(rs, "finished_at"),
                instant(rs, "expires_at"),
                rs.getString("error"));
    }

    private static @Nullable Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp value = rs.getTimestamp(column);
        return value == null ? null : value.toInstant();
    }

    private static Set<String> strings(@Nullable Array array) throws SQLException {
        return array == null ? Set.of() : Set.of((String[]) array.getArray());
    }

    private static String truncate(String text) {
        return text.length() <= 4000 ? text : text.substring(0, 3999) + "…";
    }

    /** An export an attempt has taken over: whose authority it runs with, and what it writes. */
    record Started(Requester requester, ExportFormat format, ExportQuery query) {}

    /** A written content: its chunk count, size in bytes and SHA-256 in lower-case hex. */
    record Content(int chunks, long size, String sha256) {}
}
