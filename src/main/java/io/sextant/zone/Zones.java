package io.sextant.zone;

import io.sextant.shared.ExpectedVersions;
import io.sextant.shared.Ids;
import io.sextant.shared.TenantContext;
import io.sextant.shared.access.AccessPolicies;
import io.sextant.shared.access.RequiresPermission;
import io.sextant.shared.access.Scope;
import io.sextant.shared.access.SqlPredicate;
import io.sextant.shared.access.Visibility;
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
 *
 * <p>Reads and changes are narrowed to the zones the caller's grants reach (issue 10): a zone (and
 * each version of it) is reached when its tags meet the zone tags of some grant holding the
 * permission, or of a grant that names none. A zone out of reach answers 404 like a missing one;
 * lists are filtered in SQL on the tags, so their pages are complete. Each version of a zone is
 * judged by the tags it had: a version out of reach is neither listed nor read as of its time.
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
        Instant now = now();
        StoredZone zone = StoredZone.of(Ids.newId(), tenantId, 1, content, now, now);
        repository.insert(zone);
        repository.appendVersion(zone);
        // Last, just before the commit: the tenant's revision row is locked from here to the commit,
        // so concurrent changes of the tenant's zones wait for each other only that long.
        ZoneRepository.Revision revision = repository.bump(tenantId, 1);
        if (revision.liveZones() > maxPerTenant) {
            throw new Conflict(
                    "zone-limit-reached",
                    "Zone limit reached",
                    "the tenant has " + maxPerTenant + " zones, its limit; delete one first");
        }
        changed(zone, content, revision);
        return zone.toZone();
    }

    @Transactional(readOnly = true)
    @RequiresPermission("zones:read")
    public Zone get(UUID id) {
        return live(id, visibility("zones:read")).toZone();
    }

    /** The version of the zone that was valid at {@code at}; {@code NotFound} if the zone did not exist then. */
    @Transactional(readOnly = true)
    @RequiresPermission("zones:read")
    public ZoneVersion getAsOf(UUID id, Instant at) {
        Visibility visibility = visibility("zones:read");
        return repository
                .versionAt(TenantContext.require(), id, at)
                .filter(version -> !version.deleted())
                .filter(version -> visibility.reachesZone(version.tags()))
                .orElseThrow(() -> new NotFound("zone " + id + " did not exist at " + at))
                .toVersion();
    }

    /** Replaces the zone's content if it is at one of {@code expected}: {@code PreconditionFailed} otherwise. */
    @RequiresPermission("zones:write")
    public Zone replace(UUID id, ExpectedVersions expected, ZoneDraft draft) {
        ZoneContent content = ZoneRules.check(draft, limits);
        Visibility visibility = visibility("zones:write");
        StoredZone current = live(id, visibility);
        if (!expected.admits(current.version())) {
            throw stale(current);
        }
        StoredZone updated = StoredZone.of(
                id, current.tenantId(), current.version() + 1, content, current.createdAt(), after(current));
        if (!repository.update(updated, current.version())) {
            throw stale(live(id, visibility));
        }
        repository.appendVersion(updated);
        ZoneRepository.Revision revision = repository.bump(current.tenantId(), 0);
        changed(updated, content, revision);
        return updated.toZone();
    }

    /**
     * Deletes the zone from now on (with {@code expected}, only if it is at one of those versions);
     * its history stays readable.
     */
    @RequiresPermission("zones:write")
    public void delete(UUID id, @Nullable ExpectedVersions expected) {
        Visibility visibility = visibility("zones:write");
        StoredZone current = live(id, visibility);
        if (expected != null && !expected.admits(current.version())) {
            throw stale(current);
        }
        StoredZone deletion = current.deletedAt(after(current));
        if (!repository.markDeleted(deletion)) {
            throw stale(live(id, visibility));
        }
        repository.appendVersion(deletion);
        ZoneRepository.Revision revision = repository.bump(current.tenantId(), -1);
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
        SqlPredicate reach = zoneSql(visibility("zones:read"));
        List<StoredZone> rows =
                repository.page(TenantContext.require(), tags, namePrefix, area, reach, after, limit + 1);
        return CursorPage.fromLookahead(rows, limit, z -> z.id().toString()).map(StoredZone::toZone);
    }

    /** A page of the zone's versions, newest first; {@code NotFound} if the zone never existed. */
    @Transactional(readOnly = true)
    @RequiresPermission("zones:read")
    public CursorPage<ZoneVersion> versions(UUID id, @Nullable String cursor, int limit) {
        UUID tenantId = TenantContext.require();
        SqlPredicate reach = zoneSql(visibility("zones:read"));
        boolean existed = reach.sql().equals("true")
                ? repository.existed(tenantId, id)
                : repository.hasVersionWhere(tenantId, id, reach);
        if (!existed) {
            throw new NotFound("zone", id);
        }
        Long before = beforeVersion(cursor);
        List<StoredZone> rows = repository.versions(tenantId, id, reach, before, limit + 1);
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

    /** The zone if it exists now and {@code visibility} reaches it; 404 otherwise. */
    private StoredZone live(UUID id, Visibility visibility) {
        return repository
                .findLive(TenantContext.require(), id)
                .filter(zone -> visibility.reachesZone(zone.tags()))
                .orElseThrow(() -> new NotFound("zone", id));
    }

    /** What {@code permission} reaches for the caller now. */
    private Visibility visibility(String permission) {
        return AccessPolicies.current().visibility(permission, clock.instant());
    }

    /**
     * The zones (or versions) {@code visibility} reaches, as SQL over the {@code tags} column of
     * {@code zone} or {@code zone_version}: agreeing with {@link Visibility#reachesZone}. A scope
     * without zone tags reaches every zone; otherwise a zone must carry one of the tags of some
     * scope, that is one of their union.
     */
    static SqlPredicate zoneSql(Visibility visibility) {
        if (visibility instanceof Visibility.Scoped scoped) {
            java.util.TreeSet<String> tags = new java.util.TreeSet<>();
            for (Scope scope : scoped.scopes()) {
                if (scope.zoneTags().isEmpty()) {
                    return SqlPredicate.TRUE;
                }
                tags.addAll(scope.zoneTags());
            }
            return new SqlPredicate(
                    "tags && cast(:reachedZoneTags as text[])",
                    java.util.Map.of("reachedZoneTags", tags.toArray(String[]::new)));
        }
        return visibility instanceof Visibility.All ? SqlPredicate.TRUE : SqlPredicate.FALSE;
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
