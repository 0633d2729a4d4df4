package io.sextant.tracking;

import io.sextant.asset.AssetRegistered;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Keeps tracking's record of the assets that exist ({@code tracked_asset}) as the asset module
 * announces them: the ingest writer advances latest positions only for those, without reading the
 * asset module's table. The row is written in the registering transaction (a plain, synchronous
 * listener), so it exists exactly when the asset does; the asset's deletion removes it (a cascade).
 */
@Component
class TrackedAssets {

    private final PositionRepository repository;

    TrackedAssets(PositionRepository repository) {
        this.repository = repository;
    }

    @EventListener
    void on(AssetRegistered event) {
        repository.track(event.tenantId(), event.assetId());
    }
}
