package io.sextant.zone;

import io.sextant.shared.TenantContext;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.core.Ordered;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Every tenant's zones in memory, compiled and indexed for the fence engine: {@link #indexFor} is a
 * map lookup that never blocks and never touches the database.
 *
 * <p>The indexes are loaded on start. A change made through this node replaces its tenant's index
 * as soon as the change commits (copy-on-write: a new {@link ZoneIndex} that shares the old one's
 * packed tree and holds the changed zone apart, {@link ZoneIndex#with}; readers keep the one they
 * got). Every refresh packs the indexes that hold changes apart. Changes made through other nodes are
 * found every {@code sextant.zones.refresh-interval}: each change bumps its tenant's revision in
 * {@code zone_revision}; a tenant whose revision differs from the one this node last saw is reloaded,
 * compiling only the zones whose version changed, and a {@link ZoneChanged} is published here for
 * each of them.
 */
@Service
public class ZoneDirectory {

    private static final Logger log = LoggerFactory.getLogger(ZoneDirectory.class);

    private final ZoneRepository repository;
    private final ApplicationEventPublisher events;
    private final TransactionTemplate transactions;
    private final Map<UUID, ZoneIndex> indexes = new ConcurrentHashMap<>();
    /** The revision of each tenant the indexes are known to reflect; guarded by {@code this}. */
    private final Map<UUID, Long> revisions = new HashMap<>();
    /**
     * Zones deleted through this node whose deletion's revision may not be reflected yet, by id; a
     * change of one applied after its deletion (commits applied out of order) must not bring it back.
     * Guarded by {@code this}; each refresh forgets those its tenant's revision has reached.
     */
    private final Map<UUID, Deletion> deletions = new HashMap<>();

    private record Deletion(UUID tenantId, long revision) {}

    ZoneDirectory(
            ZoneRepository repository,
            ApplicationEventPublisher events,
            PlatformTransactionManager transactionManager) {
        this.repository = repository;
        this.events = events;
        this.transactions = new TransactionTemplate(transactionManager);
        load();
    }

    /** The tenant's zones as of the last change this node knows of; an empty index if it has none. */
    public ZoneIndex indexFor(UUID tenantId) {
        return indexes.getOrDefault(tenantId, ZoneIndex.empty());
    }

    /**
     * Applies a change once the current transaction commits, before any listener of the change's
     * {@link ZoneChanged} runs.
     *
     * @param zone the zone's new compiled form, or {@code null} when it was deleted
     * @param revision the tenant's revision after the change
     */
    void afterCommit(UUID tenantId, UUID zoneId, @Nullable CompiledZone zone, long revision) {
        TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
            @Override
            public int getOrder() {
                return Ordered.HIGHEST_PRECEDENCE;
            }

            @Override
            public void afterCommit() {
                apply(tenantId, zoneId, zone, revision);
            }
        });
    }

    synchronized void apply(UUID tenantId, UUID zoneId, @Nullable CompiledZone zone, long revision) {
        long known = revisions.getOrDefault(tenantId, 0L);
        if (revision <= known) {
            // A reload read the database after this change committed: the index holds it, and may
            // hold later changes of the zone that this one must not undo (a deletion, say).
            return;
        }
        ZoneIndex current = indexFor(tenantId);
        if (zone == null) {
            indexes.put(tenantId, current.without(zoneId));
            deletions.put(zoneId, new Deletion(tenantId, revision));
        } else if (!deletions.containsKey(zoneId)) {
            // A deletion is a zone's last change: a version applied after it is older, not newer.
            CompiledZone existing = current.get(zoneId).orElse(null);
            if (existing == null || zone.version() > existing.version()) {
                indexes.put(tenantId, current.with(zone));
            }
        }
        // Only a change directly after the known revision leaves the index complete; after a gap (a
        // change made elsewhere, or commits applied out of order) the next refresh reloads the tenant.
        if (known + 1 == revision) {
            revisions.put(tenantId, revision);
        }
    }

    /** Reloads the tenants whose zones changed through other nodes. */
    @Scheduled(
            fixedDelayString = "${sextant.zones.refresh-interval:5s}",
            initialDelayString = "${sextant.zones.refresh-interval:5s}")
    void refresh() {
        Map<UUID, Long> current = TenantContext.callAsSystem(repository::revisions);
        List<ZoneChanged> changes = new ArrayList<>();
        for (Map.Entry<UUID, Long> tenant : current.entrySet()) {
            if (!tenant.getValue().equals(knownRevision(tenant.getKey()))) {
                changes.addAll(reload(tenant.getKey(), tenant.getValue()));
            }
        }
        // Tenants that are gone took their zones with them.
        for (UUID tenantId : Set.copyOf(indexes.keySet())) {
            if (!current.containsKey(tenantId)) {
                forget(tenantId);
            }
        }
        tidy();
        if (!changes.isEmpty()) {
            // In a transaction, so that transactional listeners (which run after a commit) hear them too.
            transactions.executeWithoutResult(status -> changes.forEach(events::publishEvent));
        }
    }

    /**
     * Packs the index of each tenant whose zones changed since its tree was packed, so that between
     * bursts of changes no zone is tested one by one ({@link ZoneIndex#with}), and forgets the
     * deletions each tenant's known revision has reached.
     */
    private synchronized void tidy() {
        indexes.replaceAll((tenantId, index) -> index.packed());
        // A change of a zone applied late has a lower revision than its deletion; once the tenant's
        // known revision has reached the deletion's, apply skips it anyway.
        deletions.values().removeIf(d -> d.revision() <= revisions.getOrDefault(d.tenantId(), Long.MAX_VALUE));
    }

    private synchronized @Nullable Long knownRevision(UUID tenantId) {
        return revisions.get(tenantId);
    }

    private synchronized void forget(UUID tenantId) {
        indexes.remove(tenantId);
        revisions.remove(tenantId);
    }

    /** Brings one tenant's index up to date with the database; returns what changed. */
    private synchronized List<ZoneChanged> reload(UUID tenantId, long revision) {
        ZoneIndex old = indexFor(tenantId);
        Set<UUID> known = new HashSet<>();
        old.zones().forEach(z -> known.add(z.id()));
        Map<UUID, ZoneRepository.VersionState> states =
                TenantContext.callAsSystem(() -> repository.versionStates(tenantId, known));
        List<CompiledZone> kept = new ArrayList<>();
        List<UUID> changed = new ArrayList<>();
        List<ZoneChanged> changes = new ArrayList<>();
        for (CompiledZone zone : old.zones()) {
            ZoneRepository.VersionState state = states.get(zone.id());
            if (state != null && !state.deleted() && state.version() == zone.version()) {
                kept.add(zone);
            } else if (state == null || state.deleted()) {
                changes.add(new ZoneChanged(
                        tenantId, zone.id(), state == null ? zone.version() + 1 : state.version(), true));
            }
        }
        Set<UUID> keptIds = new HashSet<>();
        kept.forEach(z -> keptIds.add(z.id()));
        states.forEach((id, state) -> {
            if (!state.deleted() && !keptIds.contains(id)) {
                changed.add(id);
            }
        });
        List<StoredZone> fetched = TenantContext.callAsSystem(() -> repository.findLive(tenantId, changed));
        for (StoredZone stored : fetched) {
            CompiledZone compiled = compile(stored);
            if (compiled != null) {
                kept.add(compiled);
                changes.add(new ZoneChanged(tenantId, compiled.id(), compiled.version(), false));
            }
        }
        indexes.put(tenantId, ZoneIndex.of(kept));
        revisions.put(tenantId, revision);
        return changes;
    }

    private synchronized void load() {
        Map<UUID, Long> current = TenantContext.callAsSystem(repository::revisions);
        Map<UUID, List<CompiledZone>> byTenant = new HashMap<>();
        TenantContext.callAsSystem(() -> {
            repository.forEachLive(stored -> {
                CompiledZone compiled = compile(stored);
                if (compiled != null) {
                    byTenant.computeIfAbsent(stored.tenantId(), t -> new ArrayList<>())
                            .add(compiled);
                }
            });
            return true;
        });
        byTenant.forEach((tenantId, zones) -> indexes.put(tenantId, ZoneIndex.of(zones)));
        revisions.putAll(current);
        log.info(
                "Loaded {} zones of {} tenants",
                byTenant.values().stream().mapToInt(List::size).sum(),
                byTenant.size());
    }

    private static @Nullable CompiledZone compile(StoredZone stored) {
        try {
            return stored.compile();
        } catch (RuntimeException e) {
            // One unreadable zone must not keep the others from fencing; it was valid when written.
            log.error("Zone {} of tenant {} cannot be compiled and is left out", stored.id(), stored.tenantId(), e);
            return null;
        }
    }
}
