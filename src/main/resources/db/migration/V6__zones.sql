-- Zones: the current state of every zone, its full version history, and a per-tenant revision
-- counter that tells other nodes when to reload a tenant's zones.

-- One row per zone, deleted ones included (deleted_at set): the history in zone_version refers to it.
-- shape, schedule and fence are stored as the client gave them; shape_kind says which request
-- member the shape came in (geometry for polygons). The bbox columns hold one box; west > east
-- when it crosses the antimeridian.
create table zone (
    id          uuid primary key,
    tenant_id   uuid not null references tenant (id) on delete cascade,
    version     bigint not null check (version >= 1),
    name        text not null check (length(name) between 1 and 200),
    tags        text[] not null default '{}',
    attributes  jsonb not null default '{}',
    shape_kind  text not null check (shape_kind in ('polygon', 'circle', 'corridor')),
    shape       jsonb not null,
    schedule    jsonb,
    fence       jsonb,
    bbox_west   double precision not null check (bbox_west between -180 and 180),
    bbox_south  double precision not null check (bbox_south between -90 and 90),
    bbox_east   double precision not null check (bbox_east between -180 and 180),
    bbox_north  double precision not null check (bbox_north between -90 and 90),
    created_at  timestamptz not null,
    updated_at  timestamptz not null,
    deleted_at  timestamptz
);
create index zone_tenant_live on zone (tenant_id, id) where deleted_at is null;
create index zone_tags on zone using gin (tags) where deleted_at is null;

-- Every version of every zone: one row per create, replace and delete (a deletion is a version
-- of its own with deleted = true). A version is valid from valid_from until valid_to, which is
-- null while it is the current one.
create table zone_version (
    zone_id     uuid not null references zone (id) on delete cascade,
    tenant_id   uuid not null,
    version     bigint not null check (version >= 1),
    deleted     boolean not null default false,
    name        text not null,
    tags        text[] not null default '{}',
    attributes  jsonb not null default '{}',
    shape_kind  text not null,
    shape       jsonb not null,
    schedule    jsonb,
    fence       jsonb,
    bbox_west   double precision not null,
    bbox_south  double precision not null,
    bbox_east   double precision not null,
    bbox_north  double precision not null,
    created_at  timestamptz not null,
    valid_from  timestamptz not null,
    valid_to    timestamptz check (valid_to >= valid_from),
    primary key (zone_id, version)
);

-- Bumped in every transaction that changes a tenant's zones; the row lock also serialises those
-- transactions per tenant, which keeps the live zone count exact for the per-tenant limit.
create table zone_revision (
    tenant_id   uuid primary key references tenant (id) on delete cascade,
    revision    bigint not null,
    live_zones  integer not null check (live_zones >= 0)
);

alter table zone enable row level security;
create policy tenant_isolation on zone
    using (tenant_id = sextant_current_tenant()) with check (tenant_id = sextant_current_tenant());
alter table zone_version enable row level security;
create policy tenant_isolation on zone_version
    using (tenant_id = sextant_current_tenant()) with check (tenant_id = sextant_current_tenant());
alter table zone_revision enable row level security;
create policy tenant_isolation on zone_revision
    using (tenant_id = sextant_current_tenant()) with check (tenant_id = sextant_current_tenant());
