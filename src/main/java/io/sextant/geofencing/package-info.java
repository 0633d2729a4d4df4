/** Geofencing: real-time enter/exit/dwell, speeding, proximity and stale-asset events from accepted positions. */
@ApplicationModule(
        displayName = "Geofencing",
        allowedDependencies = {"shared", "tracking", "zone", "events", "jobs", "asset"})
@NullMarked
package io.sextant.geofencing;

import org.jspecify.annotations.NullMarked;
import org.springframework.modulith.ApplicationModule;
