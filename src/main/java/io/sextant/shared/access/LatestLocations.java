package io.sextant.shared.access;

import java.util.UUID;

/**
 * Where an asset of the current tenant was last seen: what an asset's visibility under a region
 * depends on ({@link Scope#whyNotAssetObject}). Tracking's port, for the modules that check assets
 * as objects without depending on tracking.
 */
public interface LatestLocations {

    /** {lon, lat} of the asset's latest position in the current tenant, or null when it has none. */
    double @org.jspecify.annotations.Nullable [] locate(UUID assetId);
}
