package io.sextant.jobs;

/**
 * The Lua scripts behind {@link RedisJobStore}: each state change of a job is one script, so it is
 * atomic however many nodes work on the queue. All take the key prefix as ARGV[1] and read the time
 * from Redis ({@code TIME}), so every node judges "due" and "expired" by one clock.
 *
 * <p>Keys, after the prefix: {@code job:<id>} (a hash: the job), {@code ready} (the stream of due
 * jobs, consumer group {@code workers}), {@code delayed} (sorted set of jobs not yet due, by run
 * time), {@code leases} (sorted set of running jobs, by lease deadline), {@code key:<ordering key>}
 * (list of the key's unfinished jobs in queue order; only its head is ever ready), {@code
 * list:<owner>[:<status>]} and {@code list:<owner>:kind:<kind>[:<status>]} (sorted sets of an
 * owner's jobs by queue sequence, for the API; the owner is a tenant id or {@code system}), {@code
 * counts:<owner>} and {@code depth} (hashes of counts by kind and status), {@code finished:<status>}
 * (sorted sets by finish time, for retention), {@code schedule:<kind>} (recurring schedules) and
 * {@code seq}. Keys are built inside the scripts, so the store needs one Redis primary (standalone or
 * Sentinel), not Redis Cluster.
 */
final class RedisJobScripts {

    private RedisJobScripts() {}

    /** Shared by every script: the clock, the owner lists and counts, and making a job ready. */
    private static final String COMMON = """
            local p = ARGV[1]
            local t = redis.call('TIME')
            local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
            local function n(x) return string.format('%d', x) end
            local function owner(tenant) if tenant == '' then return 'system' end return tenant end
            local function lists(tenant, kind)
              local o = p .. 'list:' .. owner(tenant)
              return o, o .. ':kind:' .. kind
            end
            local function move(id, kind, tenant, seq, from, to)
              local all, bykind = lists(tenant, kind)
              local counts = p .. 'counts:' .. owner(tenant)
              if from then
                redis.call('ZREM', all .. ':' .. from, id)
                redis.call('ZREM', bykind .. ':' .. from, id)
                redis.call('HINCRBY', counts, kind .. '\\t' .. from, -1)
                if from == 'queued' or from == 'running' then
                  redis.call('HINCRBY', p .. 'depth', kind .. '\\t' .. from, -1)
                end
              end
              if to then
                redis.call('ZADD', all .. ':' .. to, seq, id)
                redis.call('ZADD', bykind .. ':' .. to, seq, id)
                redis.call('HINCRBY', counts, kind .. '\\t' .. to, 1)
                if to == 'queued' or to == 'running' then
                  redis.call('HINCRBY', p .. 'depth', kind .. '\\t' .. to, 1)
                end
              end
            end
            local function dispatch(id, run_at)
              if tonumber(run_at) <= now then
                redis.call('XADD', p .. 'ready', '*', 'id', id, 'kind', redis.call('HGET', p .. 'job:' .. id, 'kind'))
              else
                redis.call('ZADD', p .. 'delayed', run_at, id)
              end
            end
            local function enqueue(id, kind, tenant, payload, run_at, okey, max)
              local jk = p .. 'job:' .. id
              if redis.call('EXISTS', jk) == 1 then return 0 end
              local seq = redis.call('INCR', p .. 'seq')
              redis.call('HSET', jk, 'kind', kind, 'tenant', tenant, 'payload', payload, 'status', 'queued',
                'attempt', 0, 'max', max, 'okey', okey, 'runAt', run_at, 'createdAt', n(now), 'seq', seq)
              local all, bykind = lists(tenant, kind)
              redis.call('ZADD', all, seq, id)
              redis.call('ZADD', bykind, seq, id)
              move(id, kind, tenant, seq, nil, 'queued')
              if okey ~= '' and redis.call('RPUSH', p .. 'key:' .. okey, id) > 1 then return 1 end
              dispatch(id, run_at)
              return 1
            end
            local function advance(okey, id)
              if okey == '' then return end
              local k = p .. 'key:' .. okey
              redis.call('LREM', k, 1, id)
              local following = redis.call('LINDEX', k, 0)
              if following then dispatch(following, redis.call('HGET', p .. 'job:' .. following, 'runAt')) end
            end
            """;

