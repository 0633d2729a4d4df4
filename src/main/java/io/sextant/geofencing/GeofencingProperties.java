package io.sextant.geofencing;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Fence engine settings.
 *
 * @param lateLookback how far before a late position the engine re-evaluates history to decide on a
 *     correction ({@code SEXTANT_GEOFENCING_LATE_LOOKBACK})
 * @param maxReplayPositions most stored positions one late-data re-evaluation reads; an asset whose
 *     replay would need more gets no correction (counted in {@code sextant.fences.late}) ({@code
 *     SEXTANT_GEOFENCING_MAX_REPLAY_POSITIONS})
 * @param staleSweepInterval how often assets are checked against the tenants' stale rules ({@code
 *     SEXTANT_GEOFENCING_STALE_SWEEP_INTERVAL})
 */
@ConfigurationProperties("sextant.geofencing")
public record GeofencingProperties(
        @DefaultValue("24h") Duration lateLookback,
        @DefaultValue("20000") int maxReplayPositions,
        @DefaultValue("30s") Duration staleSweepInterval) {}
