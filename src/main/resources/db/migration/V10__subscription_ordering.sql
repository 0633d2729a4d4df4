-- Per-subscription delivery order (SubscriptionOrdering): 'per-asset' delivers one asset's events one
-- at a time, retries included; 'none' retries each event on its own. Existing subscriptions keep
-- the order they had.
alter table subscription
    add column ordering text not null default 'per-asset' check (ordering in ('per-asset', 'none'));

-- The backlog gauge (DeliveryBacklog): unfinished deliveries per subscription and the oldest of
-- them, read every few seconds; only unfinished rows are indexed, so the read stays small however
-- long the delivery log grows.
create index delivery_unfinished on delivery (subscription_id, created_at)
    where status in ('pending', 'failed-retrying');
