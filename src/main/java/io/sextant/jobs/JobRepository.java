package io.sextant.jobs;

import io.sextant.shared.Ids;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.BatchPreparedStatementSetter;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The jobs on PostgreSQL: the {@code job} and {@code job_schedule} tables, claimed with {@code FOR
 * UPDATE SKIP LOCKED}. An attempt's outcome is recorded only while the
 * row is still the recorder's: status running, locked by that worker, at that attempt. A lease that
 * another worker took over (or an attempt that was reaped) makes the late outcome a no-op.
 */
@Repository
class JobRepository implements JobStore {

    static final String VIEW_COLUMNS = """
            id, kind, tenant_id, status, payload::text as payload, attempt, max_attempts, ordering_key,
            run_at, created_at, started_at, finished_at, last_error""";

    private static final String INSERT = """
            insert into job (id, kind, tenant_id, payload, run_at, ordering_key, max_attempts)
            values (?, ?, ?, cast(? as jsonb), ?, ?, ?)""";

    private static final String RETURNING_CLAIMED = """
            returning j.id, j.kind, j.tenant_id, j.payload::text as payload, j.attempt, j.created_at,
                      j.run_at, j.ordering_key, j.started_at""";

    // Claimable: queued, due, and first of its ordering key: no job of the key is running and none
    // queued before it (a failing head waiting for its retry keeps its place). Locked rows are
    // skipped, so concurrent claimers on any node never take the same job.
    private static final String CLAIM = """
            with candidate as (
                select j.id
                from job j
                where j.status = 'queued' and j.run_at <= now()
                  and (j.ordering_key is null or not exists (
                        select 1 from job e
                        where e.ordering_key = j.ordering_key and e.id <> j.id
                          and (e.status = 'running' or (e.status = 'queued' and e.seq < j.seq))))
                order by j.run_at, j.seq
                limit :limit
                for update of j skip locked
            )
            update job j
            set status = 'running', attempt = j.attempt + 1, started_at = now(), finished_at = null,
                locked_by = :worker,
                locked_until = now() + coalesce(
                    (select l.micros from unnest(cast(:leaseKinds as text[]), cast(:leaseMicros as bigint[]))
                         as l(kind, micros) where l.kind = j.kind),
                    :defaultLeaseMicros) * interval '1 microsecond'
            from candidate c
            where j.id = c.id
            """ + RETURNING_CLAIMED;

    // Reclaims running jobs whose lease ran out (their worker died or hung): the lease becomes this
    // worker's for just long enough to record the attempt as failed.
    private static final String TAKE_EXPIRED = """
            with expired as (
                select id from job
                where status = 'running' and locked_until < now()
                order by locked_until
                limit :limit
                for update skip locked
            )
            update job j
            set locked_by = :worker, locked_until = now() + interval '1 minute'
            from expired x
            where j.id = x.id
            """ + RETURNING_CLAIMED;

    private static final String OWNED =
            " where id = :id and status = 'running' and locked_by = :worker and attempt = :attempt";

    private final JdbcClient jdbc;
    private final JdbcTemplate batch;

    JobRepository(JdbcClient jdbc, JdbcTemplate batch) {
        this.jdbc = jdbc;
        this.batch = batch;
    }

    @Override
    public boolean outcomesInDatabase() {
        return true;
    }

    @Override
    public void insert(List<UUID> ids, List<NewJob> jobs, List<Integer> maxAttempts) {
        batch.batchUpdate(INSERT, newJobRows(ids, jobs, maxAttempts));
    }

    /**
     * Binds new jobs to an insert of (id, kind, tenant_id, payload, run_at, ordering_key,
     * max_attempts): the job table's, and the outbox's.
     */
    static BatchPreparedStatementSetter newJobRows(List<UUID> ids, List<NewJob> jobs, List<Integer> maxAttempts) {
        return new BatchPreparedStatementSetter() {
            @Override
            public int getBatchSize() {
                return jobs.size();
            }

            @Override
            public void setValues(PreparedStatement statement, int i) throws SQLException {
                NewJob job = jobs.get(i);
                statement.setObject(1, ids.get(i));
                statement.setString(2, job.kind());
                if (job.tenantId() == null) {
                    statement.setNull(3, Types.OTHER);
                } else {
                    statement.setObject(3, job.tenantId());
                }
                statement.setString(4, job.payload());
                statement.setTimestamp(5, Timestamp.from(job.runAt()));
                statement.setString(6, job.orderingKey());
                statement.setInt(7, maxAttempts.get(i));
            }
        };
    }

