-- Jobs queued in a transaction while jobs live in Redis (SEXTANT_REDIS_URL set): the transaction
-- writes them here, so they exist exactly when it commits, and a forwarder moves them to Redis once
-- it has (see RedisJobStore and "Jobs" in ARCHITECTURE.md). Empty when jobs live in PostgreSQL.
create table job_outbox (
    id           uuid primary key,
    -- Forwarding order: jobs sharing an ordering key reach Redis in the order they were queued.
    seq          bigint generated always as identity,
    kind         text not null check (length(kind) between 1 and 200),
    tenant_id    uuid references tenant (id) on delete cascade,
    payload      jsonb not null,
    run_at       timestamptz not null,
    ordering_key text,
    max_attempts integer not null,
    created_at   timestamptz not null default now()
);

create index job_outbox_seq on job_outbox (seq);

-- A tenant-scoped transaction queues only its tenant's jobs; the forwarder runs as the owner.
alter table job_outbox enable row level security;
create policy tenant_isolation on job_outbox
    using (tenant_id = sextant_current_tenant()) with check (tenant_id = sextant_current_tenant());
