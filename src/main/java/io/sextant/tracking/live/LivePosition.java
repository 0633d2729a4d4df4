package io.sextant.tracking.live;

import java.util.UUID;

/**
 * The latest position of one entry of a {@link LiveIndex}, as a query saw it.
 *
 * @param id the entry's identifier
 * @param lon longitude in degrees, as it was put
 * @param lat latitude in degrees
 * @param payload what the caller stored with the position
 * @param <T> the payload type
 */
public record LivePosition<T>(UUID id, double lon, double lat, T payload) {}
