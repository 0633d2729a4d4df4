-- Exports (module export): a track or an area-and-window history written by an `exports.run` job
-- into ordered chunks here, so whichever node serves the download reads what another node wrote.
--
-- An export belongs to its requester (requested_by, the subject, with the groups its token carried:
-- the job runs with that subject's authority as it stands when it runs). run_token names the attempt
-- that owns the export: an attempt starts by taking a new token and deleting the chunks of any
-- earlier one in the same transaction, and every write of an attempt is conditional on its token, so
-- an attempt that lost its lease (and was taken over) can no longer change anything.
create table export (
    id                uuid primary key,
    tenant_id         uuid not null references tenant (id) on delete cascade,
    requested_by      text not null check (length(requested_by) between 1 and 300),
    requester_groups  text[] not null default '{}',
    format            text not null check (format in ('geojson', 'geojsonseq', 'csv')),
    query             jsonb not null,
    status            text not null check (status in ('queued', 'running', 'succeeded', 'failed', 'expired')),
    run_token         uuid,
    positions_written bigint not null default 0 check (positions_written >= 0),
    estimated_total   bigint check (estimated_total >= 0),
    chunks            integer check (chunks >= 0),
    size_bytes        bigint check (size_bytes >= 0),
    sha256            text check (sha256 ~ '^[0-9a-f]{64}$'),
    error             text check (length(error) <= 4000),
    created_at        timestamptz not null,
    started_at        timestamptz,
    finished_at       timestamptz,
    expires_at        timestamptz,
    check ((status = 'succeeded') = (size_bytes is not null and sha256 is not null and chunks is not null)
           or status = 'expired')
);

-- A requester's exports, newest first (time-ordered ids).
create index export_requester on export (tenant_id, requested_by, id);
-- The limit on unfinished exports per tenant.
create index export_unfinished on export (tenant_id) where status in ('queued', 'running');
-- Expiry: finished content past its time, and expired rows kept as long again.
create index export_expiry on export (expires_at) where status in ('succeeded', 'failed', 'expired');

-- The content: chunk seq 0, 1, … in order, each at most sextant.exports.chunk-size bytes.
create table export_chunk (
    tenant_id  uuid not null references tenant (id) on delete cascade,
    export_id  uuid not null references export (id) on delete cascade,
    seq        integer not null check (seq >= 0),
    data       bytea not null,
    primary key (export_id, seq)
);

alter table export enable row level security;
create policy tenant_isolation on export
    using (tenant_id = sextant_current_tenant()) with check (tenant_id = sextant_current_tenant());

alter table export_chunk enable row level security;
create policy tenant_isolation on export_chunk
    using (tenant_id = sextant_current_tenant()) with check (tenant_id = sextant_current_tenant());

-- Chunks are written once and read; an attempt starting over deletes them.
revoke update, truncate on export_chunk from sextant_tenant;
