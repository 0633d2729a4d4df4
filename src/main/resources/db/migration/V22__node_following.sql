-- Nodes that serve queries without taking the positions themselves (SEXTANT_ROLES=api) follow what
-- other nodes write: assets changed since a time (by updated_at) and assets removed since a time
-- (a removal leaves no row behind, so it leaves a short-lived record here), and the positions
-- received since (BRIN on received_at). See NodeFollower.
create index asset_updated_at on asset (updated_at);

-- Each ingesting node records, with every write-behind flush, the receive time of its oldest ingest
-- request still in flight (or the flush time): every position it received before that is committed.
-- The lowest of these over the live nodes is how far back a follower must read again.
alter table latest_position_checkpoint add column in_flight_from timestamptz;

create table asset_removal (
    asset_id   uuid primary key,
    tenant_id  uuid not null references tenant (id) on delete cascade,
    removed_at timestamptz not null default now()
);

create index asset_removal_at on asset_removal (removed_at);

alter table asset_removal enable row level security;
create policy tenant_isolation on asset_removal
    using (tenant_id = sextant_current_tenant()) with check (tenant_id = sextant_current_tenant());
