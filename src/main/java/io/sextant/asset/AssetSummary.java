package io.sextant.asset;

import java.util.List;
import java.util.UUID;

/** What other modules index about an asset: who owns it and the fields filters and policies use. */
public record AssetSummary(
        UUID tenantId,
        UUID assetId,
        String externalId,
        String type,
        List<String> tags,
        Classification classification) {}
