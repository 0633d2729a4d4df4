package io.sextant.delivery;

import io.sextant.secrets.SecretCipher;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import tools.jackson.databind.json.JsonMapper;

/**
 * Subscriptions in PostgreSQL. Every statement filters by tenant (row-level security backs that
 * up); updates and deletes are conditional on the version the caller saw. Each change takes a new
 * revision, which is what the dispatcher's cache compares. Webhook signing secrets are stored sealed
 * by {@link SecretCipher}, bound to their subscription.
 */
@Repository
class SubscriptionRepository {

    private static final String COLUMNS = """
            id, tenant_id, name, filter::text as filter, enabled, channel::text as channel, owner_subject,
            owner_groups, owner_permissions, consecutive_dead, disabled_reason, version, created_at, updated_at,
            ordering""";

    private final JdbcClient jdbc;
    private final JsonMapper json;
    private final SecretCipher cipher;

    SubscriptionRepository(JdbcClient jdbc, JsonMapper json, SecretCipher cipher) {
        this.jdbc = jdbc;
        this.json = json;
        this.cipher = cipher;
    }

    /** Serialises creations per tenant, so the per-tenant limit holds under concurrent requests. */
    void lockTenant(UUID tenantId) {
        jdbc.sql("select pg_advisory_xact_lock(hashtextextended('subscriptions:' || cast(:tenantId as text), 0))")
                .param("tenantId", tenantId)
                .query((rs, row) -> 1)
                .list();
    }

    int count(UUID tenantId) {
        return jdbc.sql("select count(*) from subscription where tenant_id = :tenantId")
                .param("tenantId", tenantId)
                .query(Integer.class)
                .single();
    }

    void insert(Subscription subscription, @Nullable String secret) {
        jdbc.sql("""
                        insert into subscription (id, tenant_id, name, filter, enabled, channel, secret, owner_subject,
                                                  owner_groups, owner_permissions, consecutive_dead, disabled_reason,
                                                  version, created_at, updated_at, ordering)
                        values (:id, :tenantId, :name, cast(:filter as jsonb), :enabled, cast(:channel as jsonb),
                                :secret, :ownerSubject, :ownerGroups, :ownerPermissions, 0, null, :version, :createdAt,
                                :updatedAt, :ordering)""")
                .param("id", subscription.id())
                .param("tenantId", subscription.tenantId())
                .param("name", subscription.name())
                .param("filter", json.writeValueAsString(subscription.filter()))
                .param("enabled", subscription.enabled())
                .param("channel", json.writeValueAsString(subscription.channel().toJson()))
                .param("secret", secret == null ? null : cipher.seal(secret, context(subscription.id())))
                .param("ownerSubject", subscription.owner().subject())
                .param("ownerGroups", groups(subscription))
                .param("ownerPermissions", permissions(subscription))
                .param("version", subscription.version())
                .param("createdAt", Timestamp.from(subscription.createdAt()))
                .param("updatedAt", Timestamp.from(subscription.updatedAt()))
                .param("ordering", subscription.ordering().id())
                .update();
    }

    Optional<Subscription> find(UUID tenantId, UUID id) {
        return jdbc.sql("select " + COLUMNS + " from subscription where tenant_id = :tenantId and id = :id")
                .param("tenantId", tenantId)
                .param("id", id)
                .query(this::map)
                .optional();
    }

    /** A keyset page in id (creation) order. */
    List<Subscription> page(UUID tenantId, @Nullable UUID after, int limit) {
        return jdbc.sql("select " + COLUMNS + " from subscription where tenant_id = :tenantId"
                        + " and (cast(:after as uuid) is null or id > :after) order by id limit :limit")
                .param("tenantId", tenantId)
                .param("after", after)
                .param("limit", limit)
                .query(this::map)
                .list();
    }

    /** The enabled subscriptions of a tenant, in creation order. */
    List<Subscription> enabledOf(UUID tenantId) {
        return jdbc.sql("select " + COLUMNS + " from subscription where tenant_id = :tenantId and enabled order by id")
                .param("tenantId", tenantId)
                .query(this::map)
                .list();
    }

