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
