package io.sextant.tracking;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * What became of one reported position.
 *
 * @param index the item's place in the request, from 0
 * @param reason why it was rejected (only for {@link Status#REJECTED})
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record IngestOutcome(
        int index,
        Status status,
        @Nullable UUID assetId,
        @Nullable String reason) {

    /**
     * A short name of why a position was rejected, for metrics: {@code unknown_asset}, {@code
     * future}, {@code too_old}, {@code beyond_grants} or {@code invalid}; {@code none} unless rejected.
     */
    @com.fasterxml.jackson.annotation.JsonIgnore
    public String reasonKind() {
        String why = reason;
        if (status != Status.REJECTED || why == null) {
            return "none";
        }
        return why.startsWith("unknown asset")
                ? "unknown_asset"
                : why.contains("future")
                        ? "future"
                        : why.contains("retention")
                                ? "too_old"
                                : why.contains("your grants") ? "beyond_grants" : "invalid";
    }

    /** Accepted: stored now. Duplicate: stored before, unchanged. Rejected: not stored. */
    public enum Status {
        ACCEPTED,
        DUPLICATE,
        REJECTED;

        @com.fasterxml.jackson.annotation.JsonValue
        public String id() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }
}
