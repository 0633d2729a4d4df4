-- Workflows (issue 11): published definitions, the instances that run them, what each instance is
-- bound to, and every transition it took.
--
-- A definition is immutable once published: a new version is a new row, and a trigger refuses
-- UPDATE for everyone. An instance keeps the version it started on (or was migrated to).

create table workflow_definition (
    tenant_id     uuid not null references tenant (id) on delete cascade,
    key           text not null check (key ~ '^[A-Za-z][A-Za-z0-9_-]{0,63}$'),
    version       integer not null check (version between 1 and 1000000),
    description   text check (length(description) <= 1000),
    format        text not null check (format in ('json', 'yaml')),
    document      text not null check (length(document) <= 262144),
    published_at  timestamptz not null,
    published_by  text not null check (length(published_by) between 1 and 300),
    primary key (tenant_id, key, version)
);

alter table workflow_definition enable row level security;
create policy tenant_isolation on workflow_definition
    using (tenant_id = sextant_current_tenant()) with check (tenant_id = sextant_current_tenant());

create function workflow_definition_immutable() returns trigger
    language plpgsql
    as $$
begin
    raise exception 'a published workflow definition is immutable: publish a new version'
        using errcode = 'insufficient_privilege';
end
$$;

create trigger workflow_definition_no_update
    before update on workflow_definition
    for each row execute function workflow_definition_immutable();

-- One row per instance. version counts the transitions taken (the optimistic-concurrency token and
-- the ETag); variables and timers are the machine's InstanceState in the encoding of
-- InstanceStateJson; assets and zones map each role to the bound id.
create table workflow_instance (
    id                  uuid primary key,
    tenant_id           uuid not null references tenant (id) on delete cascade,
    definition_key      text not null,
    definition_version  integer not null,
    state               text not null,
    version             bigint not null check (version >= 0),
    finished            boolean not null,
    variables           jsonb not null,
    assets              jsonb not null,
    zones               jsonb not null,
    timers              jsonb not null,
    parent_id           uuid references workflow_instance (id) on delete set null,
    created_by          text,
    created_at          timestamptz not null,
    updated_at          timestamptz not null,
    foreign key (tenant_id, definition_key, definition_version)
        references workflow_definition (tenant_id, key, version)
);

-- Pages in id order (time-ordered ids), under each filter the API offers.
create index workflow_instance_tenant on workflow_instance (tenant_id, id);
create index workflow_instance_definition on workflow_instance (tenant_id, definition_key, state, id);
create index workflow_instance_state on workflow_instance (tenant_id, state, id);

alter table workflow_instance enable row level security;
create policy tenant_isolation on workflow_instance
    using (tenant_id = sextant_current_tenant()) with check (tenant_id = sextant_current_tenant());

-- What an instance is bound to, one row per role: how events find the instances they correlate with
-- (by asset or zone id) and how the list filters by asset and zone. A finished instance's rows are
-- marked not running, so correlation reads only the running ones (a partial index).
create table workflow_binding (
    tenant_id    uuid not null references tenant (id) on delete cascade,
    instance_id  uuid not null references workflow_instance (id) on delete cascade,
    kind         text not null check (kind in ('asset', 'zone')),
    role         text not null,
    ref_id       uuid not null,
    running      boolean not null default true,
    primary key (instance_id, kind, role)
);

create index workflow_binding_ref on workflow_binding (tenant_id, ref_id, instance_id) where running;
create index workflow_binding_listed on workflow_binding (tenant_id, kind, ref_id, instance_id);

alter table workflow_binding enable row level security;
create policy tenant_isolation on workflow_binding
    using (tenant_id = sextant_current_tenant()) with check (tenant_id = sextant_current_tenant());

-- The history of each instance: one row per transition (seq = the instance's version after it),
-- with its cause, actor, the states before and after, and the variables it changed. Append-only.
create table workflow_history (
    tenant_id    uuid not null references tenant (id) on delete cascade,
    instance_id  uuid not null references workflow_instance (id) on delete cascade,
    seq          bigint not null,
    at           timestamptz not null,
    cause        text not null,
    actor        text,
    from_state   text,
    to_state     text not null,
    changed      jsonb not null,
    primary key (instance_id, seq)
);

alter table workflow_history enable row level security;
create policy tenant_isolation on workflow_history
    using (tenant_id = sextant_current_tenant()) with check (tenant_id = sextant_current_tenant());

revoke update, truncate on workflow_history from sextant_tenant;
revoke update, truncate on workflow_definition from sextant_tenant;