    /**
     * Claims up to {@code limit} claimable jobs for {@code worker}: running, attempt counted, leased
     * for their kind's timeout ({@code defaultLease} for kinds without a handler here).
     */
    @Override
    public List<Claimed> claim(String worker, int limit, Map<String, Duration> leases, Duration defaultLease) {
        return jdbc.sql(CLAIM)
                .param("limit", limit)
                .param("worker", worker)
                .param("leaseKinds", leases.keySet().toArray(String[]::new))
                .param(
                        "leaseMicros",
                        leases.values().stream().map(JobRepository::micros).toArray(Long[]::new))
                .param("defaultLeaseMicros", micros(defaultLease))
                .query(JobRepository::claimed)
                .list();
    }

    /** Takes over up to {@code limit} running jobs whose lease has expired. */
    @Override
    public List<Claimed> takeExpired(String worker, int limit) {
        return jdbc.sql(TAKE_EXPIRED)
                .param("limit", limit)
                .param("worker", worker)
                .query(JobRepository::claimed)
                .list();
    }

    /** The earliest run_at of a queued job still in the future: when the next retry or timer is due. */
    @Override
    public Optional<Instant> nextDue() {
        return jdbc.sql("select min(run_at) from job where status = 'queued' and run_at > now()")
                .query((rs, row) -> Optional.ofNullable(rs.getTimestamp(1)).map(Timestamp::toInstant))
                .single();
    }

    @Override
    public boolean succeed(UUID id, String worker, int attempt) {
        return jdbc.sql("""
                        update job set status = 'succeeded', finished_at = now(), locked_by = null, locked_until = null""" + OWNED)
                        .param("id", id)
                        .param("worker", worker)
                        .param("attempt", attempt)
                        .update()
                == 1;
    }

    @Override
    public int renew(String worker, List<Attempt> attempts, Duration lease) {
        if (attempts.isEmpty()) {
            return 0;
        }
        return jdbc.sql("""
                        update job j set locked_until = now() + :leaseMicros * interval '1 microsecond'
                        from unnest(cast(:ids as uuid[]), cast(:attempts as integer[])) as a(id, attempt)
                        where j.id = a.id and j.attempt = a.attempt and j.status = 'running' and j.locked_by = :worker
                          and j.locked_until > now()""")
                .param("ids", attempts.stream().map(Attempt::id).toArray(UUID[]::new))
                .param("attempts", attempts.stream().map(Attempt::attempt).toArray(Integer[]::new))
                .param("worker", worker)
                .param("leaseMicros", micros(lease))
                .update();
    }

    /** One statement for all of them, so a batch of successes costs one commit. */
    @Override
    public Set<UUID> succeedAll(String worker, List<Attempt> attempts) {
        if (attempts.isEmpty()) {
            return Set.of();
        }
        return new HashSet<>(jdbc.sql("""
                        update job j set status = 'succeeded', finished_at = now(), locked_by = null, locked_until = null
                        from unnest(cast(:ids as uuid[]), cast(:attempts as integer[])) as a(id, attempt)
                        where j.id = a.id and j.attempt = a.attempt and j.status = 'running' and j.locked_by = :worker
                        returning j.id""")
                .param("ids", attempts.stream().map(Attempt::id).toArray(UUID[]::new))
                .param("attempts", attempts.stream().map(Attempt::attempt).toArray(Integer[]::new))
                .param("worker", worker)
                .query(UUID.class)
                .list());
    }

    /** Queues the job again after {@code delay}, recording why this attempt failed. */
    @Override
    public boolean retryLater(UUID id, String worker, int attempt, Duration delay, String error, int maxAttempts) {
        return jdbc.sql("""
                        update job set status = 'queued', run_at = now() + :delayMicros * interval '1 microsecond',
                               last_error = :error, max_attempts = :maxAttempts, locked_by = null, locked_until = null""" + OWNED)
                        .param("id", id)
                        .param("worker", worker)
                        .param("attempt", attempt)
                        .param("delayMicros", micros(delay))
                        .param("error", error)
                        .param("maxAttempts", maxAttempts)
                        .update()
                == 1;
    }

