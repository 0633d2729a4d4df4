-- A subscription's owner also records the groups its token carried when it last configured the
-- subscription (Subscription.Owner), so that an external owner's grants to group:<name> count for
-- its deliveries as they do for its requests and live streams. Subscriptions made before were
-- recorded without them; they keep receiving as they did until their next change.
alter table subscription add column owner_groups text[] not null default '{}';
