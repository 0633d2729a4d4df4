-- Fence engine state: per (asset, zone) the state machine's memory, and the history of
-- transitions it emitted (what late data is compared against to decide on a correction).

-- Only states that differ from "outside, nothing pending" are stored; an asset far from every zone
-- has no rows. Written in the ingest group's transaction, together with the events.
create table fence_state (
    tenant_id     uuid not null references tenant (id) on delete cascade,
    asset_id      uuid not null,
    zone_id       uuid not null,
    inside        boolean not null,
    since         timestamptz,
    pending_fixes int not null default 0,
    pending_since timestamptz,
    dwell_fired   boolean not null default false,
    primary key (tenant_id, asset_id, zone_id)
);

-- Every enter, exit and dwell emitted, by event time. A correction marks the ones it retracts and
-- adds the ones it asserts, so the table always holds the current belief about the past.
create table fence_transition (
    event_id  uuid primary key,
    tenant_id uuid not null references tenant (id) on delete cascade,
    asset_id  uuid not null,
    zone_id   uuid not null,
    kind      text not null check (kind in ('entered', 'exited', 'dwell')),
    time      timestamptz not null,
    retracted boolean not null default false
);
create index fence_transition_asset_zone_time on fence_transition (tenant_id, asset_id, zone_id, time);

alter table fence_state enable row level security;
create policy tenant_isolation on fence_state
    using (tenant_id = sextant_current_tenant()) with check (tenant_id = sextant_current_tenant());
alter table fence_transition enable row level security;
create policy tenant_isolation on fence_transition
    using (tenant_id = sextant_current_tenant()) with check (tenant_id = sextant_current_tenant());