    @Override
    public boolean bury(UUID id, String worker, int attempt, String error, int maxAttempts) {
        return jdbc.sql("""
                        update job set status = 'dead', finished_at = now(), last_error = :error,
                               max_attempts = :maxAttempts, locked_by = null, locked_until = null""" + OWNED)
                        .param("id", id)
                        .param("worker", worker)
                        .param("attempt", attempt)
                        .param("error", error)
                        .param("maxAttempts", maxAttempts)
                        .update()
                == 1;
    }

    /** Hands an attempt back uncounted (this node is stopping), for any worker to run at once. */
    @Override
    public boolean release(UUID id, String worker, int attempt) {
        return jdbc.sql("""
                        update job set status = 'queued', attempt = attempt - 1, run_at = now(),
                               locked_by = null, locked_until = null""" + OWNED)
                        .param("id", id)
                        .param("worker", worker)
                        .param("attempt", attempt)
                        .update()
                == 1;
    }

    /** Makes sure {@code kind} has a schedule of {@code every}; a new one is due at once. */
    @Override
    public void schedule(String kind, Duration every) {
        // A shortened interval applies at once rather than after the old, longer one.
        jdbc.sql("""
                        insert into job_schedule (kind, every, next_run_at)
                        values (:kind, :everyMicros * interval '1 microsecond', now())
                        on conflict (kind) do update
                        set every = excluded.every,
                            next_run_at = least(job_schedule.next_run_at, now() + excluded.every)""").param("kind", kind).param("everyMicros", micros(every)).update();
    }

    /**
     * For each due schedule among {@code kinds} that no other node holds: queues one job of its kind,
     * due at the scheduled instant, and moves the schedule on by its interval (from now, if it fell
     * more than an interval behind while no node ran). A kind whose previous job still waits gets no
     * second one, and its jobs share an ordering key, so runs never overlap or pile up. Must run in
     * a transaction, which holds the schedule rows until it commits.
     */
    @Override
    public List<UUID> enqueueDue(Collection<String> kinds, Map<String, Integer> maxAttempts) {
        List<Due> due = jdbc.sql("""
                        select kind, next_run_at from job_schedule
                        where kind = any(:kinds) and next_run_at <= now()
                        for update skip locked""")
                .param("kinds", kinds.toArray(String[]::new))
                .query((rs, row) -> new Due(rs.getString(1), rs.getTimestamp(2).toInstant()))
                .list();
        List<UUID> queued = new ArrayList<>();
        for (Due schedule : due) {
            UUID id = Ids.newId();
            String orderingKey = "schedule:" + schedule.kind();
            int inserted = jdbc.sql("""
                            insert into job (id, kind, payload, run_at, ordering_key, max_attempts)
                            select :id, :kind, '{}', cast(:runAt as timestamptz), cast(:orderingKey as text), :maxAttempts
                            where not exists (select 1 from job where ordering_key = :orderingKey and status = 'queued')""")
                    .param("id", id)
                    .param("kind", schedule.kind())
                    .param("runAt", Timestamp.from(schedule.nextRunAt()))
                    .param("orderingKey", orderingKey)
                    .param("maxAttempts", maxAttempts.getOrDefault(schedule.kind(), 1))
                    .update();
            if (inserted == 1) {
                queued.add(id);
            }
            jdbc.sql("""
                            update job_schedule
                            set next_run_at = case when next_run_at + every > now() then next_run_at + every
                                                   else now() + every end
                            where kind = :kind""").param("kind", schedule.kind()).update();
        }
        return queued;
    }

    /** Deletes up to {@code limit} jobs in {@code status} finished more than {@code age} ago. */
    @Override
    public int deleteFinished(JobStatus status, Duration age, int limit) {
        return jdbc.sql("""
                        delete from job where id in (
                            select id from job
                            where status = :status and finished_at < now() - :ageMicros * interval '1 microsecond'
                            limit :limit)""")
                .param("status", status.id())
                .param("ageMicros", micros(age))
                .param("limit", limit)
                .update();
    }

