/**
 * Decoders of the formats positions arrive in: Sextant's own batches (JSON, NDJSON, GeoJSON) and
 * the protocols tracker apps speak (OwnTracks, OsmAnd / Traccar Client). Pure functions from a
 * request's or a message's data to {@link io.sextant.tracking.PositionReport}s, without I/O or
 * Spring; published to the other adapters of ingest (MQTT) as the named interface {@code protocol}.
 */
@NamedInterface("protocol")
@NullMarked
package io.sextant.tracking.protocol;

import org.jspecify.annotations.NullMarked;
import org.springframework.modulith.NamedInterface;
