-- Positions: the full history, time-partitioned by event time, and the latest position per asset.

-- Tenant settings the tracking module reads.
alter table tenant add column position_retention interval not null default interval '90 days'
    check (position_retention between interval '1 day' and interval '3650 days');
alter table tenant add column auto_register_assets boolean not null default false;

-- History. One row per (tenant, asset, event time): that triple is the idempotency key of ingest.
-- Daily range partitions on event_time are created ahead of time by PartitionMaintenance (and
-- on demand for late data within retention); old ones are dropped once every tenant's retention
-- has passed. The point column serves area queries through an SP-GiST index per partition; the
-- primary key serves one asset's track over a window.
create table position (
    tenant_id   uuid not null,
    asset_id    uuid not null,
    event_time  timestamptz not null,
    received_at timestamptz not null,
    lon         double precision not null check (lon between -180 and 180),
    lat         double precision not null check (lat between -90 and 90),
    altitude    real,
    accuracy    real,
    speed       real,
    heading     real,
    attributes  jsonb,
    pos         point generated always as (point(lon, lat)) stored,
    primary key (tenant_id, asset_id, event_time)
) partition by range (event_time);
create index position_pos on position using spgist (pos);

-- The newest position (by event time) of every asset; a late position never replaces a newer one.
create table latest_position (
    tenant_id   uuid not null,
    asset_id    uuid not null references asset (id) on delete cascade,
    event_time  timestamptz not null,
    received_at timestamptz not null,
    lon         double precision not null,
    lat         double precision not null,
    altitude    real,
    accuracy    real,
    speed       real,
    heading     real,
    attributes  jsonb,
    primary key (tenant_id, asset_id)
) with (fillfactor = 70); -- room on each page for HOT updates: every ingest group rewrites rows here

alter table position enable row level security;
create policy tenant_isolation on position
    using (tenant_id = sextant_current_tenant()) with check (tenant_id = sextant_current_tenant());
alter table latest_position enable row level security;
create policy tenant_isolation on latest_position
    using (tenant_id = sextant_current_tenant()) with check (tenant_id = sextant_current_tenant());
