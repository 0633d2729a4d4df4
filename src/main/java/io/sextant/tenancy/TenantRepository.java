package io.sextant.tenancy;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Transactional;

@Repository
@Transactional
class TenantRepository {

    private static final String COLUMNS =
            "id, slug, name, extract(epoch from position_retention)::bigint as retention_seconds, auto_register_assets,"
                    + " created_at";

    private final JdbcClient jdbc;

    TenantRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    void insert(Tenant tenant) {
        jdbc.sql("""
                insert into tenant (id, slug, name, position_retention, created_at)
                values (:id, :slug, :name, cast(:retention as interval), :createdAt)""")
                .param("id", tenant.id())
                .param("retention", tenant.positionRetention().toSeconds() + " seconds")
                .param("slug", tenant.slug())
                .param("name", tenant.name())
                .param("createdAt", java.sql.Timestamp.from(tenant.createdAt()))
                .update();
    }

    Optional<Tenant> findById(UUID id) {
        return jdbc.sql("select " + COLUMNS + " from tenant where id = :id")
                .param("id", id)
                .query(TenantRepository::map)
                .optional();
    }

    Optional<Tenant> findBySlug(String slug) {
        return jdbc.sql("select " + COLUMNS + " from tenant where slug = :slug")
                .param("slug", slug)
                .query(TenantRepository::map)
                .optional();
    }

    boolean existsBySlug(String slug) {
        return jdbc.sql("select exists (select from tenant where slug = :slug)")
                .param("slug", slug)
                .query(Boolean.class)
                .single();
    }

    boolean updateSettings(UUID id, Tenant.Settings settings) {
        return jdbc.sql("""
                        update tenant set position_retention = cast(:retention as interval),
                               auto_register_assets = :autoRegister
                        where id = :id""")
                        .param("id", id)
                        .param("retention", settings.positionRetention().toSeconds() + " seconds")
                        .param("autoRegister", settings.autoRegisterAssets())
                        .update()
                == 1;
    }

    /** Every tenant's position retention. */
    Map<UUID, java.time.Duration> positionRetentions() {
        Map<UUID, java.time.Duration> result = new LinkedHashMap<>();
        jdbc.sql("select id, extract(epoch from position_retention)::bigint from tenant")
                .query((rs, row) ->
                        result.put(rs.getObject(1, UUID.class), java.time.Duration.ofSeconds(rs.getLong(2))))
                .list();
        return result;
    }

    long count() {
        return jdbc.sql("select count(*) from tenant").query(Long.class).single();
    }

    List<Tenant> page(@Nullable UUID after, int limit) {
        return jdbc.sql("select " + COLUMNS + " from tenant where (cast(:after as uuid) is null or id > :after)"
                        + " order by id limit :limit")
                .param("after", after)
                .param("limit", limit)
                .query(TenantRepository::map)
                .list();
    }

    private static Tenant map(ResultSet rs, int row) throws SQLException {
        return new Tenant(
                rs.getObject("id", UUID.class),
                rs.getString("slug"),
                rs.getString("name"),
                java.time.Duration.ofSeconds(rs.getLong("retention_seconds")),
                rs.getBoolean("auto_register_assets"),
                rs.getTimestamp("created_at").toInstant());
    }
}
