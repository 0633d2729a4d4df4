package io.sextant.geofencing;

import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.LoadingCache;
import io.sextant.shared.TenantContext;
import io.sextant.shared.access.RequiresPermission;
import io.sextant.shared.problem.InvalidInput;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import tools.jackson.databind.json.JsonMapper;

/**
 * Each tenant's {@link AssetRules}: validated on change, stored as one JSON document, and cached for
 * the ingest path (a change made on another node is seen within the cache's five seconds).
 */
@Service
public class AssetRuleBook {

    static final int MAX_PROXIMITY_RULES = 20;
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,63}");

    private final AssetRulesRepository repository;
    private final JsonMapper json = JsonMapper.builder().build();
    private final LoadingCache<UUID, AssetRules> cache;

    AssetRuleBook(AssetRulesRepository repository) {
        this.repository = repository;
        this.cache = Caffeine.newBuilder()
                .expireAfterWrite(Duration.ofSeconds(5))
                .build(tenantId -> TenantContext.callAsSystem(() -> load(tenantId)));
    }

    /** The rules of a tenant, from the cache (any thread, no tenant context needed). */
    AssetRules rulesOf(UUID tenantId) {
        return cache.get(tenantId);
    }

    /** The current tenant's rules. */
    @Transactional(readOnly = true)
    @RequiresPermission("zones:read")
    public AssetRules current() {
        return load(TenantContext.require());
    }

    /** Replaces the current tenant's rules after validating them ({@code InvalidInput} naming the field if not). */
    @Transactional
    @RequiresPermission("zones:write")
    public AssetRules replace(AssetRules rules) {
        validate(rules);
        UUID tenantId = TenantContext.require();
        repository.save(tenantId, json.writeValueAsString(rules));
        TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
            @Override
            public void afterCommit() {
                cache.invalidate(tenantId);
            }
        });
        return rules;
    }

    /** The tenants with a {@code staleAfter} rule, and that duration (every tenant's; no tenant context needed). */
    Map<UUID, Duration> staleRules() {
        return TenantContext.callAsSystem(repository::staleAfterByTenant);
    }

    private AssetRules load(UUID tenantId) {
        return repository
                .find(tenantId)
                .map(text -> json.readValue(text, AssetRules.class))
                .orElse(AssetRules.NONE);
    }

    static void validate(AssetRules rules) {
        Duration stale = rules.staleAfter();
        if (stale != null && (stale.compareTo(Duration.ofMinutes(1)) < 0 || stale.compareTo(Duration.ofDays(30)) > 0)) {
            throw new InvalidInput("staleAfter", "must be between PT1M and P30D (was " + stale + ")");
        }
        for (Map.Entry<String, Double> limit : rules.speedLimitsKmh().entrySet()) {
            if (!NAME.matcher(limit.getKey()).matches()) {
                throw new InvalidInput("speedLimitsKmh", "'" + limit.getKey() + "' is not an asset type");
            }
            if (limit.getValue() == null || !(limit.getValue() >= 1 && limit.getValue() <= 2000)) {
                throw new InvalidInput(
                        "speedLimitsKmh." + limit.getKey(),
                        "must be between 1 and 2000 km/h (was " + limit.getValue() + ")");
            }
        }
        if (!(rules.speedToleranceKmh() >= 0 && rules.speedToleranceKmh() <= 100)) {
            throw new InvalidInput(
                    "speedToleranceKmh", "must be between 0 and 100 (was " + rules.speedToleranceKmh() + ")");
        }
        if (rules.speedMinDuration().isNegative() || rules.speedMinDuration().compareTo(Duration.ofMinutes(10)) > 0) {
            throw new InvalidInput(
                    "speedMinDuration", "must be between PT0S and PT10M (was " + rules.speedMinDuration() + ")");
        }
        List<AssetRules.Proximity> proximity = rules.proximity();
        if (proximity.size() > MAX_PROXIMITY_RULES) {
            throw new InvalidInput(
                    "proximity", "at most " + MAX_PROXIMITY_RULES + " rules (was " + proximity.size() + ")");
        }
        Set<String> names = new HashSet<>();
        for (int i = 0; i < proximity.size(); i++) {
            AssetRules.Proximity rule = proximity.get(i);
            String field = "proximity[" + i + "]";
            if (rule.name() == null || !NAME.matcher(rule.name()).matches()) {
                throw new InvalidInput(field + ".name", "must be 1-64 lower-case letters, digits or '-'");
            }
            if (!names.add(rule.name())) {
                throw new InvalidInput(field + ".name", "'" + rule.name() + "' is used twice");
            }
            if (!(rule.distanceMeters() >= 1 && rule.distanceMeters() <= 10_000)) {
                throw new InvalidInput(
                        field + ".distanceMeters", "must be between 1 and 10000 (was " + rule.distanceMeters() + ")");
            }
            if (!(rule.marginMeters() >= 0 && rule.marginMeters() <= 1_000)) {
                throw new InvalidInput(
                        field + ".marginMeters", "must be between 0 and 1000 (was " + rule.marginMeters() + ")");
            }
            if (rule.first() == null || rule.second() == null) {
                throw new InvalidInput(field, "needs both 'first' and 'second' asset selectors ({} selects any asset)");
            }
        }
    }
}
