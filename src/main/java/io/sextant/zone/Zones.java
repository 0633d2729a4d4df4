package io.sextant.zone;

import io.sextant.shared.Ids;
import io.sextant.shared.TenantContext;
import io.sextant.shared.access.RequiresPermission;
import io.sextant.shared.geo.BoundingBox;
import io.sextant.shared.problem.Conflict;
import io.sextant.shared.problem.InvalidInput;
import io.sextant.shared.problem.NotFound;
import io.sextant.shared.problem.PreconditionFailed;
import io.sextant.shared.web.CursorPage;
import io.sextant.shared.web.Cursors;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Creates, replaces and deletes the current tenant's zones, keeping every version. Each change
 * writes the zone's current row and a version row in one transaction, bumps the tenant's zone
 * revision (so other nodes reload), hands the compiled zone to the {@link ZoneDirectory} once the
 * transaction commits, and publishes {@link ZoneChanged}. Another tenant's zone does not exist as
 * far as callers can tell (404).
 */
@Service
@Transactional
public class Zones {

    private final ZoneRepository repository;
    private final ZoneDirectory directory;
    private final ApplicationEventPublisher events;
    private final Clock clock;
    private final ZoneLimits limits;
    private final int maxPerTenant;

    Zones(
            ZoneRepository repository,
            ZoneDirectory directory,
            ApplicationEventPublisher events,
            Clock clock,
            ZoneProperties properties) {
        this.repository = repository;
        this.directory = directory;
        this.events = events;
        this.clock = clock;
        this.limits = ZoneLimits.of(properties);
        this.maxPerTenant = properties.maxPerTenant();
    }

    /** Creates a zone at version 1; {@code InvalidInput} for an invalid draft, {@code Conflict} over the tenant's zone limit. */
    @RequiresPermission("zones:write")
    public Zone create(ZoneDraft draft) {
        ZoneContent content = ZoneRules.check(draft, limits);
        UUID tenantId = TenantContext.require();
        ZoneRepository.Revision revision = repository.bump(tenantId, 1);
        if (revision.liveZones() > maxPerTenant) {
            throw new Conflict(
                    "zone-limit-reached",
                    "Zone limit reached",
                    "the tenant has " + maxPerTenant + " zones, its limit; delete one first");
        }
        Instant now = now();
        StoredZone zone = StoredZone.of(Ids.newId(), tenantId, 1, content, now, now);
        repository.insert(zone);
        repository.appendVersion(zone);
        changed(zone, content, revision);
        return zone.toZone();
    }

    @Transactional(readOnly = true)
    @RequiresPermission("zones:read")
    public Zone get(UUID id) {
        return live(id).toZone();
    }

    /** The version of the zone that was valid at {@code at}; {@code NotFound} if the zone did not exist then. */
    @Transactional(readOnly = true)
    @RequiresPermission("zones:read")
    public ZoneVersion getAsOf(UUID id, Instant at) {
        return repository
                .versionAt(TenantContext.require(), id, at)
                .filter(version -> !version.deleted())
                .orElseThrow(() -> new NotFound("zone " + id + " did not exist at " + at))
                .toVersion();
    }

    /** Replaces the zone's content if it is still at {@code expectedVersion}: {@code PreconditionFailed} otherwise. */
    @RequiresPermission("zones:write")
    public Zone replace(UUID id, long expectedVersion, ZoneDraft draft) {
        ZoneContent content = ZoneRules.check(draft, limits);
        StoredZone current = live(id);
        if (current.version() != expectedVersion) {
            throw stale(current);
        }
        ZoneRepository.Revision revision = repository.bump(current.tenantId(), 0);
        StoredZone updated = StoredZone.of(
                id, current.tenantId(), current.version() + 1, content, current.createdAt(), after(current));
        if (!repository.update(updated, expectedVersion)) {
            throw stale(live(id));
        }
        repository.appendVersion(updated);
        changed(updated, content, revision);
        return updated.toZone();
    }

    /**
     * Deletes the zone from now on (with {@code expectedVersion}, only if it is still at that
     * version); its history stays readable.
     */
    @RequiresPermission("zones:write")
    public void delete(UUID id, @Nullable Long expectedVersion) {
        StoredZone current = live(id);
        if (expectedVersion != null && current.version() != expectedVersion) {
            throw stale(current);
        }
        ZoneRepository.Revision revision = repository.bump(current.tenantId(), -1);
        StoredZone deletion = current.deletedAt(after(current));
        if (!repository.markDeleted(deletion)) {
            throw stale(live(id));
        }
        repository.appendVersion(deletion);
        directory.afterCommit(deletion.tenantId(), id, null, revision.revision());
        events.publishEvent(new ZoneChanged(deletion.tenantId(), id, deletion.version(), true));
    }

    /** A page of live zones in creation order, filtered by every tag given, name prefix and area. */
    @Transactional(readOnly = true)
    @RequiresPermission("zones:read")
    public CursorPage<Zone> list(
            List<String> tags,
            @Nullable String namePrefix,
            @Nullable BoundingBox area,
            @Nullable String cursor,
            int limit) {
        UUID after = Cursors.decodeId(cursor);
        List<StoredZone> rows = repository.page(TenantContext.require(), tags, namePrefix, area, after, limit + 1);
        return CursorPage.fromLookahead(rows, limit, z -> z.id().toString()).map(StoredZone::toZone);
    }

    /** A page of the zone's versions, newest first; {@code NotFound} if the zone never existed. */
    @Transactional(readOnly = true)
    @RequiresPermission("zones:read")
    public CursorPage<ZoneVersion> versions(UUID id, @Nullable String cursor, int limit) {
        UUID tenantId = TenantContext.require();
        if (!repository.existed(tenantId, id)) {
            throw new NotFound("zone", id);
        }
        Long before = beforeVersion(cursor);
        List<StoredZone> rows = repository.versions(tenantId, id, before, limit + 1);
        return CursorPage.fromLookahead(rows, limit, z -> Long.toString(z.version()))
                .map(StoredZone::toVersion);
    }

    private void changed(StoredZone zone, ZoneContent content, ZoneRepository.Revision revision) {
        CompiledZone compiled = new CompiledZone(
                zone.id(),
                zone.tenantId(),
                zone.version(),
                zone.name(),
                zone.tags(),
                content.shape(),
                content.schedule(),
                content.settings());
        directory.afterCommit(zone.tenantId(), zone.id(), compiled, revision.revision());
        events.publishEvent(new ZoneChanged(zone.tenantId(), zone.id(), zone.version(), false));
    }

    private StoredZone live(UUID id) {
        return repository.findLive(TenantContext.require(), id).orElseThrow(() -> new NotFound("zone", id));
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }

    /** Now, but never before the current version began, so that validity intervals stay ordered. */
    private Instant after(StoredZone current) {
        Instant now = now();
        return now.isBefore(current.changedAt()) ? current.changedAt() : now;
    }

    private static @Nullable Long beforeVersion(@Nullable String cursor) {
        String position = Cursors.decode(cursor);
        if (position == null) {
            return null;
        }
        try {
            return Long.parseLong(position);
        } catch (NumberFormatException e) {
            throw new InvalidInput("cursor", "is not a cursor returned by this API");
        }
    }

    private static PreconditionFailed stale(StoredZone current) {
        return new PreconditionFailed("zone " + current.id() + " has changed: it is at version " + current.version()
                + " (ETag \"" + current.version() + "\")");
    }
}
