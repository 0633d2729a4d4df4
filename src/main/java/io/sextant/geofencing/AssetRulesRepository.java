package io.sextant.geofencing;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Each tenant's asset rules as one JSON document in {@code asset_rules}. */
@Repository
class AssetRulesRepository {

    private final JdbcClient jdbc;

    AssetRulesRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** The tenant's rules document, if it has one. */
    Optional<String> find(UUID tenantId) {
        return jdbc.sql("select rules::text from asset_rules where tenant_id = :tenantId")
                .param("tenantId", tenantId)
                .query(String.class)
                .optional();
    }

    /** Stores the tenant's rules document, counting a new version. */
    void save(UUID tenantId, String rules) {
        jdbc.sql("""
                        insert into asset_rules (tenant_id, rules) values (:tenantId, cast(:rules as jsonb))
                        on conflict (tenant_id) do update
                           set rules = excluded.rules, version = asset_rules.version + 1, updated_at = now()""").param("tenantId", tenantId).param("rules", rules).update();
    }

    /** The {@code staleAfter} of every tenant that has one (all the tenants the transaction sees). */
    Map<UUID, Duration> staleAfterByTenant() {
        Map<UUID, Duration> rules = new HashMap<>();
        jdbc.sql("""
                        select tenant_id, extract(epoch from cast(rules->>'staleAfter' as interval))::bigint
                        from asset_rules where rules->>'staleAfter' is not null""")
                .query((rs, row) -> rules.put(rs.getObject(1, UUID.class), Duration.ofSeconds(rs.getLong(2))))
                .list();
        return rules;
    }
}
