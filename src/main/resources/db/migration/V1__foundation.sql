-- Foundation: tenants, identities, signing keys, assets and idempotency records.
--
-- Every tenant-owned table carries tenant_id and is guarded by row-level security. The owner
-- (the migrating user, which system work such as sign-in runs as) is not subject to it; the
-- application switches each tenant-scoped transaction to the sextant_tenant role (which the
-- policies apply to) and sets sextant.tenant_id; see TenantScopedTransactionManager.

do $$
begin
    if not exists (select from pg_roles where rolname = 'sextant_tenant') then
        create role sextant_tenant nologin noinherit;
    end if;
end
$$;

-- The migrating (owning) user must be able to SET ROLE to it, superuser or not.
grant sextant_tenant to current_user;
grant usage on schema public to sextant_tenant;
alter default privileges in schema public grant select, insert, update, delete on tables to sextant_tenant;
alter default privileges in schema public grant usage, select on sequences to sextant_tenant;

-- The tenant id of the current transaction, or null outside a tenant scope.
create function sextant_current_tenant() returns uuid
    language sql stable
    as $$ select nullif(current_setting('sextant.tenant_id', true), '')::uuid $$;

create table tenant (
    id         uuid primary key,
    slug       text not null unique check (slug ~ '^[a-z0-9][a-z0-9-]{1,62}$'),
    name       text not null check (length(name) between 1 and 200),
    created_at timestamptz not null default now()
);

create table user_account (
    id            uuid primary key,
    tenant_id     uuid not null references tenant (id) on delete cascade,
    username      text not null unique,
    password_hash text not null,
    roles         text[] not null,
    created_at    timestamptz not null default now(),
    disabled_at   timestamptz
);
create index user_account_tenant on user_account (tenant_id, id);

create table service_account (
    id          uuid primary key,
    tenant_id   uuid not null references tenant (id) on delete cascade,
    client_id   text not null unique,
    name        text not null,
    secret_hash text not null,
    roles       text[] not null,
    created_at  timestamptz not null default now(),
    revoked_at  timestamptz
);
create index service_account_tenant on service_account (tenant_id, id);

create table api_key (
    id          uuid primary key,
    tenant_id   uuid not null references tenant (id) on delete cascade,
    key_id      text not null unique,
    name        text not null,
    secret_hash bytea not null,
    permissions text[] not null,
    created_by  text not null,
    created_at  timestamptz not null default now(),
    expires_at  timestamptz,
    revoked_at  timestamptz
);
create index api_key_tenant on api_key (tenant_id, id);

-- Keys of the embedded token issuer. Not tenant-owned: the issuer signs for every tenant.
create table signing_key (
    kid         text primary key,
    algorithm   text not null,
    private_key bytea not null,
    public_key  bytea not null,
    created_at  timestamptz not null default now(),
    retired_at  timestamptz
);

create table asset (
    id             uuid primary key,
    tenant_id      uuid not null references tenant (id) on delete cascade,
    external_id    text not null,
    name           text not null,
    type           text not null,
    tags           text[] not null default '{}',
    attributes     jsonb not null default '{}',
    classification text not null default 'internal'
        check (classification in ('public', 'internal', 'confidential', 'restricted')),
    version        bigint not null default 1,
    created_at     timestamptz not null default now(),
    updated_at     timestamptz not null default now(),
    unique (tenant_id, external_id)
);
create index asset_tenant_id on asset (tenant_id, id);
create index asset_tenant_type on asset (tenant_id, type, id);
create index asset_tags on asset using gin (tags);

-- Responses remembered for Idempotency-Key replays, per caller and key.
create table idempotency_record (
    tenant_id        uuid not null references tenant (id) on delete cascade,
    principal        text not null,
    idempotency_key  text not null,
    request_hash     bytea not null,
    response_status  integer,
    response_headers jsonb,
    response_body    bytea,
    created_at       timestamptz not null default now(),
    expires_at       timestamptz not null,
    primary key (tenant_id, principal, idempotency_key)
);
create index idempotency_record_expiry on idempotency_record (expires_at);

alter table user_account enable row level security;
create policy tenant_isolation on user_account
    using (tenant_id = sextant_current_tenant()) with check (tenant_id = sextant_current_tenant());

alter table service_account enable row level security;
create policy tenant_isolation on service_account
    using (tenant_id = sextant_current_tenant()) with check (tenant_id = sextant_current_tenant());

alter table api_key enable row level security;
create policy tenant_isolation on api_key
    using (tenant_id = sextant_current_tenant()) with check (tenant_id = sextant_current_tenant());

alter table asset enable row level security;
create policy tenant_isolation on asset
    using (tenant_id = sextant_current_tenant()) with check (tenant_id = sextant_current_tenant());

alter table idempotency_record enable row level security;
create policy tenant_isolation on idempotency_record
    using (tenant_id = sextant_current_tenant()) with check (tenant_id = sextant_current_tenant());

-- A tenant-scoped transaction may read its own tenant row, never another's.
alter table tenant enable row level security;
create policy tenant_isolation on tenant using (id = sextant_current_tenant());

-- Signing keys are the issuer's: tenant-scoped transactions get no access at all.
revoke all on signing_key from sextant_tenant;
