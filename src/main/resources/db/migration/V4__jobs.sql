-- Jobs: durable background work (webhook retries, timers, maintenance), claimed by the workers of
-- every node with FOR UPDATE SKIP LOCKED; see JobRepository and "Jobs" in ARCHITECTURE.md.
--
-- Workers run as the owner (system work) and see every row; a tenant-scoped transaction sees and
-- writes only its tenant's jobs, and never the system jobs (tenant_id null).
create table job (
    id           uuid primary key,
    -- Queue order: jobs sharing an ordering key run in seq order (insertion order, even within
    -- one transaction, where created_at and the time-ordered id cannot tell jobs apart).
    seq          bigint generated always as identity,
    kind         text not null check (length(kind) between 1 and 200),
    tenant_id    uuid references tenant (id) on delete cascade,
    payload      jsonb not null,
    status       text not null default 'queued'
        check (status in ('queued', 'running', 'succeeded', 'dead')),
    attempt      integer not null default 0,
    max_attempts integer not null default 1,
    run_at       timestamptz not null,
    created_at   timestamptz not null default now(),
    started_at   timestamptz,
    finished_at  timestamptz,
    locked_until timestamptz,
    locked_by    text,
    ordering_key text,
    last_error   text
);

-- The claim: due queued jobs in run_at order.
create index job_claim on job (run_at, seq) where status = 'queued';
-- The ordering check: is an earlier job of this key queued, or any running?
create index job_ordering on job (ordering_key, seq)
    where ordering_key is not null and status in ('queued', 'running');
-- Expired leases.
create index job_lease on job (locked_until) where status = 'running';
-- Retention.
create index job_finished on job (finished_at) where status in ('succeeded', 'dead');
-- The API: a tenant's jobs newest first, optionally of one status.
create index job_tenant on job (tenant_id, seq);
create index job_tenant_status on job (tenant_id, status, seq);

-- Recurring jobs: one row per kind, claimed when due by one node, which queues a job and moves
-- next_run_at on by one interval.
create table job_schedule (
    kind        text primary key,
    every       interval not null check (every > interval '0'),
    next_run_at timestamptz not null
);

alter table job enable row level security;
create policy tenant_isolation on job
    using (tenant_id = sextant_current_tenant()) with check (tenant_id = sextant_current_tenant());

-- Schedules are the platform's: tenant-scoped transactions get no access at all.
revoke all on job_schedule from sextant_tenant;
