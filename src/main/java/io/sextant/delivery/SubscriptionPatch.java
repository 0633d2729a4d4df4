package io.sextant.delivery;

import org.jspecify.annotations.Nullable;

/** The fields a partial update changes; null leaves one as it is. */
public record SubscriptionPatch(
        @Nullable String name,
        @Nullable SubscriptionFilter filter,
        @Nullable Boolean enabled,
        @Nullable ChannelSpec channel,
        @Nullable SubscriptionOrdering ordering) {}