    /**
     * Replaces the configurable fields and the owner if the stored version is {@code
     * expectedVersion}. Enabling clears the dead-letter count and the reason it was disabled.
     */
    boolean update(Subscription subscription, long expectedVersion) {
        return jdbc.sql("""
                        update subscription
                           set name = :name, filter = cast(:filter as jsonb), enabled = :enabled,
                               channel = cast(:channel as jsonb), ordering = :ordering, owner_subject = :ownerSubject,
                               owner_groups = :ownerGroups, owner_permissions = :ownerPermissions,
                               consecutive_dead = case when :enabled and not enabled then 0 else consecutive_dead end,
                               disabled_reason = case when :enabled then null else disabled_reason end,
                               version = :version, revision = nextval('subscription_revision'),
                               updated_at = :updatedAt
                         where tenant_id = :tenantId and id = :id and version = :expectedVersion""")
                        .param("tenantId", subscription.tenantId())
                        .param("id", subscription.id())
                        .param("name", subscription.name())
                        .param("filter", json.writeValueAsString(subscription.filter()))
                        .param("enabled", subscription.enabled())
                        .param(
                                "channel",
                                json.writeValueAsString(subscription.channel().toJson()))
                        .param("ordering", subscription.ordering().id())
                        .param("ownerSubject", subscription.owner().subject())
                        .param("ownerGroups", groups(subscription))
                        .param("ownerPermissions", permissions(subscription))
                        .param("version", subscription.version())
                        .param("updatedAt", Timestamp.from(subscription.updatedAt()))
                        .param("expectedVersion", expectedVersion)
                        .update()
                == 1;
    }

    boolean delete(UUID tenantId, UUID id, @Nullable Long expectedVersion) {
        return jdbc.sql("delete from subscription where tenant_id = :tenantId and id = :id"
                                + " and (cast(:expectedVersion as bigint) is null or version = :expectedVersion)")
                        .param("tenantId", tenantId)
                        .param("id", id)
                        .param("expectedVersion", expectedVersion)
                        .update()
                == 1;
    }

    Optional<String> secret(UUID tenantId, UUID id) {
        return jdbc.sql(
                        "select secret from subscription where tenant_id = :tenantId and id = :id and secret is not null")
                .param("tenantId", tenantId)
                .param("id", id)
                .query(String.class)
                .optional()
                .map(stored -> cipher.open(stored, context(id)));
    }

    /**
     * Seals every webhook secret stored in plain text (before encryption at rest) or under a key
     * that is no longer the primary one; returns how many. Runs outside any tenant scope, and each
     * update is conditional on the value read, so nodes starting at once do not undo each other.
     */
    int reseal() {
        record Row(UUID id, String secret) {}
        List<Row> rows = jdbc.sql("select id, secret from subscription where secret is not null")
                .query((rs, row) -> new Row(rs.getObject("id", UUID.class), rs.getString("secret")))
                .list();
        int resealed = 0;
        for (Row row : rows) {
            if (!cipher.needsResealing(row.secret())) {
                continue;
            }
            String plain =
                    SecretCipher.isSealed(row.secret()) ? cipher.open(row.secret(), context(row.id())) : row.secret();
            resealed += jdbc.sql("update subscription set secret = :stored where id = :id and secret = :read")
                    .param("stored", cipher.seal(plain, context(row.id())))
                    .param("id", row.id())
                    .param("read", row.secret())
                    .update();
        }
        return resealed;
    }

    private static String context(UUID subscriptionId) {
        return "subscription/" + subscriptionId;
    }

    boolean replaceSecret(UUID tenantId, UUID id, String secret, Instant now) {
        return jdbc.sql("""
                        update subscription set secret = :secret, updated_at = :now
                         where tenant_id = :tenantId and id = :id and channel ->> 'type' = 'webhook'""")
                        .param("tenantId", tenantId)
                        .param("id", id)
                        .param("secret", cipher.seal(secret, context(id)))
                        .param("now", Timestamp.from(now))
                        .update()
                == 1;
    }

