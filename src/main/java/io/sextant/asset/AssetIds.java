package io.sextant.asset;

import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** Which of a set of asset references exist in the tenant, both ways round. */
public record AssetIds(Map<UUID, String> externalIdById, Map<String, UUID> idByExternalId) {

    public AssetIds {
        externalIdById = Map.copyOf(externalIdById);
        idByExternalId = Map.copyOf(idByExternalId);
    }

    public boolean exists(UUID id) {
        return externalIdById.containsKey(id);
    }

    public Optional<UUID> byExternalId(String externalId) {
        return Optional.ofNullable(idByExternalId.get(externalId));
    }
}
