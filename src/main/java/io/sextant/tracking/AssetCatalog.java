package io.sextant.tracking;

import io.sextant.asset.AssetChanged;
import io.sextant.asset.AssetRegistered;
import io.sextant.asset.AssetRemoved;
import io.sextant.asset.AssetSummary;
import io.sextant.asset.Assets;
import io.sextant.asset.Classification;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;
import org.springframework.transaction.event.TransactionalEventListener;

/**
 * What live queries need to know about each asset (its type, tags, classification), in memory:
 * loaded on start and kept current by the asset module's events after they commit.
 */
@Component
class AssetCatalog {

    private final Map<UUID, AssetMeta> byId = new ConcurrentHashMap<>();

    AssetCatalog(Assets assets) {
        assets.forEachAsset(summary -> put(summary));
    }

    @Nullable
    AssetMeta get(UUID assetId) {
        return byId.get(assetId);
    }

    @TransactionalEventListener
    void on(AssetRegistered event) {
        byId.put(
                event.assetId(),
                new AssetMeta(
                        event.tenantId(), event.externalId(), event.type(), event.tags(), event.classification()));
    }

    @TransactionalEventListener
    void on(AssetChanged event) {
        byId.put(
                event.assetId(),
                new AssetMeta(
                        event.tenantId(), event.externalId(), event.type(), event.tags(), event.classification()));
    }

    @TransactionalEventListener
    void on(AssetRemoved event) {
        byId.remove(event.assetId());
    }

    private void put(AssetSummary summary) {
        byId.put(
                summary.assetId(),
                new AssetMeta(
                        summary.tenantId(),
                        summary.externalId(),
                        summary.type(),
                        summary.tags(),
                        summary.classification()));
    }

    /** The fields of an asset that position queries filter on. */
    record AssetMeta(UUID tenantId, String externalId, String type, List<String> tags, Classification classification) {}
}
