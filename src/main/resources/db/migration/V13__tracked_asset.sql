-- Tracking's own record of the assets it may keep a latest position for, so that the ingest writer
-- checks its own table rather than reading the asset module's. A row is written by tracking when
-- the asset module announces AssetRegistered, inside the registering transaction; it goes with its
-- asset (the cascade), as latest_position's row does.
create table tracked_asset (
    asset_id  uuid primary key references asset (id) on delete cascade,
    tenant_id uuid not null references tenant (id) on delete cascade
);

insert into tracked_asset (asset_id, tenant_id) select id, tenant_id from asset;

alter table tracked_asset enable row level security;
create policy tenant_isolation on tracked_asset
    using (tenant_id = sextant_current_tenant()) with check (tenant_id = sextant_current_tenant());
