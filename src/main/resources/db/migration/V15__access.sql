-- Fine-grained authorization (issue 10): roles a tenant defines as named sets of permissions, and
-- grants that bind a subject to a role (built-in or defined here) narrowed by a scope.

create table access_role (
    tenant_id   uuid not null references tenant (id) on delete cascade,
    name        text not null,
    description text not null default '',
    permissions text[] not null,
    version     bigint not null default 1,
    created_at  timestamptz not null default now(),
    updated_at  timestamptz not null default now(),
    primary key (tenant_id, name)
);

-- subject: user:<id>, service:<client id>, api-key:<id> or group:<name> (a group claim of an
-- external token). scope: the grant's scope as the API writes it (validated JSON), resolved when a
-- subject's policy is built.
create table access_grant (
    id          uuid primary key,
    tenant_id   uuid not null references tenant (id) on delete cascade,
    subject     text not null,
    role        text not null,
    scope       jsonb not null default '{}',
    valid_from  timestamptz,
    valid_until timestamptz,
    description text not null default '',
    created_by  text not null,
    version     bigint not null default 1,
    created_at  timestamptz not null default now(),
    updated_at  timestamptz not null default now(),
    check (valid_until is null or valid_from is null or valid_until > valid_from)
);
create index access_grant_subject on access_grant (tenant_id, subject);
create index access_grant_role on access_grant (tenant_id, role);
create index access_grant_tenant_id on access_grant (tenant_id, id);

alter table access_role enable row level security;
create policy tenant_isolation on access_role
    using (tenant_id = sextant_current_tenant()) with check (tenant_id = sextant_current_tenant());
alter table access_grant enable row level security;
create policy tenant_isolation on access_grant
    using (tenant_id = sextant_current_tenant()) with check (tenant_id = sextant_current_tenant());
