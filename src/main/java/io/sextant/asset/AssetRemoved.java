package io.sextant.asset;

import java.util.UUID;

/** Published when an asset is deleted. */
public record AssetRemoved(UUID tenantId, UUID assetId) {}
