package io.sextant.delivery;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Deliveries and their attempts in PostgreSQL; every statement filters by tenant. A delivery read
 * here has no event type yet: the events module tells it ({@link Deliveries}).
 */
@Repository
class DeliveryRepository {

    private static final String COLUMNS = """
            d.id, d.subscription_id, d.event_id, d.status, d.attempts, d.last_status_code,
            d.last_latency_ms, d.last_error, d.replay_of, d.created_at, d.updated_at, d.delivered_at""";
    private static final String FROM = " from delivery d ";

    private final JdbcClient jdbc;

    DeliveryRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    void insert(UUID id, UUID tenantId, UUID subscriptionId, UUID eventId, @Nullable UUID replayOf, Instant now) {
        jdbc.sql("""
                        insert into delivery (id, tenant_id, subscription_id, event_id, status, attempts, replay_of,
                                              created_at, updated_at)
                        values (:id, :tenantId, :subscriptionId, :eventId, 'pending', 0, :replayOf, :now, :now)""")
                .param("id", id)
                .param("tenantId", tenantId)
                .param("subscriptionId", subscriptionId)
                .param("eventId", eventId)
                .param("replayOf", replayOf)
                .param("now", Timestamp.from(now))
                .update();
    }

    Optional<Delivery> find(UUID tenantId, UUID id) {
        return jdbc.sql("select " + COLUMNS + FROM + " where d.tenant_id = :tenantId and d.id = :id")
                .param("tenantId", tenantId)
                .param("id", id)
                .query(DeliveryRepository::map)
                .optional();
    }

    /** A keyset page of one subscription's deliveries, newest first, optionally of one status. */
    List<Delivery> page(
            UUID tenantId, UUID subscriptionId, @Nullable DeliveryStatus status, @Nullable UUID before, int limit) {
        return jdbc.sql("select " + COLUMNS + FROM + """
                         where d.tenant_id = :tenantId and d.subscription_id = :subscriptionId
                           and (cast(:status as text) is null or d.status = :status)
                           and (cast(:before as uuid) is null or d.id < :before)
                         order by d.id desc limit :limit""")
                .param("tenantId", tenantId)
                .param("subscriptionId", subscriptionId)
                .param("status", status == null ? null : status.id())
                .param("before", before)
                .param("limit", limit)
                .query(DeliveryRepository::map)
                .list();
    }

    List<Delivery.Attempt> attempts(UUID tenantId, UUID deliveryId) {
        return jdbc.sql("""
                        select attempt, started_at, status_code, latency_ms, error from delivery_attempt
                         where tenant_id = :tenantId and delivery_id = :deliveryId order by attempt""")
                .param("tenantId", tenantId)
                .param("deliveryId", deliveryId)
                .query((rs, row) -> new Delivery.Attempt(
                        rs.getInt("attempt"),
                        rs.getTimestamp("started_at").toInstant(),
                        rs.getObject("status_code", Integer.class),
                        rs.getLong("latency_ms"),
                        rs.getString("error")))
                .list();
    }

    /**
     * Records one attempt and the delivery's new status, unless the delivery was delivered or skipped
     * meanwhile (a duplicate run). A dead delivery takes attempts again when its job is retried by
     * hand. Returns whether it was recorded.
     */
    boolean recordAttempt(
            UUID tenantId,
            UUID deliveryId,
            Instant startedAt,
            AttemptOutcome outcome,
            DeliveryStatus status,
            Instant now) {
        Optional<Integer> attempt = jdbc.sql("""
                        update delivery
                           set attempts = attempts + 1, status = :status, last_status_code = :statusCode,
                               last_latency_ms = :latencyMs, last_error = :error, updated_at = :now,
                               delivered_at = case when :status = 'delivered' then :now else delivered_at end
                         where tenant_id = :tenantId and id = :id and status in ('pending', 'failed-retrying', 'dead')
                        returning attempts""")
                .param("tenantId", tenantId)
                .param("id", deliveryId)
                .param("status", status.id())
                .param("statusCode", outcome.statusCode())
                .param("latencyMs", (int) Math.min(Integer.MAX_VALUE, outcome.latencyMs()))
                .param("error", outcome.error())
                .param("now", Timestamp.from(now))
                .query(Integer.class)
                .optional();
        if (attempt.isEmpty()) {
            return false;
        }
        jdbc.sql("""
                        insert into delivery_attempt (delivery_id, attempt, tenant_id, started_at, status_code, latency_ms, error)
                        values (:deliveryId, :attempt, :tenantId, :startedAt, :statusCode, :latencyMs, :error)""")
                .param("deliveryId", deliveryId)
                .param("attempt", attempt.get())
                .param("tenantId", tenantId)
                .param("startedAt", Timestamp.from(startedAt))
                .param("statusCode", outcome.statusCode())
                .param("latencyMs", outcome.latencyMs())
                .param("error", outcome.error())
                .update();
        return true;
    }

    /**
     * Marks a delivery that has not reached a final status as {@code status}, with the reason (a dead
     * one keeps its last attempt's error if it has one); false if it had reached one.
     */
    boolean finish(UUID tenantId, UUID deliveryId, DeliveryStatus status, String reason, Instant now) {
        return jdbc.sql("""
                        update delivery set status = :status, updated_at = :now,
                               last_error = case when :status = 'dead' then coalesce(last_error, :reason)
                                                 else :reason end
                         where tenant_id = :tenantId and id = :id and status in ('pending', 'failed-retrying')""")
                        .param("tenantId", tenantId)
                        .param("id", deliveryId)
                        .param("status", status.id())
                        .param("reason", reason)
                        .param("now", Timestamp.from(now))
                        .update()
                == 1;
    }

    /**
     * Every subscription of every tenant with its unfinished deliveries ({@code pending} or {@code
     * failed-retrying}): how many, and when the oldest was queued. Call it as the owner (outside any
     * tenant scope): row-level security would hide other tenants' rows.
     */
    List<DeliveryBacklog.Backlog> backlogs() {
        return jdbc.sql("""
                        select s.tenant_id, s.id, count(d.subscription_id), min(d.created_at)
                          from subscription s
                          left join delivery d on d.subscription_id = s.id and d.status in ('pending', 'failed-retrying')
                         group by s.tenant_id, s.id""")
                .query((rs, row) -> {
                    Timestamp oldest = rs.getTimestamp(4);
                    return new DeliveryBacklog.Backlog(
                            rs.getObject(1, UUID.class),
                            rs.getObject(2, UUID.class),
                            rs.getLong(3),
                            oldest == null ? null : oldest.toInstant());
                })
                .list();
    }

    private static Delivery map(ResultSet rs, int row) throws SQLException {
        Timestamp deliveredAt = rs.getTimestamp("delivered_at");
        String replayOf = rs.getString("replay_of");
        return new Delivery(
                rs.getObject("id", UUID.class),
                rs.getObject("subscription_id", UUID.class),
                rs.getObject("event_id", UUID.class),
                null,
                DeliveryStatus.fromId(rs.getString("status")).orElseThrow(),
                rs.getInt("attempts"),
                rs.getObject("last_status_code", Integer.class),
                rs.getObject("last_latency_ms", Integer.class),
                rs.getString("last_error"),
                replayOf == null ? null : UUID.fromString(replayOf),
                rs.getTimestamp("created_at").toInstant(),
                rs.getTimestamp("updated_at").toInstant(),
                deliveredAt == null ? null : deliveredAt.toInstant(),
                null);
    }
}
