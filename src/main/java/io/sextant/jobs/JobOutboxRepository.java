package io.sextant.jobs;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The {@code job_outbox} table: jobs queued in a database transaction while jobs live in Redis,
 * waiting to be moved there once that transaction has committed ({@link JobOutboxForwarder}).
 */
@Repository
class JobOutboxRepository {

    private static final String INSERT = """
            insert into job_outbox (id, kind, tenant_id, payload, run_at, ordering_key, max_attempts)
            values (?, ?, ?, cast(? as jsonb), ?, ?, ?)""";

    /** One forwarder at a time across nodes, so jobs reach Redis in the order they were queued. */
    private static final long FORWARD_LOCK = 0x5E7A_0B0C_F0A1_0001L;

    private final JdbcClient jdbc;
    private final JdbcTemplate batch;
    private final JobSignal committed = new JobSignal();

    JobOutboxRepository(JdbcClient jdbc, JdbcTemplate batch) {
        this.jdbc = jdbc;
        this.batch = batch;
    }

    /** Inserts through the current Spring-managed transaction, if any. */
    void insert(List<UUID> ids, List<NewJob> jobs, List<Integer> maxAttempts) {
        batch.batchUpdate(INSERT, JobRepository.newJobRows(ids, jobs, maxAttempts));
    }

    /** Tells the forwarder that jobs were committed to the outbox. */
    void committed() {
        committed.wake();
    }

    /** What the forwarder waits on. */
    JobSignal signal() {
        return committed;
    }

    /**
     * Moves up to {@code limit} of the oldest jobs to Redis and deletes them, if no other node is
     * forwarding; must run in a transaction (as the owner), so a failed move leaves them here.
     * Returns how many were moved.
     */
    int forward(RedisJobStore store, int limit) {
        Boolean locked = jdbc.sql("select pg_try_advisory_xact_lock(:lock)")
                .param("lock", FORWARD_LOCK)
                .query(Boolean.class)
                .single();
        if (!Boolean.TRUE.equals(locked)) {
            return 0;
        }
        List<UUID> ids = new ArrayList<>();
        List<NewJob> jobs = new ArrayList<>();
        List<Integer> maxAttempts = new ArrayList<>();
        jdbc.sql("""
                        select id, kind, tenant_id, payload::text as payload, run_at, ordering_key, max_attempts
                        from job_outbox order by seq limit :limit""").param("limit", limit).query(rs -> {
            ids.add(rs.getObject("id", UUID.class));
            jobs.add(new NewJob(
                    rs.getString("kind"),
                    rs.getObject("tenant_id", UUID.class),
                    rs.getString("payload"),
                    rs.getTimestamp("run_at").toInstant(),
                    rs.getString("ordering_key")));
            maxAttempts.add(rs.getInt("max_attempts"));
        });
        if (ids.isEmpty()) {
            return 0;
        }
        store.enqueue(ids, jobs, maxAttempts);
        jdbc.sql("delete from job_outbox where id = any(:ids)")
                .param("ids", ids.toArray(UUID[]::new))
                .update();
        return ids.size();
    }

    /** A job still waiting here, seen like a queued job that has never run. */
    Optional<JobView> find(@Nullable UUID tenantId, UUID id) {
        return jdbc.sql("""
                        select id, kind, tenant_id, payload::text as payload, run_at, ordering_key, max_attempts, created_at
                        from job_outbox where id = :id
                          and (tenant_id = :tenantId or (tenant_id is null and cast(:tenantId as uuid) is null))""")
                .param("id", id)
                .param("tenantId", tenantId)
                .query((rs, row) -> new JobView(
                        rs.getObject("id", UUID.class),
                        rs.getString("kind"),
                        rs.getObject("tenant_id", UUID.class),
                        JobStatus.QUEUED,
                        rs.getString("payload"),
                        0,
                        rs.getInt("max_attempts"),
                        rs.getString("ordering_key"),
                        rs.getTimestamp("run_at").toInstant(),
                        rs.getTimestamp("created_at").toInstant(),
                        null,
                        null,
                        null))
                .optional();
    }
}