    /**
     * For each of {@code tenantIds}: how many subscriptions it has and the newest revision among
     * them. Any create, change or delete changes one of the two.
     */
    Map<UUID, CacheStamp> stamps(Collection<UUID> tenantIds) {
        Map<UUID, CacheStamp> stamps = new HashMap<>();
        jdbc.sql("""
                        select tenant_id, count(*), max(revision) from subscription
                         where tenant_id = any(:tenantIds) group by tenant_id""")
                .param("tenantIds", new HashSet<>(tenantIds).toArray(UUID[]::new))
                .query(rs -> {
                    stamps.put(rs.getObject(1, UUID.class), new CacheStamp(rs.getLong(2), rs.getLong(3)));
                });
        return stamps;
    }

    /** Counts one more dead-lettered delivery in a row; the subscription as it is then, if it exists. */
    Optional<DeadLetterCount> countDeadLetter(UUID tenantId, UUID id) {
        return jdbc.sql("""
                        update subscription set consecutive_dead = consecutive_dead + 1
                         where tenant_id = :tenantId and id = :id
                        returning consecutive_dead, enabled, name""")
                .param("tenantId", tenantId)
                .param("id", id)
                .query((rs, row) -> new DeadLetterCount(rs.getInt(1), rs.getBoolean(2), rs.getString(3)))
                .optional();
    }

    void resetDeadLetters(UUID tenantId, UUID id) {
        jdbc.sql("update subscription set consecutive_dead = 0"
                        + " where tenant_id = :tenantId and id = :id and consecutive_dead <> 0")
                .param("tenantId", tenantId)
                .param("id", id)
                .update();
    }

    /** Disables an enabled subscription; false if it was not enabled. */
    boolean disable(UUID tenantId, UUID id, String reason, Instant now) {
        return jdbc.sql("""
                        update subscription
                           set enabled = false, disabled_reason = :reason, version = version + 1,
                               revision = nextval('subscription_revision'), updated_at = :now
                         where tenant_id = :tenantId and id = :id and enabled""")
                        .param("tenantId", tenantId)
                        .param("id", id)
                        .param("reason", reason)
                        .param("now", Timestamp.from(now))
                        .update()
                == 1;
    }

    private static String[] groups(Subscription subscription) {
        return subscription.owner().groups().stream().sorted().toArray(String[]::new);
    }

    private static String[] permissions(Subscription subscription) {
        return subscription.owner().permissions().stream().sorted().toArray(String[]::new);
    }

    private static Set<String> strings(ResultSet rs, String column) throws SQLException {
        return new HashSet<>(Arrays.asList((String[]) rs.getArray(column).getArray()));
    }

    private Subscription map(ResultSet rs, int row) throws SQLException {
        return new Subscription(
                rs.getObject("id", UUID.class),
                rs.getObject("tenant_id", UUID.class),
                rs.getString("name"),
                json.readValue(rs.getString("filter"), SubscriptionFilter.class),
                rs.getBoolean("enabled"),
                ChannelSpec.parse(json.readTree(rs.getString("channel"))),
                SubscriptionOrdering.fromId(rs.getString("ordering")).orElseThrow(),
                new Subscription.Owner(
                        rs.getString("owner_subject"), strings(rs, "owner_groups"), strings(rs, "owner_permissions")),
                rs.getInt("consecutive_dead"),
                rs.getString("disabled_reason"),
                rs.getLong("version"),
                rs.getTimestamp("created_at").toInstant(),
                rs.getTimestamp("updated_at").toInstant());
    }

    /** What identifies the state of a tenant's subscriptions, for the dispatcher's cache. */
    record CacheStamp(long count, long maxRevision) {}

    /** A subscription's dead-letter streak after one more. */
    record DeadLetterCount(int consecutive, boolean enabled, String name) {}
}