    /**
     * ARGV[2] the number of jobs, then seven values for each: id, kind, tenant ('' for the system),
     * payload, run time (ms), ordering key (''), max attempts. A job whose id exists is left as it
     * is (idempotent enqueue). Returns how many were new.
     */
    static final String ENQUEUE = COMMON + """
            local added = 0
            for i = 0, tonumber(ARGV[2]) - 1 do
              local b = 3 + i * 7
              added = added + enqueue(ARGV[b], ARGV[b + 1], ARGV[b + 2], ARGV[b + 3], ARGV[b + 4], ARGV[b + 5], ARGV[b + 6])
            end
            return added
            """;

    /**
     * Makes due delayed jobs ready (at most ARGV[2]); returns {moved, the next run time or nothing}.
     */
    static final String PROMOTE = COMMON + """
            local ids = redis.call('ZRANGEBYSCORE', p .. 'delayed', '-inf', now, 'LIMIT', 0, tonumber(ARGV[2]))
            for _, id in ipairs(ids) do
              redis.call('ZREM', p .. 'delayed', id)
              local j = redis.call('HMGET', p .. 'job:' .. id, 'status', 'kind')
              if j[1] == 'queued' then redis.call('XADD', p .. 'ready', '*', 'id', id, 'kind', j[2]) end
            end
            local first = redis.call('ZRANGE', p .. 'delayed', 0, 0, 'WITHSCORES')
            if first[2] then return {#ids, first[2]} end
            return {#ids}
            """;

    /**
     * Starts the jobs of stream entries read by worker ARGV[2]: ARGV[3] the number of entries, then
     * three values for each: job id, entry id, lease (ms). Returns, per entry, the started job
     * {kind, tenant, payload, attempt, created, run at, ordering key, started} or an empty list. An
     * entry whose job is not startable (finished, running under another entry, not due, not the
     * head of its key: left over from a crash) is acknowledged and deleted; an entry of the job's
     * own running attempt is left alone.
     */
    static final String START = COMMON + """
            local out = {}
            for i = 0, tonumber(ARGV[3]) - 1 do
              local b = 4 + i * 3
              local id, entry, lease = ARGV[b], ARGV[b + 1], tonumber(ARGV[b + 2])
              local jk = p .. 'job:' .. id
              local j = redis.call('HMGET', jk, 'status', 'entry', 'runAt', 'okey', 'kind', 'tenant', 'seq',
                'attempt', 'payload', 'createdAt')
              local startable = j[1] == 'queued' and tonumber(j[3]) <= now
                and (j[4] == '' or redis.call('LINDEX', p .. 'key:' .. j[4], 0) == id)
              if startable then
                local attempt = tonumber(j[8]) + 1
                redis.call('HSET', jk, 'status', 'running', 'attempt', attempt, 'startedAt', n(now),
                  'worker', ARGV[2], 'entry', entry, 'deadline', n(now + lease))
                redis.call('HDEL', jk, 'finishedAt')
                redis.call('ZADD', p .. 'leases', now + lease, id)
                move(id, j[5], j[6], j[7], 'queued', 'running')
                out[i + 1] = {j[5], j[6], j[9], tostring(attempt), j[10], j[3], j[4], n(now)}
              else
                if not (j[1] == 'running' and j[2] == entry) then
                  redis.call('XACK', p .. 'ready', 'workers', entry)
                  redis.call('XDEL', p .. 'ready', entry)
                end
                out[i + 1] = {}
              end
            end
            return out
            """;

