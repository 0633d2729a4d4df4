-- latest_position is written behind ingest (LatestPositionWrites): a node keeps the newest committed
-- position of each asset in memory and upserts them about once a second, instead of once per
-- group. Each node records in this table, in the transaction of each flush, the receive time from
-- which the history may hold positions that its latest_position rows do not reflect yet; a node
-- that starts first catches latest_position up from the history received since the oldest of
-- these (the BRIN index below finds those rows without a scan of the partitions), so a crash
-- loses nothing that was acknowledged.
create table latest_position_checkpoint (
    node         uuid primary key,
    recover_from timestamptz not null,
    updated_at   timestamptz not null
);

create index position_received_at_brin on position using brin (received_at);

-- As-of snapshots walk a tenant's assets in order from tracked_asset (latest_position, written
-- behind, may not list an asset whose first position is seconds old).
create index tracked_asset_tenant on tracked_asset (tenant_id, asset_id);

-- Ingest copies positions that cannot collide straight into their daily partition (COPY FROM is
-- refused on a table with row-level security, and partitions have none of their own): this check,
-- inherited by every partition, present and future, refuses any row of a tenant other than the
-- one the transaction is scoped to, as the policy's WITH CHECK does on the parent. An unscoped
-- session (the owner's maintenance) passes, as row-level security lets the owner pass.
alter table position add constraint position_tenant_scope
    check (tenant_id = coalesce(sextant_current_tenant(), tenant_id)); -- one call per row

-- The tenant role may add rows to a partition, never read, change or remove them there: reads
-- go through the parent, where the policy holds (PartitionMaintenance revokes the same on each
-- partition it creates).
do $$
declare
    partition record;
begin
    for partition in
        select c.relname from pg_inherits i
        join pg_class c on c.oid = i.inhrelid
        join pg_class p on p.oid = i.inhparent
        where p.relname = 'position'
    loop
        execute format('revoke select, update, delete, truncate, references, trigger on %I from sextant_tenant',
                       partition.relname);
    end loop;
end
$$;
