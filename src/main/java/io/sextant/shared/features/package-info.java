/**
 * Feature collections: what a module publishes as GeoJSON features for standard geospatial clients
 * (the OGC API – Features adapter), each a {@link io.sextant.shared.features.FeatureSource} that
 * pages its features by a box, a time interval and a cursor, with the module's own permission
 * checks and grant scoping applied.
 */
@NullMarked
package io.sextant.shared.features;

import org.jspecify.annotations.NullMarked;
