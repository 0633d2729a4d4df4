-- The history's primary key without its leading tenant_id: (asset_id, event_time).
--
-- An asset id is unique across tenants (asset.id is the asset table's primary key, the server
-- generates every id — a client never chooses one — and ingest only ever writes ids it resolved in
-- the scoped tenant's own catalog), so (asset_id, event_time) identifies exactly the rows that
-- (tenant_id, asset_id, event_time) did: the idempotency key of ingest keeps its meaning. Each entry
-- is 16 bytes narrower, so the key — the largest index of the largest table, written once per
-- position — is about 30 % smaller (docs/benchmarks.md, "A primary key without the tenant"). Every
-- query that used the key names the asset (a track, a fix, an as-of lookup) and still reads a range
-- of it; row-level security and the partitions' tenant check still confine each row to its tenant.
-- Rebuilding the key rewrites every partition's index: on a large existing history this migration
-- takes time and holds the table's lock while it runs.
alter table position drop constraint position_pkey;
alter table position add constraint position_pkey primary key (asset_id, event_time);
