package io.sextant.jobs;

import io.lettuce.core.Consumer;
import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.RedisBusyException;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XAutoClaimArgs;
import io.lettuce.core.XGroupCreateArgs;
import io.lettuce.core.XReadArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.models.stream.ClaimedMessages;
import io.sextant.platform.redis.PlatformRedis;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * The jobs on Redis: due jobs are entries of one stream read by the consumer group {@code workers};
 * jobs not yet due wait in a sorted set until a worker promotes them; each state change is one Lua
 * script ({@link RedisJobScripts}), so it is atomic across nodes. A worker that dies leaves its
 * running jobs' leases to expire (they are then taken over and counted as failed, as on PostgreSQL)
 * and the entries it read but never started to be reclaimed with {@code XAUTOCLAIM} after the
 * visibility timeout ({@code sextant.jobs.visibility-timeout}).
 *
 * <p>Jobs queued in a database transaction are written to the {@code job_outbox} table in that
 * transaction and moved here by the {@link JobOutboxForwarder} after it commits: work that must
 * follow a database change never depends on a second write that could fail on its own. Jobs
 * queued outside a transaction go straight to Redis, or to the outbox if Redis cannot be reached.
 * Enqueue is idempotent on the job's id.
 */
class RedisJobStore implements JobStore {

    /** The longest blocking read (within what the platform's connection allows a stream read). */
    static final Duration LONGEST_BLOCK = Duration.ofSeconds(1);

    private static final String GROUP = "workers";
    private static final int PROMOTE_BATCH = 1_000;
    private static final int OLDEST_SCAN = 1_000;

    private final PlatformRedis redis;
    private final String prefix;
    private final String ready;
    private final JobOutboxRepository outbox;
    private final Duration visibilityTimeout;
    private final AtomicReference<@Nullable StatefulRedisConnection<String, String>> commands = new AtomicReference<>();
    private final AtomicReference<@Nullable StatefulRedisConnection<String, String>> reader = new AtomicReference<>();
    private final Map<String, String> shas = new ConcurrentHashMap<>();
    /** Entries this worker read (while waiting, or reclaimed) and has not started yet. */
    private final List<StreamMessage<String, String>> held = new ArrayList<>();

    RedisJobStore(PlatformRedis redis, JobOutboxRepository outbox, Duration visibilityTimeout) {
        this.visibilityTimeout = visibilityTimeout;
        this.redis = redis;
        this.prefix = redis.keyPrefix() + "jobs:";
        this.ready = prefix + "ready";
        this.outbox = outbox;
    }

    /** What every key of the store starts with. */
    String prefix() {
        return prefix;
    }

    @Override
    public boolean outcomesInDatabase() {
        return false;
    }

