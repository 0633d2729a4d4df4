-- Usernames are unique within a tenant, not across the installation: a name taken in another
-- tenant is none of this tenant's business (and refusing it told who exists elsewhere).
alter table user_account drop constraint user_account_username_key;
alter table user_account add constraint user_account_tenant_username unique (tenant_id, username);
-- Sign-in without a tenant looks a username up across tenants.
create index user_account_username on user_account (username);
