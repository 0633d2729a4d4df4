-- Per-tenant rules about assets beyond zones: stale assets, speed limits by asset type, proximity
-- between assets. And the state each rule keeps, written with the events it causes.

create table asset_rules (
    tenant_id  uuid primary key references tenant (id) on delete cascade,
    rules      jsonb not null,
    version    bigint not null default 1,
    updated_at timestamptz not null default now()
);

-- An asset currently over its speed limit (an episode that has started and not ended).
create table speeding_state (
    tenant_id uuid not null references tenant (id) on delete cascade,
    asset_id  uuid not null,
    since     timestamptz not null,
    limit_kmh double precision not null,
    max_kmh   double precision not null,
    primary key (tenant_id, asset_id)
);

-- Two assets currently closer than a proximity rule's distance; first_asset < second_asset.
create table proximity_state (
    tenant_id    uuid not null references tenant (id) on delete cascade,
    rule         text not null,
    first_asset  uuid not null,
    second_asset uuid not null,
    since        timestamptz not null,
    primary key (tenant_id, rule, first_asset, second_asset)
);

-- Assets reported stale and not heard from since.
create table asset_stale (
    tenant_id   uuid not null references tenant (id) on delete cascade,
    asset_id    uuid not null,
    last_seen   timestamptz not null,
    detected_at timestamptz not null,
    primary key (tenant_id, asset_id)
);

alter table asset_rules enable row level security;
create policy tenant_isolation on asset_rules
    using (tenant_id = sextant_current_tenant()) with check (tenant_id = sextant_current_tenant());
alter table speeding_state enable row level security;
create policy tenant_isolation on speeding_state
    using (tenant_id = sextant_current_tenant()) with check (tenant_id = sextant_current_tenant());
alter table proximity_state enable row level security;
create policy tenant_isolation on proximity_state
    using (tenant_id = sextant_current_tenant()) with check (tenant_id = sextant_current_tenant());
alter table asset_stale enable row level security;
create policy tenant_isolation on asset_stale
    using (tenant_id = sextant_current_tenant()) with check (tenant_id = sextant_current_tenant());
