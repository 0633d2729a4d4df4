package io.sextant.tenancy;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.sextant.shared.Ids;
import io.sextant.shared.TenantContext;
import io.sextant.shared.access.RequiresPermission;
import io.sextant.shared.audit.AuditTrail;
import io.sextant.shared.problem.Conflict;
import io.sextant.shared.problem.InvalidInput;
import io.sextant.shared.problem.NotFound;
import io.sextant.shared.web.CursorPage;
import io.sextant.shared.web.Cursors;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Creates and looks up tenants. Tenants are the platform's, not any one tenant's, so these
 * operations run outside a tenant scope. Managing tenants requires {@code tenants:manage}; a tenant's
 * settings may be managed with {@code tenant-settings:manage} too. The lookups other modules make
 * inside their own work ({@link #find}, {@link #findBySlug}, {@link #positionRetentions}, {@link
 * #any}) require nothing of their own.
 */
@Service
public class Tenants {

    /** Position history kept for a new tenant. */
    public static final java.time.Duration DEFAULT_RETENTION = java.time.Duration.ofDays(90);

    private static final Pattern SLUG = Pattern.compile("^[a-z0-9][a-z0-9-]{1,62}$");

    private final TenantRepository repository;
    private final TransactionTemplate transactions;
    private final ApplicationEventPublisher events;
    private final AuditTrail audit;
    // Hot paths (every ingest request) read their tenant's settings: a short-lived cache spares the
    // database, and bounds how long another node's settings change takes to show here.
    private final Cache<UUID, Optional<Tenant>> byId = Caffeine.newBuilder()
            .expireAfterWrite(Duration.ofSeconds(10))
            .maximumSize(100_000)
            .build();

    Tenants(
            TenantRepository repository,
            TransactionTemplate transactions,
            ApplicationEventPublisher events,
            AuditTrail audit) {
        this.repository = repository;
        this.transactions = transactions;
        this.events = events;
        this.audit = audit;
    }

    @RequiresPermission("tenants:manage")
    public Tenant create(String slug, String name) {
        if (!SLUG.matcher(slug).matches()) {
            throw new InvalidInput(
                    "slug", "must be 2-63 lowercase letters, digits or '-', starting with a letter or digit");
        }
        if (name.isBlank() || name.length() > 200) {
            throw new InvalidInput("name", "must be 1-200 characters");
        }
        return TenantContext.callAsSystem(() -> transactions.execute(status -> {
            if (repository.existsBySlug(slug)) {
                throw new Conflict("a tenant with slug '" + slug + "' already exists");
            }
            Tenant tenant = new Tenant(
                    Ids.newId(),
                    slug,
                    name,
                    DEFAULT_RETENTION,
                    false,
                    Instant.now().truncatedTo(ChronoUnit.MICROS));
            repository.insert(tenant);
            events.publishEvent(new TenantCreated(tenant.id(), tenant.slug()));
            return tenant;
        }));
    }

    /** Changes a tenant's settings; retention between 1 and 3650 days. */
    @RequiresPermission({"tenant-settings:manage", "tenants:manage"})
    public Tenant updateSettings(UUID id, Tenant.Settings settings) {
        java.time.Duration retention = settings.positionRetention();
        if (retention.compareTo(java.time.Duration.ofDays(1)) < 0
                || retention.compareTo(java.time.Duration.ofDays(3650)) > 0) {
            throw new InvalidInput("positionRetention", "must be between P1D and P3650D (was " + retention + ")");
        }
        return TenantContext.callAsSystem(() -> transactions.execute(status -> {
            Tenant before = repository.findById(id).orElseThrow(() -> new NotFound("tenant", id));
            if (!repository.updateSettings(id, settings)) {
                throw new NotFound("tenant", id);
            }
            byId.invalidate(id);
            Tenant after = repository.findById(id).orElseThrow();
            if (!after.settings().equals(before.settings())) {
                // The entry is the tenant's own, written in this (platform) transaction.
                TenantContext.callAs(id, () -> {
                    audit.recordChange(
                            "tenant-settings.updated",
                            "tenant-settings",
                            id.toString(),
                            before.settings(),
                            after.settings());
                    return after;
                });
            }
            return after;
        }));
    }

    /** A tenant, for the tenants API: {@code NotFound} if there is none. */
    @RequiresPermission("tenants:manage")
    public Tenant get(UUID id) {
        return find(id).orElseThrow(() -> new NotFound("tenant", id));
    }

    /** A tenant's settings, for the settings API: {@code NotFound} if there is no such tenant. */
    @RequiresPermission({"tenant-settings:manage", "tenants:manage"})
    public Tenant.Settings settingsOf(UUID id) {
        return find(id).orElseThrow(() -> new NotFound("tenant", id)).settings();
    }

    public Optional<Tenant> find(UUID id) {
        return byId.get(id, key -> TenantContext.callAsSystem(() -> repository.findById(key)));
    }

    public Optional<Tenant> findBySlug(String slug) {
        return TenantContext.callAsSystem(() -> repository.findBySlug(slug));
    }

    /** How long each tenant keeps its position history, for whoever maintains that history. */
    public Map<UUID, Duration> positionRetentions() {
        return TenantContext.callAsSystem(repository::positionRetentions);
    }

    public boolean any() {
        return TenantContext.callAsSystem(() -> repository.count() > 0);
    }

    @RequiresPermission("tenants:manage")
    public CursorPage<Tenant> list(@Nullable String cursor, int limit) {
        UUID afterId = Cursors.decodeId(cursor);
        return TenantContext.callAsSystem(
                () -> CursorPage.fromLookahead(repository.page(afterId, limit + 1), limit, t -> t.id().toString()));
    }
}
