package io.sextant.asset;

import io.sextant.shared.ExpectedVersions;
import io.sextant.shared.Ids;
import io.sextant.shared.TenantContext;
import io.sextant.shared.access.AccessPolicies;
import io.sextant.shared.access.LatestLocations;
import io.sextant.shared.access.RequiresPermission;
import io.sextant.shared.access.Scope;
import io.sextant.shared.access.SqlPredicate;
import io.sextant.shared.access.Visibility;
import io.sextant.shared.problem.Conflict;
import io.sextant.shared.problem.NotFound;
import io.sextant.shared.problem.PreconditionFailed;
import io.sextant.shared.web.CursorPage;
import io.sextant.shared.web.Cursors;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Registers, changes and removes the current tenant's assets. Another tenant's asset does not exist
 * as far as callers can tell: every lookup is by (tenant, id) and answers 404. The operations of the
 * assets API require {@code assets:read} or {@code assets:write}; the ports other modules call inside
 * their own requests ({@link #exists}, {@link #resolve}, {@link #registerMissing}, {@link #idsMatching},
 * …) require nothing of their own.
 *
 * <p>The operations of the API are narrowed to what the caller's grants reach (issue 10): an asset
 * as an object is reached when its own facts (clearance, tags, named assets, condition) meet a
 * grant and, when that grant has a region, its latest position lies inside or the grant names it.
 * An asset out of reach answers 404 like a missing one; lists hold exactly the assets reached, in
 * complete pages. The ports other modules call are not narrowed here: they narrow their own rows.
 */
@Service
@Transactional
public class Assets {

    /** How many rows a list refined by latest positions reads at a time, at least. */
    private static final int REFINE_CHUNK = 200;

    private final AssetRepository repository;
    private final ApplicationEventPublisher events;
    private final Clock clock;
    private final ObjectProvider<LatestLocations> latestLocations;

    /**
     * @param latestLocations where assets were last seen (tracking's port, looked up when first
     *     needed: tracking itself depends on this bean)
     */
    Assets(
            AssetRepository repository,
            ApplicationEventPublisher events,
            Clock clock,
            ObjectProvider<LatestLocations> latestLocations) {
        this.repository = repository;
        this.events = events;
        this.clock = clock;
        this.latestLocations = latestLocations;
    }

    @RequiresPermission("assets:write")
    public Asset create(AssetDraft draft) {
        AssetRules.check(draft);
        UUID tenantId = TenantContext.require();
        Instant now = now();
        Asset asset = new Asset(
                Ids.newId(),
                tenantId,
                draft.externalId(),
                draft.name(),
                draft.type(),
                List.copyOf(draft.tags()),
                draft.attributes(),
                draft.classification(),
                1,
                now,
                now);
        try {
            repository.insert(asset);
        } catch (DuplicateKeyException e) {
            throw duplicateExternalId(draft.externalId());
        }
        events.publishEvent(AssetRegistered.of(asset));
        return asset;
    }

    @Transactional(readOnly = true)
    @RequiresPermission("assets:read")
    public Asset get(UUID id) {
        return reached(id, visibility("assets:read"));
    }

    /** The asset if it exists and {@code visibility} reaches it as an object; 404 otherwise. */
    private Asset reached(UUID id, Visibility visibility) {
        return repository
                .find(TenantContext.require(), id)
                .filter(asset -> reaches(visibility, asset))
                .orElseThrow(() -> new NotFound("asset", id));
    }

    /** What {@code permission} reaches for the caller now. */
    private Visibility visibility(String permission) {
        return AccessPolicies.current().visibility(permission, clock.instant());
    }

    /** Whether the asset as an object is reached: its own facts and, under a region, where it was last seen. */
    private boolean reaches(Visibility visibility, Asset asset) {
        if (visibility instanceof Visibility.All) {
            return true;
        }
        if (visibility instanceof Visibility.None) {
            return false;
        }
        return visibility.reachesAssetObject(facts(asset), needsLocation(visibility) ? locate(asset.id()) : null);
    }

    /** Whether some scope decides by where the asset was last seen (a region, no named assets). */
    private static boolean needsLocation(Visibility visibility) {
        if (visibility instanceof Visibility.Scoped scoped) {
            for (Scope scope : scoped.scopes()) {
                if (scope.region() != null && scope.assets().isEmpty()) {
                    return true;
                }
            }
        }
        return false;
    }

    private double @Nullable [] locate(UUID id) {
        LatestLocations locations = latestLocations.getIfAvailable();
        return locations == null ? null : locations.locate(id);
    }

    /**
     * The union of the scopes' asset parts as SQL over the asset table: every asset a scope reaches
     * as an object is in it (a region only narrows it further).
     */
    private static SqlPredicate assetSql(Visibility.Scoped visibility) {
        List<String> parts = new ArrayList<>();
        Map<String, Object> params = new LinkedHashMap<>();
        List<Scope> scopes = visibility.scopes();
        for (int i = 0; i < scopes.size(); i++) {
            SqlPredicate part = scopes.get(i).assetSql("", "s" + i);
            if (part.sql().equals("true")) {
                return SqlPredicate.TRUE;
            }
            parts.add("(" + part.sql() + ")");
            params.putAll(part.params());
        }
        return new SqlPredicate(String.join(" or ", parts), params);
    }

    /**
     * What grants decide an asset by (tags, classification, attributes), in the current tenant: a
     * port for the modules that enforce them, which checked the caller where its request came in.
     */
    @Transactional(readOnly = true)
    public java.util.Optional<io.sextant.shared.access.AssetFacts> facts(UUID id) {
        return repository.find(TenantContext.require(), id).map(Assets::facts);
    }

    static io.sextant.shared.access.AssetFacts facts(Asset asset) {
        return new io.sextant.shared.access.AssetFacts(
                asset.id(),
                asset.externalId(),
                asset.type(),
                asset.tags(),
                asset.classification().id(),
                asset.attributes());
    }

    /** Whether the current tenant has the asset: for modules that answer 404 for an unknown one. */
    @Transactional(readOnly = true)
    public boolean exists(UUID id) {
        return repository.find(TenantContext.require(), id).isPresent();
    }

    @Transactional(readOnly = true)
    @RequiresPermission("assets:read")
    public Asset getByExternalId(String externalId) {
        Visibility visibility = visibility("assets:read");
        return repository
                .findByExternalId(TenantContext.require(), externalId)
                .filter(asset -> reaches(visibility, asset))
                .orElseThrow(() -> new NotFound("asset with external id", externalId));
    }

    /** Replaces the asset's fields if it is at one of {@code expected}: {@code PreconditionFailed} otherwise. */
    @RequiresPermission("assets:write")
    public Asset replace(UUID id, ExpectedVersions expected, AssetDraft draft) {
        AssetRules.check(draft);
        Visibility visibility = visibility("assets:write");
        Asset current = reached(id, visibility);
        if (!expected.admits(current.version())) {
            throw stale(current);
        }
        Asset updated = new Asset(
                current.id(),
                current.tenantId(),
                draft.externalId(),
                draft.name(),
                draft.type(),
                List.copyOf(draft.tags()),
                draft.attributes(),
                draft.classification(),
                current.version() + 1,
                current.createdAt(),
                now());
        try {
            if (!repository.update(updated, current.version())) {
                throw stale(reached(id, visibility));
            }
        } catch (DuplicateKeyException e) {
            throw duplicateExternalId(draft.externalId());
        }
        events.publishEvent(AssetChanged.of(updated));
        return updated;
    }

    /** Deletes the asset; with {@code expected}, only if it is at one of those versions. */
    @RequiresPermission("assets:write")
    public void delete(UUID id, @Nullable ExpectedVersions expected) {
        UUID tenantId = TenantContext.require();
        Visibility visibility = visibility("assets:write");
        Long version = null;
        if (expected != null) {
            Asset current = reached(id, visibility);
            if (!expected.admits(current.version())) {
                throw stale(current);
            }
            version = current.version();
        } else if (!(visibility instanceof Visibility.All)) {
            reached(id, visibility);
        }
        if (!repository.delete(tenantId, id, version)) {
            throw stale(reached(id, visibility));
        }
        events.publishEvent(new AssetRemoved(tenantId, id));
    }

    /**
     * The ids of the current tenant's assets named by id or by external id, for bulk work such as
     * position ingest: one query for a whole batch. References to no asset are absent.
     */
    @Transactional(readOnly = true)
    public AssetIds resolve(Collection<UUID> ids, Collection<String> externalIds) {
        return repository.resolve(TenantContext.require(), ids, externalIds);
    }

    /**
     * Registers an asset of type {@code unregistered} for each external id that names none yet (ids
     * that are not valid external ids are skipped), for tenants whose ingest registers unknown
     * devices automatically. Concurrent registrations of the same id are harmless.
     */
    public void registerMissing(Collection<String> externalIds) {
        UUID tenantId = TenantContext.require();
        Instant now = now();
        List<Asset> created = new java.util.ArrayList<>();
        for (String externalId : new java.util.LinkedHashSet<>(externalIds)) {
            Asset asset = new Asset(
                    Ids.newId(),
                    tenantId,
                    externalId,
                    externalId,
                    "unregistered",
                    List.of(),
                    java.util.Map.of(),
                    Classification.INTERNAL,
                    1,
                    now,
                    now);
            if (AssetRules.isValid(new AssetDraft(
                    externalId, externalId, "unregistered", List.of(), java.util.Map.of(), Classification.INTERNAL))) {
                created.add(asset);
            }
        }
        for (Asset asset : repository.insertMissing(created)) {
            events.publishEvent(AssetRegistered.of(asset));
        }
    }

    /** The current tenant's assets among {@code ids}, streamed. */
    @Transactional(readOnly = true)
    public void forEachAssetOf(Collection<UUID> ids, java.util.function.Consumer<AssetSummary> consumer) {
        repository.forEachOf(TenantContext.require(), ids, consumer);
    }

    /** Every asset of every tenant, streamed: for modules that rebuild an in-memory index on start. */
    @Transactional(propagation = org.springframework.transaction.annotation.Propagation.NOT_SUPPORTED)
    public void forEachAsset(java.util.function.Consumer<AssetSummary> consumer) {
        TenantContext.callAsSystem(() -> {
            repository.forEach(consumer);
            return true;
        });
    }

    /**
     * Assets of every tenant changed (registered or updated) at or after {@code since}, streamed,
     * and the latest change among them: for nodes that follow changes made through other nodes.
     */
    @Transactional(propagation = org.springframework.transaction.annotation.Propagation.NOT_SUPPORTED)
    public @Nullable Instant forEachAssetChangedSince(
            Instant since, java.util.function.Consumer<AssetSummary> consumer) {
        return TenantContext.callAsSystem(() -> repository.forEachChangedSince(since, consumer));
    }

    /** Assets of every tenant removed at or after {@code since} (kept for a day), with when. */
    @Transactional(propagation = org.springframework.transaction.annotation.Propagation.NOT_SUPPORTED)
    public List<AssetRemoval> assetsRemovedSince(Instant since) {
        return TenantContext.callAsSystem(() -> repository.removedSince(since));
    }

    /**
     * The ids of the current tenant's assets of {@code type} (any if null) carrying every one of
     * {@code tags}: how other modules filter their own rows by asset without reading asset's table.
     */
    @Transactional(readOnly = true)
    public List<UUID> idsMatching(@Nullable String type, List<String> tags) {
        return repository.idsMatching(TenantContext.require(), type, tags);
    }

    /**
     * The ids of the current tenant's assets that a grant's scope reaches on their own facts
     * (clearance, tags, named assets, condition), in id order: how other modules narrow their rows
     * to a scope without reading asset's table.
     */
    @Transactional(readOnly = true)
    public List<UUID> idsReachedBy(io.sextant.shared.access.Scope scope) {
        return repository.idsWhere(TenantContext.require(), scope.assetSql("", "scope"));
    }

    /**
     * Which of {@code candidates} (assets of the current tenant) the asset parts of {@code scope}
     * reach, in one query: for a caller that decides a page of rows at a time and must not list
     * every asset a broad scope reaches.
     */
    @Transactional(readOnly = true)
    public Set<UUID> idsReachedAmong(io.sextant.shared.access.Scope scope, Collection<UUID> candidates) {
        if (candidates.isEmpty()) {
            return Set.of();
        }
        SqlPredicate reach = scope.assetSql("", "scope");
        Map<String, Object> params = new java.util.HashMap<>(reach.params());
        params.put("scopeAmong", candidates.toArray(UUID[]::new));
        return Set.copyOf(repository.idsWhere(
                TenantContext.require(),
                new SqlPredicate("id = any(cast(:scopeAmong as uuid[])) and (" + reach.sql() + ")", params)));
    }

    @Transactional(readOnly = true)
    @RequiresPermission("assets:read")
    public CursorPage<Asset> list(@Nullable String type, List<String> tags, @Nullable String cursor, int limit) {
        UUID after = Cursors.decodeId(cursor);
        UUID tenantId = TenantContext.require();
        Visibility visibility = visibility("assets:read");
        if (visibility instanceof Visibility.All) {
            List<Asset> rows = repository.page(tenantId, type, tags, SqlPredicate.TRUE, after, limit + 1);
            return CursorPage.fromLookahead(rows, limit, a -> a.id().toString());
        }
        if (!(visibility instanceof Visibility.Scoped scoped)) {
            return new CursorPage<>(List.of(), null);
        }
        SqlPredicate reach = assetSql(scoped);
        if (!needsLocation(scoped)) {
            // The asset parts compile exactly: the SQL page is the page.
            List<Asset> rows = repository.page(tenantId, type, tags, reach, after, limit + 1);
            return CursorPage.fromLookahead(rows, limit, a -> a.id().toString());
        }
        // The asset parts prefilter in SQL; the latest position refines in memory. Rows are read in
        // keyset chunks until the page is full (or the table ends), so a refined page is still full.
        int chunkSize = Math.max(limit + 1, REFINE_CHUNK);
        List<Asset> page = new ArrayList<>(Math.min(limit, 1024));
        while (true) {
            List<Asset> chunk = repository.page(tenantId, type, tags, reach, after, chunkSize);
            for (Asset asset : chunk) {
                after = asset.id();
                if (reaches(scoped, asset)) {
                    if (page.size() == limit) {
                        return new CursorPage<>(
                                List.copyOf(page),
                                Cursors.encode(page.getLast().id().toString()));
                    }
                    page.add(asset);
                }
            }
            if (chunk.size() < chunkSize) {
                return new CursorPage<>(List.copyOf(page), null);
            }
        }
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }

    private static PreconditionFailed stale(Asset current) {
        return new PreconditionFailed("asset " + current.id() + " has changed: it is at version " + current.version()
                + " (ETag \"" + current.version() + "\")");
    }

    private static Conflict duplicateExternalId(String externalId) {
        return new Conflict("an asset with external id '" + externalId + "' already exists");
    }
}
