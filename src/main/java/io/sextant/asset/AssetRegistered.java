package io.sextant.asset;

import java.util.UUID;

/** Published when an asset is created. */
public record AssetRegistered(UUID tenantId, UUID assetId, String externalId) {}