    /**
     * The worker calls it as the owner, outside any transaction, so row-level security hides no
     * tenant's jobs.
     */
    @Override
    public Map<String, JobMeters.Depth> depthByKind() {
        Map<String, JobMeters.Depth> depths = new HashMap<>();
        jdbc.sql("""
                        select kind, count(*) filter (where status = 'queued'), count(*) filter (where status = 'running'),
                               extract(epoch from now() - min(run_at) filter (where status = 'queued' and run_at <= now()))
                          from job where status = 'queued' or status = 'running' group by kind""").query(rs -> {
            double oldest = rs.getDouble(4);
            depths.put(rs.getString(1), new JobMeters.Depth(rs.getLong(2), rs.getLong(3), Duration.ofNanos((long)
                    (oldest * 1e9))));
        });
        return depths;
    }

    @Override
    public Optional<JobView> find(@Nullable UUID tenantId, UUID id) {
        return jdbc.sql("select " + VIEW_COLUMNS + " from job where " + owner(tenantId) + " and id = :id")
                .param("tenantId", tenantId)
                .param("id", id)
                .query(JobRepository::view)
                .optional();
    }

    /** A keyset page of a tenant's (or the system's) jobs, newest (last queued) first. */
    @Override
    public List<Listed> page(
            @Nullable UUID tenantId,
            @Nullable JobStatus status,
            @Nullable String kind,
            @Nullable Long beforeSeq,
            int limit) {
        return jdbc.sql("select seq, " + VIEW_COLUMNS + " from job where " + owner(tenantId)
                        + " and (cast(:status as text) is null or status = :status)"
                        + " and (cast(:kind as text) is null or kind = :kind)"
                        + " and (cast(:before as bigint) is null or seq < :before)"
                        + " order by seq desc limit :limit")
                .param("tenantId", tenantId)
                .param("status", status == null ? null : status.id())
                .param("kind", kind)
                .param("before", beforeSeq)
                .param("limit", limit)
                .query((rs, row) -> new Listed(rs.getLong("seq"), view(rs, row)))
                .list();
    }

    /** The owner condition: equality (which the indexes serve) for a tenant, is null for the system. */
    private static String owner(@Nullable UUID tenantId) {
        return tenantId == null ? "tenant_id is null and cast(:tenantId as uuid) is null" : "tenant_id = :tenantId";
    }

    /** Counts of a tenant's jobs by kind and status. */
    @Override
    public List<Count> count(UUID tenantId) {
        return jdbc.sql("select kind, status, count(*) from job where tenant_id = :tenantId group by kind, status")
                .param("tenantId", tenantId)
                .query((rs, row) -> new Count(
                        rs.getString(1), JobStatus.fromId(rs.getString(2)).orElseThrow(), rs.getLong(3)))
                .list();
    }

    /** Queues a dead job again, due now, with its attempts reset. */
    @Override
    public boolean requeueDead(UUID tenantId, UUID id) {
        return jdbc.sql("""
                        update job set status = 'queued', attempt = 0, run_at = now(), started_at = null,
                               finished_at = null, locked_by = null, locked_until = null
                        where tenant_id = :tenantId and id = :id and status = 'dead'""").param("tenantId", tenantId).param("id", id).update() == 1;
    }

    private static long micros(Duration duration) {
        return duration.toNanos() / 1_000;
    }

    private static Claimed claimed(ResultSet rs, int row) throws SQLException {
        Job job = new Job(
                rs.getObject("id", UUID.class),
                rs.getString("kind"),
                rs.getObject("tenant_id", UUID.class),
                rs.getString("payload"),
                rs.getInt("attempt"),
                rs.getTimestamp("created_at").toInstant(),
                rs.getTimestamp("run_at").toInstant(),
                rs.getString("ordering_key"));
        Timestamp startedAt = rs.getTimestamp("started_at");
        return new Claimed(job, startedAt == null ? job.runAt() : startedAt.toInstant());
    }

    private static JobView view(ResultSet rs, int row) throws SQLException {
        return new JobView(
                rs.getObject("id", UUID.class),
                rs.getString("kind"),
                rs.getObject("tenant_id", UUID.class),
                JobStatus.fromId(rs.getString("status")).orElseThrow(),
                rs.getString("payload"),
                rs.getInt("attempt"),
                rs.getInt("max_attempts"),
                rs.getString("ordering_key"),
                rs.getTimestamp("run_at").toInstant(),
                rs.getTimestamp("created_at").toInstant(),
                instant(rs.getTimestamp("started_at")),
                instant(rs.getTimestamp("finished_at")),
                rs.getString("last_error"));
    }

    private static @Nullable Instant instant(@Nullable Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }

    private record Due(String kind, Instant nextRunAt) {}
}
