package io.sextant.asset;

import java.util.List;
import java.util.UUID;

/** Published when an asset's fields are replaced; carries the new values. */
public record AssetChanged(
        UUID tenantId, UUID assetId, String externalId, String type, List<String> tags, Classification classification) {

    static AssetChanged of(Asset asset) {
        return new AssetChanged(
                asset.tenantId(), asset.id(), asset.externalId(), asset.type(), asset.tags(), asset.classification());
    }
}
