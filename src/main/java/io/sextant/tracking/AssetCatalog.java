package io.sextant.tracking;

import io.sextant.asset.AssetChanged;
import io.sextant.asset.AssetIds;
import io.sextant.asset.AssetRegistered;
import io.sextant.asset.AssetRemoved;
import io.sextant.asset.AssetSummary;
import io.sextant.asset.Assets;
import io.sextant.asset.Classification;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;
import org.springframework.transaction.event.TransactionalEventListener;

/**
 * What ingest and live queries need to know about each asset — its tenant, external id, type,
 * tags and classification — in memory: loaded on start and kept current by the asset module's
 * events after they commit. Ingest resolves a batch's asset references here instead of in the
 * database; a reference the catalog does not know (an asset created through another node) is looked
 * up in the database and then remembered.
 */
@Component
public class AssetCatalog {

    private final Assets assets;
    private final Map<UUID, Handle> byId = new ConcurrentHashMap<>();
    private final Map<UUID, Map<String, UUID>> byExternalId = new ConcurrentHashMap<>();

    /** When the catalog was loaded: what changed after it, a following node reads again. */
    private final java.time.Instant loadedAt;

    AssetCatalog(Assets assets) {
        this.assets = assets;
        this.loadedAt = java.time.Instant.now();
        assets.forEachAsset(s -> put(s.assetId(), meta(s)));
    }

    java.time.Instant loadedAt() {
        return loadedAt;
    }

    @Nullable
    AssetMeta get(UUID assetId) {
        Handle handle = byId.get(assetId);
        return handle == null ? null : handle.meta;
    }

    /**
     * The asset's handle: what is known of it now, and later, without looking it up again (the
     * live index keeps it beside the asset's latest position, so its searches read an asset's tags
     * without a lookup per candidate). Its meta is null while the asset is unknown or removed.
     */
    Handle handle(UUID assetId) {
        return byId.computeIfAbsent(assetId, id -> new Handle());
    }

    /** What is known of an asset (any tenant), from memory; empty if this node does not know it. */
    public java.util.Optional<AssetSummary> summary(UUID assetId) {
        AssetMeta meta = get(assetId);
        return meta == null
                ? java.util.Optional.empty()
                : java.util.Optional.of(new AssetSummary(
                        meta.tenantId(), assetId, meta.externalId(), meta.type(), meta.tags(), meta.classification()));
    }

    /**
     * Which of the references name assets of the current tenant (whose id is {@code tenantId}):
     * from memory, and from the database for what memory does not know.
     */
    AssetIds resolve(UUID tenantId, Collection<UUID> ids, Collection<String> externalIds) {
        Map<UUID, String> externalIdById = HashMap.newHashMap(ids.size());
        Map<String, UUID> idByExternalId = HashMap.newHashMap(externalIds.size());
        List<UUID> unknownIds = new java.util.ArrayList<>();
        List<String> unknownExternalIds = new java.util.ArrayList<>();
        for (UUID id : ids) {
            AssetMeta meta = get(id);
            if (meta != null && meta.tenantId().equals(tenantId)) {
                externalIdById.put(id, meta.externalId());
            } else {
                unknownIds.add(id);
            }
        }
        Map<String, UUID> tenantExternalIds = byExternalId.getOrDefault(tenantId, Map.of());
        for (String externalId : externalIds) {
            UUID id = tenantExternalIds.get(externalId);
            if (id != null) {
                idByExternalId.put(externalId, id);
            } else {
                unknownExternalIds.add(externalId);
            }
        }
        if (!unknownIds.isEmpty() || !unknownExternalIds.isEmpty()) {
            AssetIds fromDatabase = assets.resolve(unknownIds, unknownExternalIds);
            externalIdById.putAll(fromDatabase.externalIdById());
            idByExternalId.putAll(fromDatabase.idByExternalId());
            if (!fromDatabase.externalIdById().isEmpty()) {
                assets.forEachAssetOf(fromDatabase.externalIdById().keySet(), s -> put(s.assetId(), meta(s)));
            }
        }
        return new AssetIds(externalIdById, idByExternalId);
    }

    @TransactionalEventListener
    void on(AssetRegistered event) {
        put(
                event.assetId(),
                new AssetMeta(
                        event.tenantId(), event.externalId(), event.type(), event.tags(), event.classification()));
    }

    @TransactionalEventListener
    void on(AssetChanged event) {
        put(
                event.assetId(),
                new AssetMeta(
                        event.tenantId(), event.externalId(), event.type(), event.tags(), event.classification()));
    }

    @TransactionalEventListener
    void on(AssetRemoved event) {
        forget(event.assetId());
    }

    /** Takes in an asset registered or changed through another node. */
    void follow(AssetSummary summary) {
        put(summary.assetId(), meta(summary));
    }

    /** Forgets a removed asset (through this node or another). */
    void forget(UUID assetId) {
        Handle handle = byId.remove(assetId);
        if (handle == null) {
            return;
        }
        AssetMeta removed = handle.meta;
        handle.meta = null;
        if (removed != null) {
            byExternalId.getOrDefault(removed.tenantId(), new HashMap<>()).remove(removed.externalId(), assetId);
        }
    }

    private void put(UUID assetId, AssetMeta meta) {
        Handle handle = handle(assetId);
        AssetMeta previous = handle.meta;
        handle.meta = meta;
        Map<String, UUID> tenantIds = byExternalId.computeIfAbsent(meta.tenantId(), t -> new ConcurrentHashMap<>());
        if (previous != null && !previous.externalId().equals(meta.externalId())) {
            tenantIds.remove(previous.externalId(), assetId);
        }
        tenantIds.put(meta.externalId(), assetId);
    }

    private static AssetMeta meta(AssetSummary summary) {
        return new AssetMeta(
                summary.tenantId(), summary.externalId(), summary.type(), summary.tags(), summary.classification());
    }

    /** One asset's place in the catalog; {@link #meta()} follows its changes. */
    static final class Handle {

        private volatile @Nullable AssetMeta meta;

        @Nullable
        AssetMeta meta() {
            return meta;
        }
    }

    /** The fields of an asset that position ingest and queries use. */
    record AssetMeta(UUID tenantId, String externalId, String type, List<String> tags, Classification classification) {}
}
