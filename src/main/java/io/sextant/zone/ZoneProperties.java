package io.sextant.zone;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Zone limits and the refresh of the in-memory zone directory.
 *
 * @param maxVertices most positions in a zone's polygon or corridor line ({@code SEXTANT_ZONES_MAX_VERTICES})
 * @param maxAreaKm2 largest area of a zone ({@code SEXTANT_ZONES_MAX_AREA_KM2})
 * @param maxRadiusMeters largest circle radius ({@code SEXTANT_ZONES_MAX_RADIUS_METERS})
 * @param maxCorridorWidthMeters widest corridor ({@code SEXTANT_ZONES_MAX_CORRIDOR_WIDTH_METERS})
 * @param maxPerTenant most zones a tenant may have at once; one more is a 409 ({@code
 *     SEXTANT_ZONES_MAX_PER_TENANT})
 * @param refreshInterval how often a node checks whether another node changed zones ({@code
 *     SEXTANT_ZONES_REFRESH_INTERVAL})
 */
@ConfigurationProperties("sextant.zones")
public record ZoneProperties(
        @DefaultValue("10000") int maxVertices,
        @DefaultValue("1000000") double maxAreaKm2,
        @DefaultValue("100000") double maxRadiusMeters,
        @DefaultValue("10000") double maxCorridorWidthMeters,
        @DefaultValue("50000") int maxPerTenant,
        @DefaultValue("5s") Duration refreshInterval) {}
