package io.sextant.delivery;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Optional;

/**
 * Where a delivery stands: {@code pending} until its first attempt, then {@code delivered}, {@code
 * failed-retrying} (an attempt failed and another is scheduled), {@code dead} (the last attempt
 * failed, or the target is refused outright; a retry of its job by hand attempts it again) or
 * {@code skipped} (the policy does not let the subscription's owner receive the event, or the
 * subscription is disabled).
 */
public enum DeliveryStatus {
    PENDING("pending"),
    DELIVERED("delivered"),
    FAILED_RETRYING("failed-retrying"),
    DEAD("dead"),
    SKIPPED("skipped");

    private final String id;

    DeliveryStatus(String id) {
        this.id = id;
    }

    @JsonValue
    public String id() {
        return id;
    }

    public static Optional<DeliveryStatus> fromId(String id) {
        return Arrays.stream(values()).filter(s -> s.id.equals(id)).findFirst();
    }
}
