package io.sextant.delivery;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * In what order a subscription's deliveries may be made. {@code per-asset} (the default) delivers
 * one asset's events one at a time in log order, retries included, so a failing event holds the
 * asset's later ones back until it succeeds or goes dead. {@code none} retries every event on its
 * own, as Stripe and Svix do: nothing waits behind a failure, and receivers order by the event's
 * {@code time} and id if they need to.
 */
public enum SubscriptionOrdering {
    PER_ASSET("per-asset"),
    NONE("none");

    public static final SubscriptionOrdering DEFAULT = PER_ASSET;

    private final String id;

    SubscriptionOrdering(String id) {
        this.id = id;
    }

    @JsonValue
    public String id() {
        return id;
    }

    public static Optional<SubscriptionOrdering> fromId(String id) {
        return Arrays.stream(values()).filter(o -> o.id.equals(id)).findFirst();
    }

    /** The values as a client writes them, for error messages. */
    public static String ids() {
        return Arrays.stream(values()).map(SubscriptionOrdering::id).collect(Collectors.joining(", "));
    }

    /**
     * The ordering key of a delivery job: {@code subscriptionId:assetId} (just the subscription id
     * for events about no asset) when ordered per asset, none when every delivery stands alone.
     */
    @Nullable
    String jobKey(UUID subscriptionId, @Nullable UUID assetId) {
        if (this == NONE) {
            return null;
        }
        return assetId == null ? subscriptionId.toString() : subscriptionId + ":" + assetId;
    }
}