    /**
     * Records an attempt's outcome if job ARGV[2] is still running for worker ARGV[3] at attempt
     * ARGV[4]: ARGV[5] one of succeeded, retry, dead, release; ARGV[6] the error; ARGV[7] the retry
     * delay (ms); ARGV[8] max attempts. Returns 1 if recorded, 0 if the attempt was no longer its.
     */
    static final String FINISH = COMMON + """
            local id = ARGV[2]
            local jk = p .. 'job:' .. id
            local j = redis.call('HMGET', jk, 'status', 'worker', 'attempt', 'entry', 'kind', 'tenant', 'seq', 'okey')
            if j[1] ~= 'running' or j[2] ~= ARGV[3] or j[3] ~= ARGV[4] then return 0 end
            redis.call('XACK', p .. 'ready', 'workers', j[4])
            redis.call('XDEL', p .. 'ready', j[4])
            redis.call('ZREM', p .. 'leases', id)
            redis.call('HDEL', jk, 'worker', 'entry', 'deadline')
            local outcome = ARGV[5]
            if outcome == 'succeeded' or outcome == 'dead' then
              redis.call('HSET', jk, 'status', outcome, 'finishedAt', n(now))
              if outcome == 'dead' then redis.call('HSET', jk, 'error', ARGV[6], 'max', ARGV[8]) end
              redis.call('ZADD', p .. 'finished:' .. outcome, now, id)
              move(id, j[5], j[6], j[7], 'running', outcome)
              advance(j[8], id)
            elseif outcome == 'retry' then
              local run_at = now + tonumber(ARGV[7])
              redis.call('HSET', jk, 'status', 'queued', 'runAt', n(run_at), 'error', ARGV[6], 'max', ARGV[8])
              move(id, j[5], j[6], j[7], 'running', 'queued')
              dispatch(id, run_at)
            else
              redis.call('HSET', jk, 'status', 'queued', 'attempt', tonumber(j[3]) - 1, 'runAt', n(now))
              move(id, j[5], j[6], j[7], 'running', 'queued')
              dispatch(id, now)
            end
            return 1
            """;

    /**
     * Extends the leases of worker ARGV[2]'s running attempts to ARGV[3] ms from now: ARGV[4] the
     * number of attempts, then a job id and an attempt for each. An attempt no longer the worker's,
     * or whose lease has already run out (it is about to be taken over), is left alone. Returns how
     * many were extended.
     */
    static final String RENEW = COMMON + """
            local renewed = 0
            for i = 0, tonumber(ARGV[4]) - 1 do
              local id, attempt = ARGV[5 + i * 2], ARGV[6 + i * 2]
              local jk = p .. 'job:' .. id
              local j = redis.call('HMGET', jk, 'status', 'worker', 'attempt')
              local current = tonumber(redis.call('ZSCORE', p .. 'leases', id) or '0')
              if j[1] == 'running' and j[2] == ARGV[2] and j[3] == attempt and current > now then
                local deadline = now + tonumber(ARGV[3])
                redis.call('HSET', jk, 'deadline', n(deadline))
                redis.call('ZADD', p .. 'leases', deadline, id)
                renewed = renewed + 1
              end
            end
            return renewed
            """;

    /**
     * Takes over for worker ARGV[2] up to ARGV[3] running jobs whose lease has expired (leased to it
     * for one more minute, to record them). Returns {id, kind, tenant, payload, attempt, created, run
     * at, ordering key, started} for each.
     */
    static final String TAKE_EXPIRED = COMMON + """
            local ids = redis.call('ZRANGEBYSCORE', p .. 'leases', '-inf', now, 'LIMIT', 0, tonumber(ARGV[3]))
            local out = {}
            for _, id in ipairs(ids) do
              local jk = p .. 'job:' .. id
              local j = redis.call('HMGET', jk, 'status', 'kind', 'tenant', 'payload', 'attempt', 'createdAt',
                'runAt', 'okey', 'startedAt')
              if j[1] == 'running' then
                redis.call('HSET', jk, 'worker', ARGV[2], 'deadline', n(now + 60000))
                redis.call('ZADD', p .. 'leases', now + 60000, id)
                out[#out + 1] = {id, j[2], j[3], j[4], j[5], j[6], j[7], j[8], j[9]}
              else
                redis.call('ZREM', p .. 'leases', id)
              end
            end
            return out
            """;

    /** Makes sure kind ARGV[2] has a schedule of every ARGV[3] ms; a new one is due at once. */
    static final String SCHEDULE = COMMON + """
            local k = p .. 'schedule:' .. ARGV[2]
            local every = tonumber(ARGV[3])
            local next_run = redis.call('HGET', k, 'next')
            if next_run then next_run = math.min(tonumber(next_run), now + every) else next_run = now end
            redis.call('HSET', k, 'every', every, 'next', n(next_run))
            return 1
            """;

