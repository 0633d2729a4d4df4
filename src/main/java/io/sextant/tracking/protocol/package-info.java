/**
 * Decoders of the protocols tracker apps speak (OwnTracks, OsmAnd / Traccar Client): pure functions
 * from a request's data to a {@link io.sextant.tracking.PositionReport}, without I/O or Spring.
 */
@NullMarked
package io.sextant.tracking.protocol;

import org.jspecify.annotations.NullMarked;
