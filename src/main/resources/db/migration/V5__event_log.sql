-- The event log: every event Sextant emits, written in the same transaction as the change that
-- caused it (a transactional outbox), kept for queries, replay and live-stream resume.
--
-- Order: (xid, seq). xid is the writing transaction's id; readers only read rows whose xid is
-- below the oldest transaction still running (pg_snapshot_xmin), so a reader that has passed a
-- position can never see a row appear behind it, whatever order transactions commit in.
create table event (
    seq          bigint generated always as identity,
    xid          xid8 not null default pg_current_xact_id(),
    id           uuid not null,
    tenant_id    uuid not null references tenant (id) on delete cascade,
    type         text not null,
    source       text not null,
    subject      text,
    time         timestamptz not null,
    recorded_at  timestamptz not null default now(),
    asset_id     uuid,
    zone_id      uuid,
    asset_tags   text[] not null default '{}',
    zone_tags    text[] not null default '{}',
    data         jsonb not null,
    primary key (id)
);
create index event_log_order on event (xid, seq);
create index event_tenant_time on event (tenant_id, time, id);
create index event_tenant_log_order on event (tenant_id, xid, seq);
create index event_tenant_asset_time on event (tenant_id, asset_id, time) where asset_id is not null;
create index event_tenant_zone_time on event (tenant_id, zone_id, time) where zone_id is not null;

-- Where each durable consumer of the log has read up to. One row per consumer; a node runs a
-- consumer only while it holds the row's lock.
create table event_consumer (
    name       text primary key,
    xid        xid8 not null default '0',
    seq        bigint not null default 0,
    updated_at timestamptz not null default now()
);

alter table event enable row level security;
create policy tenant_isolation on event
    using (tenant_id = sextant_current_tenant()) with check (tenant_id = sextant_current_tenant());