    @Override
    public void insert(List<UUID> ids, List<NewJob> jobs, List<Integer> maxAttempts) {
        if (TransactionSynchronizationManager.isActualTransactionActive()) {
            outbox.insert(ids, jobs, maxAttempts);
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    outbox.committed();
                }
            });
            return;
        }
        try {
            enqueue(ids, jobs, maxAttempts);
        } catch (RuntimeException redisDown) {
            outbox.insert(ids, jobs, maxAttempts);
            outbox.committed();
        }
    }

    /** Adds jobs to Redis (those whose id exists are left as they are); returns how many were new. */
    long enqueue(List<UUID> ids, List<NewJob> jobs, List<Integer> maxAttempts) {
        List<String> args = new ArrayList<>(2 + jobs.size() * 7);
        args.add(prefix);
        args.add(Integer.toString(jobs.size()));
        for (int i = 0; i < jobs.size(); i++) {
            NewJob job = jobs.get(i);
            args.add(ids.get(i).toString());
            args.add(job.kind());
            args.add(job.tenantId() == null ? "" : job.tenantId().toString());
            args.add(job.payload());
            args.add(Long.toString(job.runAt().toEpochMilli()));
            args.add(job.orderingKey() == null ? "" : job.orderingKey());
            args.add(Integer.toString(maxAttempts.get(i)));
        }
        return run(RedisJobScripts.ENQUEUE, ScriptOutputType.INTEGER, args);
    }

    @Override
    public List<Claimed> claim(String worker, int limit, Map<String, Duration> leases, Duration defaultLease) {
        promote();
        List<StreamMessage<String, String>> entries = new ArrayList<>();
        synchronized (held) {
            while (!held.isEmpty() && entries.size() < limit) {
                entries.add(held.removeFirst());
            }
        }
        if (entries.size() < limit) {
            entries.addAll(read(commands(), worker, limit - entries.size(), null));
        }
        return start(worker, entries, leases, defaultLease);
    }

    /**
     * Waits up to {@code timeout} (at most {@link #LONGEST_BLOCK} at a time) for a due job on any
     * node with a blocking read, holding what arrives for this worker's next claim; returns at once
     * if entries are held or this node's signal is pending.
     */
    @Override
    public void awaitWork(String worker, JobSignal signal, Duration timeout) {
        synchronized (held) {
            if (!held.isEmpty()) {
                return;
            }
        }
        if (signal.take()) {
            return;
        }
        Duration block = timeout.compareTo(LONGEST_BLOCK) > 0 ? LONGEST_BLOCK : timeout;
        if (block.toMillis() < 1) {
            return;
        }
        List<StreamMessage<String, String>> arrived = read(reader(), worker, 1, block);
        synchronized (held) {
            held.addAll(arrived);
        }
    }

    private List<StreamMessage<String, String>> read(
            StatefulRedisConnection<String, String> connection, String worker, int count, @Nullable Duration block) {
        XReadArgs args = XReadArgs.Builder.count(count);
        if (block != null) {
            args.block(block);
        }
        try {
            List<StreamMessage<String, String>> read = connection
                    .sync()
                    .xreadgroup(Consumer.from(GROUP, worker), args, XReadArgs.StreamOffset.lastConsumed(ready));
            return read == null ? List.of() : read;
        } catch (io.lettuce.core.RedisCommandExecutionException e) {
            if (noGroup(e)) {
                createGroup(); // a new or emptied Redis: the next read finds the group
                return List.of();
            }
            throw e;
        }
    }

    private static boolean noGroup(io.lettuce.core.RedisCommandExecutionException e) {
        return e.getMessage() != null && e.getMessage().startsWith("NOGROUP");
    }

    private List<Claimed> start(
            String worker,
            List<StreamMessage<String, String>> entries,
            Map<String, Duration> leases,
            Duration defaultLease) {
        if (entries.isEmpty()) {
            return List.of();
        }
        List<String> args = new ArrayList<>(3 + entries.size() * 3);
        args.add(prefix);
        args.add(worker);
        args.add(Integer.toString(entries.size()));
        for (StreamMessage<String, String> entry : entries) {
            String kind = entry.getBody().getOrDefault("kind", "");
            args.add(entry.getBody().getOrDefault("id", ""));
            args.add(entry.getId());
            args.add(Long.toString(leases.getOrDefault(kind, defaultLease).toMillis()));
        }
        List<Object> started = run(RedisJobScripts.START, ScriptOutputType.MULTI, args);
        List<Claimed> claimed = new ArrayList<>(entries.size());
        for (int i = 0; i < started.size(); i++) {
            List<?> job = (List<?>) started.get(i);
            if (job.isEmpty()) {
                continue;
            }
            String id = entries.get(i).getBody().getOrDefault("id", "");
            claimed.add(claimed(id, job.subList(0, 7), text(job, 7)));
        }
        return claimed;
    }

    /** Makes due delayed jobs ready; returns when the next one is due, if any is waiting. */
    private Optional<Instant> promote() {
        List<Object> result =
                run(RedisJobScripts.PROMOTE, ScriptOutputType.MULTI, List.of(prefix, Integer.toString(PROMOTE_BATCH)));
        return result.size() > 1 ? Optional.of(millis(text(result, 1))) : Optional.empty();
    }

    /**
     * Takes over the jobs whose lease expired, and reclaims for this worker the entries that another
     * (dead) worker read but never started, to start them with its next claim.
     */
    @Override
    public List<Claimed> takeExpired(String worker, int limit) {
        ClaimedMessages<String, String> reclaimed;
        try {
            reclaimed = commands()
                    .sync()
                    .xautoclaim(
                            ready,
                            XAutoClaimArgs.Builder.xautoclaim(Consumer.from(GROUP, worker), visibilityTimeout, "0-0")
                                    .count(limit));
        } catch (io.lettuce.core.RedisCommandExecutionException e) {
            if (!noGroup(e)) {
                throw e;
            }
            // A new or emptied Redis: no entry to reclaim. Failing here would fail every poll, as the
            // worker reclaims before it reads, and the read is what creates the group.
            createGroup();
            reclaimed = null;
        }
        if (reclaimed != null && !reclaimed.getMessages().isEmpty()) {
            synchronized (held) {
                held.addAll(reclaimed.getMessages());
            }
        }
        List<Object> expired = run(
                RedisJobScripts.TAKE_EXPIRED, ScriptOutputType.MULTI, List.of(prefix, worker, Integer.toString(limit)));
        List<Claimed> taken = new ArrayList<>(expired.size());
        for (Object row : expired) {
            List<?> job = (List<?>) row;
            taken.add(claimed(text(job, 0), job.subList(1, 8), text(job, 8)));
        }
        return taken;
    }

    @Override
    public Optional<Instant> nextDue() {
        return promote();
    }

    @Override
    public boolean succeed(UUID id, String worker, int attempt) {
        return finish(id, worker, attempt, "succeeded", "", Duration.ZERO, 0);
    }

    @Override
    public int renew(String worker, List<Attempt> attempts, Duration lease) {
        if (attempts.isEmpty()) {
            return 0;
        }
        List<String> args = new ArrayList<>();
        args.add(prefix);
        args.add(worker);
        args.add(Long.toString(Math.max(1, lease.toMillis())));
        args.add(Integer.toString(attempts.size()));
        for (Attempt attempt : attempts) {
            args.add(attempt.id().toString());
            args.add(Integer.toString(attempt.attempt()));
        }
        long renewed = run(RedisJobScripts.RENEW, ScriptOutputType.INTEGER, args);
        return (int) renewed;
    }

    @Override
    public boolean retryLater(UUID id, String worker, int attempt, Duration delay, String error, int maxAttempts) {
        return finish(id, worker, attempt, "retry", error, delay, maxAttempts);
    }

    @Override
    public boolean bury(UUID id, String worker, int attempt, String error, int maxAttempts) {
        return finish(id, worker, attempt, "dead", error, Duration.ZERO, maxAttempts);
    }

    @Override
    public boolean release(UUID id, String worker, int attempt) {
        return finish(id, worker, attempt, "release", "", Duration.ZERO, 0);
    }

    private boolean finish(
            UUID id, String worker, int attempt, String outcome, String error, Duration delay, int maxAttempts) {
        long recorded = run(
                RedisJobScripts.FINISH,
                ScriptOutputType.INTEGER,
                List.of(
                        prefix,
                        id.toString(),
                        worker,
                        Integer.toString(attempt),
                        outcome,
                        error,
                        Long.toString(delay.toMillis()),
                        Integer.toString(maxAttempts)));
        return recorded == 1;
    }

    @Override
    public void schedule(String kind, Duration every) {
        run(RedisJobScripts.SCHEDULE, ScriptOutputType.INTEGER, List.of(prefix, kind, Long.toString(every.toMillis())));
    }

    @Override
    public List<UUID> enqueueDue(Collection<String> kinds, Map<String, Integer> maxAttempts) {
        List<UUID> queued = new ArrayList<>();
        for (String kind : kinds) {
            UUID id = io.sextant.shared.Ids.newId();
            long added = run(
                    RedisJobScripts.ENQUEUE_DUE,
                    ScriptOutputType.INTEGER,
                    List.of(prefix, kind, id.toString(), Integer.toString(maxAttempts.getOrDefault(kind, 1))));
            if (added == 1) {
                queued.add(id);
            }
        }
        return queued;
    }

    @Override
    public int deleteFinished(JobStatus status, Duration age, int limit) {
        long deleted = run(
                RedisJobScripts.DELETE_FINISHED,
                ScriptOutputType.INTEGER,
                List.of(prefix, status.id(), Long.toString(age.toMillis()), Integer.toString(limit)));
        return (int) deleted;
    }

    @Override
    public Map<String, JobMeters.Depth> depthByKind() {
        Map<String, Long> queued = new HashMap<>();
        Map<String, Long> running = new HashMap<>();
        commands().sync().hgetall(prefix + "depth").forEach((field, value) -> {
            int tab = field.lastIndexOf('\t');
            String kind = field.substring(0, tab);
            (field.endsWith("\trunning") ? running : queued).merge(kind, Long.parseLong(value), Long::sum);
        });
        Map<String, Duration> oldest = new HashMap<>();
        List<Object> ages =
                run(RedisJobScripts.OLDEST, ScriptOutputType.MULTI, List.of(prefix, Integer.toString(OLDEST_SCAN)));
        for (int i = 0; i + 1 < ages.size(); i += 2) {
            oldest.put(text(ages, i), Duration.ofMillis(Long.parseLong(text(ages, i + 1))));
        }
        Map<String, JobMeters.Depth> depths = new HashMap<>();
        for (String kind : union(queued.keySet(), running.keySet(), oldest.keySet())) {
            long waiting = queued.getOrDefault(kind, 0L);
            long now = running.getOrDefault(kind, 0L);
            if (waiting + now > 0) {
                depths.put(kind, new JobMeters.Depth(waiting, now, oldest.getOrDefault(kind, Duration.ZERO)));
            }
        }
        return depths;
    }

    @Override
    public Optional<JobView> find(@Nullable UUID tenantId, UUID id) {
        Map<String, String> job = commands().sync().hgetall(prefix + "job:" + id);
        if (job == null || job.isEmpty()) {
            return outbox.find(tenantId, id);
        }
        if (!job.getOrDefault("tenant", "").equals(tenantId == null ? "" : tenantId.toString())) {
            return Optional.empty();
        }
        return Optional.of(view(id, job));
    }

    @Override
    public List<Listed> page(
            @Nullable UUID tenantId,
            @Nullable JobStatus status,
            @Nullable String kind,
            @Nullable Long beforeSeq,
            int limit) {
        String key = prefix + "list:" + (tenantId == null ? "system" : tenantId) + (kind == null ? "" : ":kind:" + kind)
                + (status == null ? "" : ":" + status.id());
        Range<Long> range = Range.from(
                Range.Boundary.unbounded(),
                beforeSeq == null ? Range.Boundary.unbounded() : Range.Boundary.excluding(beforeSeq));
        RedisCommands<String, String> sync = commands().sync();
        List<Listed> rows = new ArrayList<>(limit);
        // A job deleted between the two reads drops out; read on until the page is full.
        while (rows.size() < limit) {
            List<String> ids = sync.zrevrangebyscore(key, range, Limit.create(0, limit - rows.size()));
            if (ids.isEmpty()) {
                break;
            }
            long lastSeq = Long.MAX_VALUE;
            for (String id : ids) {
                Map<String, String> job = sync.hgetall(prefix + "job:" + id);
                if (job != null && !job.isEmpty()) {
                    JobView view = view(UUID.fromString(id), job);
                    long seq = Long.parseLong(required(job, "seq"));
                    lastSeq = Math.min(lastSeq, seq);
                    rows.add(new Listed(seq, view));
                } else {
                    Double score = sync.zscore(key, id);
                    if (score != null) {
                        lastSeq = Math.min(lastSeq, score.longValue());
                    }
                }
            }
            if (lastSeq == Long.MAX_VALUE) {
                break;
            }
            range = Range.from(Range.Boundary.unbounded(), Range.Boundary.excluding(lastSeq));
        }
        return rows;
    }

    @Override
    public List<Count> count(UUID tenantId) {
        List<Count> counts = new ArrayList<>();
        commands().sync().hgetall(prefix + "counts:" + tenantId).forEach((field, value) -> {
            int tab = field.lastIndexOf('\t');
            long count = Long.parseLong(value);
            Optional<JobStatus> status = JobStatus.fromId(field.substring(tab + 1));
            if (count > 0 && status.isPresent()) {
                counts.add(new Count(field.substring(0, tab), status.get(), count));
            }
        });
        return counts;
    }

    @Override
    public boolean requeueDead(UUID tenantId, UUID id) {
        long requeued = run(
                RedisJobScripts.REQUEUE_DEAD,
                ScriptOutputType.INTEGER,
                List.of(prefix, tenantId.toString(), id.toString()));
        return requeued == 1;
    }

    /** Creates the stream and its consumer group if they do not exist (on start and after Redis lost them). */
    private void createGroup() {
        createGroup(commands());
    }

    private void createGroup(StatefulRedisConnection<String, String> connection) {
        try {
            connection
                    .sync()
                    .xgroupCreate(XReadArgs.StreamOffset.from(ready, "0"), GROUP, XGroupCreateArgs.Builder.mkstream());
        } catch (RedisBusyException exists) {
            // BUSYGROUP: another node (or an earlier start) created it.
        }
    }

    /** Closes this store's connections. */
    public void close() {
        for (AtomicReference<@Nullable StatefulRedisConnection<String, String>> holder : List.of(commands, reader)) {
            StatefulRedisConnection<String, String> connection = holder.getAndSet(null);
            if (connection != null) {
                connection.close();
            }
        }
    }

    private StatefulRedisConnection<String, String> commands() {
        StatefulRedisConnection<String, String> connection = commands.get();
        if (connection != null) {
            return connection;
        }
        connection = open(commands);
        createGroup(connection);
        return connection;
    }

    private StatefulRedisConnection<String, String> reader() {
        return open(reader);
    }

    /** Opens the connection on first use (a failed connect throws, to be retried by the next use). */
    private StatefulRedisConnection<String, String> open(
            AtomicReference<@Nullable StatefulRedisConnection<String, String>> holder) {
        StatefulRedisConnection<String, String> connection = holder.get();
        if (connection != null) {
            return connection;
        }
        synchronized (holder) {
            connection = holder.get();
            if (connection == null) {
                connection = redis.connect(StringCodec.UTF8);
                holder.set(connection);
            }
            return connection;
        }
    }

    @SuppressWarnings("unchecked")
    private <T> T run(String script, ScriptOutputType type, List<String> args) {
        RedisCommands<String, String> sync = commands().sync();
        String sha = shas.computeIfAbsent(script, RedisJobStore::sha1);
        String[] values = args.toArray(String[]::new);
        try {
            return (T) sync.evalsha(sha, type, new String[0], values);
        } catch (RedisNoScriptException notLoaded) {
            // First use, or Redis restarted: EVAL runs it and caches it for EVALSHA.
            return (T) sync.eval(script, type, new String[0], values);
        }
    }

    private static Claimed claimed(String id, List<?> job, String startedAt) {
        // {kind, tenant, payload, attempt, created, run at, ordering key}
        String tenant = text(job, 1);
        String orderingKey = text(job, 6);
        Job claimed = new Job(
                UUID.fromString(id),
                text(job, 0),
                tenant.isEmpty() ? null : UUID.fromString(tenant),
                text(job, 2),
                Integer.parseInt(text(job, 3)),
                millis(text(job, 4)),
                millis(text(job, 5)),
                orderingKey.isEmpty() ? null : orderingKey);
        return new Claimed(claimed, startedAt.isEmpty() ? claimed.runAt() : millis(startedAt));
    }

    private static JobView view(UUID id, Map<String, String> job) {
        String tenant = job.getOrDefault("tenant", "");
        String orderingKey = job.getOrDefault("okey", "");
        return new JobView(
                id,
                required(job, "kind"),
                tenant.isEmpty() ? null : UUID.fromString(tenant),
                JobStatus.fromId(required(job, "status")).orElseThrow(),
                required(job, "payload"),
                Integer.parseInt(job.getOrDefault("attempt", "0")),
                Integer.parseInt(job.getOrDefault("max", "1")),
                orderingKey.isEmpty() ? null : orderingKey,
                millis(required(job, "runAt")),
                millis(required(job, "createdAt")),
                optionalMillis(job.get("startedAt")),
                optionalMillis(job.get("finishedAt")),
                job.get("error"));
    }

    private static String required(Map<String, String> job, String field) {
        String value = job.get(field);
        if (value == null) {
            throw new IllegalStateException("job hash without " + field);
        }
        return value;
    }

    private static String text(List<?> values, int index) {
        Object value = values.get(index);
        return value == null ? "" : value.toString();
    }

    private static Instant millis(String value) {
        return Instant.ofEpochMilli(Long.parseLong(value));
    }

    private static @Nullable Instant optionalMillis(@Nullable String value) {
        return value == null || value.isEmpty() ? null : millis(value);
    }

    @SafeVarargs
    private static Collection<String> union(Collection<String>... sets) {
        java.util.Set<String> all = new java.util.TreeSet<>();
        for (Collection<String> set : sets) {
            all.addAll(set);
        }
        return all;
    }

    private static String sha1(String script) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-1").digest(script.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
