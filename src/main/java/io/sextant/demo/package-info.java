/**
 * Demo fleet: on the embedded default's first start, a tenant {@code demo} with a user, depots,
 * customer sites, a restricted zone and fifty vehicles, and a simulator that drives them and posts
 * their positions through the public ingest API, as devices would, and dispatches missions over the
 * workflow API, so that a newcomer sees a live fleet, zone events, stale and speeding vehicles and
 * missions that move on their own.
 */
@ApplicationModule(
        displayName = "Demo",
        allowedDependencies = {"shared", "tenancy", "identity", "asset", "zone", "geofencing", "workflow"})
@NullMarked
package io.sextant.demo;

import org.jspecify.annotations.NullMarked;
import org.springframework.modulith.ApplicationModule;
