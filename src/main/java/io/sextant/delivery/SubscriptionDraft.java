package io.sextant.delivery;

/** A subscription's configurable fields, as a client sets them. */
public record SubscriptionDraft(
        String name, SubscriptionFilter filter, boolean enabled, ChannelSpec channel, SubscriptionOrdering ordering) {}
