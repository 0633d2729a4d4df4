-- The audit log: every administrative change (who changed what, the resource before and after) and
-- every refused request (401, 403), one row each. Append-only: nobody but the owner (migrations,
-- the operator) may change or remove a row, and a trigger refuses even the owner's UPDATE.
--
-- Denied requests whose tenant is unknown (a 401 without valid credentials) are the platform's
-- own: tenant_id is null, so no tenant scope ever sees them; the owning user writes and reads them.
create table audit_log (
    id            uuid primary key,
    tenant_id     uuid references tenant (id) on delete cascade,
    occurred_at   timestamptz not null,
    actor         text not null check (length(actor) between 1 and 300),
    actor_name    text,
    action        text not null check (length(action) <= 100 and action ~ '^[a-z][a-z0-9_-]*(\.[a-z][a-z0-9_-]*)+$'),
    resource_type text not null check (length(resource_type) between 1 and 100),
    resource_id   text,
    request_id    text,
    outcome       text not null check (outcome in ('changed', 'denied')),
    before        jsonb,
    after         jsonb,
    detail        jsonb,
    check (outcome = 'denied' or tenant_id is not null)
);

-- Newest first by id (time-ordered), under each filter the API offers.
create index audit_log_tenant on audit_log (tenant_id, id);
create index audit_log_tenant_actor on audit_log (tenant_id, actor, id);
create index audit_log_tenant_action on audit_log (tenant_id, action text_pattern_ops, id);
create index audit_log_tenant_resource on audit_log (tenant_id, resource_type, resource_id, id);
create index audit_log_tenant_time on audit_log (tenant_id, occurred_at);

alter table audit_log enable row level security;
create policy tenant_isolation on audit_log
    using (tenant_id = sextant_current_tenant()) with check (tenant_id = sextant_current_tenant());

-- Append-only for the application's tenant role: it may add and read its tenant's rows only.
revoke update, delete, truncate on audit_log from sextant_tenant;

create function audit_log_append_only() returns trigger
    language plpgsql
    as $$
begin
    raise exception 'audit_log is append-only: % refused', tg_op using errcode = 'insufficient_privilege';
end
$$;

-- UPDATE is refused for everyone; DELETE stays possible for the owner only (a tenant removed by
-- cascade takes its entries along), as the tenant role has no DELETE privilege.
create trigger audit_log_no_update
    before update on audit_log
    for each row execute function audit_log_append_only();
