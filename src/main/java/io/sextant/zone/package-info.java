/**
 * Zones: the places geofences watch (polygons, circles, corridors), per tenant, versioned, with an
 * active schedule and fence settings, compiled into an in-memory index for real-time fencing.
 */
@ApplicationModule(
        displayName = "Zones",
        allowedDependencies = {"shared"})
@NullMarked
package io.sextant.zone;

import org.jspecify.annotations.NullMarked;
import org.springframework.modulith.ApplicationModule;
