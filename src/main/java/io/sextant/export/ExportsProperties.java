package io.sextant.export;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Exports: their explicit limits (a request beyond one is a 400 naming it, or a 409 for the number
 * of unfinished exports), how their content is stored and how long it is kept.
 *
 * @param retention how long a finished export's content is kept before it expires ({@code
 *     SEXTANT_EXPORTS_RETENTION}); an expired export answers 410 for as long again, then is gone
 * @param maxWindow longest time window of one export ({@code SEXTANT_EXPORTS_MAX_WINDOW}); longer
 *     than the history query's own limit is fine, the export reads it in slices
 * @param maxAreaKm2 largest area (the bounding box of the region) of one export ({@code
 *     SEXTANT_EXPORTS_MAX_AREA_KM2}); the history query's own limit applies as well
 * @param maxPositions most positions one export writes; an export that would write more fails
 *     ({@code SEXTANT_EXPORTS_MAX_POSITIONS})
 * @param maxUnfinished most exports of one tenant queued or running at once ({@code
 *     SEXTANT_EXPORTS_MAX_UNFINISHED})
 * @param chunkSize the size of each stored piece of content ({@code SEXTANT_EXPORTS_CHUNK_SIZE})
 * @param pageSize positions read per query page while writing ({@code SEXTANT_EXPORTS_PAGE_SIZE})
 * @param timeout how long one attempt at an export may run ({@code SEXTANT_EXPORTS_TIMEOUT})
 * @param expiryInterval how often expired content is removed ({@code SEXTANT_EXPORTS_EXPIRY_INTERVAL})
 */
@ConfigurationProperties("sextant.exports")
record ExportsProperties(
        @DefaultValue("24h") Duration retention,
        @DefaultValue("31d") Duration maxWindow,
        @DefaultValue("2500000") double maxAreaKm2,
        @DefaultValue("1000000") long maxPositions,
        @DefaultValue("3") int maxUnfinished,
        @DefaultValue("1MB") DataSize chunkSize,
        @DefaultValue("5000") int pageSize,
        @DefaultValue("30m") Duration timeout,
        @DefaultValue("5m") Duration expiryInterval) {

    ExportsProperties {
        positive("retention", retention);
        positive("max-window", maxWindow);
        positive("timeout", timeout);
        positive("expiry-interval", expiryInterval);
        if (!(maxAreaKm2 > 0)) {
            throw new IllegalArgumentException("sextant.exports.max-area-km2 must be positive, was " + maxAreaKm2);
        }
        if (maxPositions < 1 || maxUnfinished < 1 || pageSize < 1) {
            throw new IllegalArgumentException(
                    "sextant.exports.max-positions, max-unfinished and page-size must be at least 1");
        }
        if (chunkSize.toBytes() < 1024 || chunkSize.toBytes() > 64L * 1024 * 1024) {
            throw new IllegalArgumentException(
                    "sextant.exports.chunk-size must be between 1KB and 64MB, was " + chunkSize);
        }
    }

    private static void positive(String name, Duration value) {
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException("sextant.exports." + name + " must be positive, was " + value);
        }
    }
}
