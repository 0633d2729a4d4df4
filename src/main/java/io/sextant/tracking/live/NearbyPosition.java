package io.sextant.tracking.live;

import java.util.UUID;

/**
 * The latest position of one entry of a {@link LiveIndex} with its great-circle distance from a query's center.
 *
 * @param id the entry's identifier
 * @param lon longitude in degrees, as it was put
 * @param lat latitude in degrees
 * @param payload what the caller stored with the position
 * @param distanceMeters {@link io.sextant.shared.geo.Geodesy#distanceMeters(double, double, double, double)} from
 *     the query's center to this position
 * @param <T> the payload type
 */
public record NearbyPosition<T>(UUID id, double lon, double lat, T payload, double distanceMeters) {}