    /**
     * If kind ARGV[2]'s schedule is due: moves it on by its interval (from now, if it fell behind by
     * more) and queues job ARGV[3] (max attempts ARGV[4]) for the instant it was due, unless a job
     * of the schedule still waits. Returns 1 if a job was queued.
     */
    static final String ENQUEUE_DUE = COMMON + """
            local k = p .. 'schedule:' .. ARGV[2]
            local s = redis.call('HMGET', k, 'every', 'next')
            if not s[1] then return 0 end
            local every, due = tonumber(s[1]), tonumber(s[2])
            if due > now then return 0 end
            if due + every > now then redis.call('HSET', k, 'next', n(due + every))
            else redis.call('HSET', k, 'next', n(now + every)) end
            local okey = 'schedule:' .. ARGV[2]
            for _, other in ipairs(redis.call('LRANGE', p .. 'key:' .. okey, 0, -1)) do
              if redis.call('HGET', p .. 'job:' .. other, 'status') == 'queued' then return 0 end
            end
            return enqueue(ARGV[3], ARGV[2], '', '{}', n(due), okey, ARGV[4])
            """;

    /** Deletes up to ARGV[4] jobs in status ARGV[2] finished more than ARGV[3] ms ago; returns how many. */
    static final String DELETE_FINISHED = COMMON + """
            local z = p .. 'finished:' .. ARGV[2]
            local ids = redis.call('ZRANGEBYSCORE', z, '-inf', now - tonumber(ARGV[3]), 'LIMIT', 0, tonumber(ARGV[4]))
            local deleted = 0
            for _, id in ipairs(ids) do
              local jk = p .. 'job:' .. id
              local j = redis.call('HMGET', jk, 'kind', 'tenant', 'status')
              if j[3] == ARGV[2] then
                local all, bykind = lists(j[2], j[1])
                redis.call('ZREM', all, id)
                redis.call('ZREM', bykind, id)
                move(id, j[1], j[2], 0, ARGV[2], nil)
                redis.call('DEL', jk)
                deleted = deleted + 1
              end
              redis.call('ZREM', z, id)
            end
            return deleted
            """;

    /**
     * Queues tenant ARGV[2]'s dead job ARGV[3] again, due now, attempts reset (behind the unfinished
     * jobs of its ordering key). Returns 1 if it was dead.
     */
    static final String REQUEUE_DEAD = COMMON + """
            local id = ARGV[3]
            local jk = p .. 'job:' .. id
            local j = redis.call('HMGET', jk, 'status', 'tenant', 'kind', 'seq', 'okey')
            if j[1] ~= 'dead' or j[2] ~= ARGV[2] then return 0 end
            redis.call('HSET', jk, 'status', 'queued', 'attempt', 0, 'runAt', n(now))
            redis.call('HDEL', jk, 'startedAt', 'finishedAt')
            redis.call('ZREM', p .. 'finished:dead', id)
            move(id, j[3], j[2], j[4], 'dead', 'queued')
            if j[5] ~= '' and redis.call('RPUSH', p .. 'key:' .. j[5], id) > 1 then return 1 end
            dispatch(id, now)
            return 1
            """;

    /**
     * The waiting due jobs' oldest entry per kind, over the first ARGV[2] entries not yet delivered
     * to a worker: {kind, age in ms, ...}.
     */
    static final String OLDEST = COMMON + """
            local stream = p .. 'ready'
            if redis.call('EXISTS', stream) == 0 then return {} end
            local last = '0-0'
            for _, g in ipairs(redis.call('XINFO', 'GROUPS', stream)) do
              local name, delivered
              for i = 1, #g, 2 do
                if g[i] == 'name' then name = g[i + 1] end
                if g[i] == 'last-delivered-id' then delivered = g[i + 1] end
              end
              if name == 'workers' then last = delivered end
            end
            local seen, out = {}, {}
            for _, e in ipairs(redis.call('XRANGE', stream, '(' .. last, '+', 'COUNT', tonumber(ARGV[2]))) do
              local kind
              for i = 1, #e[2], 2 do if e[2][i] == 'kind' then kind = e[2][i + 1] end end
              if kind and not seen[kind] then
                seen[kind] = true
                local ms = tonumber(string.match(e[1], '^(%d+)'))
                out[#out + 1] = kind
                out[#out + 1] = n(math.max(now - ms, 0))
              end
            end
            return out
            """;
}
