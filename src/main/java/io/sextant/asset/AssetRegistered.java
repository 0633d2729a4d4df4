package io.sextant.asset;

import java.util.List;
import java.util.UUID;

/** Published when an asset is created. */
public record AssetRegistered(
        UUID tenantId, UUID assetId, String externalId, String type, List<String> tags, Classification classification) {

    static AssetRegistered of(Asset asset) {
        return new AssetRegistered(
                asset.tenantId(), asset.id(), asset.externalId(), asset.type(), asset.tags(), asset.classification());
    }
}
