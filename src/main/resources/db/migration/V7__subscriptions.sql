-- Subscriptions to the event log and the durable record of every delivery made for them.

-- Every change to a subscription takes a fresh revision, so a node that caches a tenant's
-- subscriptions can tell from (count, max revision) alone whether its copy is still current.
create sequence subscription_revision;

create table subscription (
    id                 uuid primary key,
    tenant_id          uuid not null references tenant (id) on delete cascade,
    name               text not null,
    filter             jsonb not null,
    enabled            boolean not null,
    channel            jsonb not null,
    -- The webhook signing secret (whsec_…). Kept readable: every delivery signs with it.
    secret             text,
    -- Who the subscription receives as: its owner when it was last configured.
    owner_subject      text not null,
    owner_permissions  text[] not null,
    consecutive_dead   integer not null default 0,
    disabled_reason    text,
    version            bigint not null,
    revision           bigint not null default nextval('subscription_revision'),
    created_at         timestamptz not null,
    updated_at         timestamptz not null
);
create index subscription_tenant on subscription (tenant_id, id);

-- One delivery of one event to one subscription; a replay is a new delivery of the same event.
create table delivery (
    id               uuid primary key,
    tenant_id        uuid not null references tenant (id) on delete cascade,
    subscription_id  uuid not null references subscription (id) on delete cascade,
    -- No foreign key: the event log's retention may outlive or undercut a delivery's record.
    event_id         uuid not null,
    status           text not null,
    attempts         integer not null default 0,
    last_status_code integer,
    last_latency_ms  integer,
    last_error       text,
    replay_of        uuid,
    created_at       timestamptz not null,
    updated_at       timestamptz not null,
    delivered_at     timestamptz
);
-- Ids are time-ordered (UUIDv7): newest first is id descending.
create index delivery_subscription on delivery (subscription_id, id);
create index delivery_subscription_status on delivery (subscription_id, status, id);
create index delivery_event on delivery (event_id);

create table delivery_attempt (
    delivery_id  uuid not null references delivery (id) on delete cascade,
    attempt      integer not null,
    tenant_id    uuid not null references tenant (id) on delete cascade,
    started_at   timestamptz not null,
    status_code  integer,
    latency_ms   integer not null,
    error        text,
    primary key (delivery_id, attempt)
);

alter table subscription enable row level security;
create policy tenant_isolation on subscription
    using (tenant_id = sextant_current_tenant()) with check (tenant_id = sextant_current_tenant());
alter table delivery enable row level security;
create policy tenant_isolation on delivery
    using (tenant_id = sextant_current_tenant()) with check (tenant_id = sextant_current_tenant());
alter table delivery_attempt enable row level security;
create policy tenant_isolation on delivery_attempt
    using (tenant_id = sextant_current_tenant()) with check (tenant_id = sextant_current_tenant());
