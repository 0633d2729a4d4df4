package io.sextant.access;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.sextant.shared.Ids;
import io.sextant.shared.TenantContext;
import java.time.Clock;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Records refused requests (401, 403) in the audit log, each in a short transaction of its own (the
 * request's own may have rolled back), within bounds: per actor — or per client address when the
 * caller is unknown — and in total, per minute ({@link AuditLogProperties}). What exceeds a bound
 * costs a map lookup and is counted in {@code sextant.audit.denied.dropped}, never written.
 *
 * <p>A request refused before its caller was known (no credentials, a bad token) belongs to no tenant
 * it could be trusted to name; its entry is the platform's own, with no tenant, which no tenant's
 * search returns.
 */
@Component
public class AuditLogDenials {

    private static final Logger log = LoggerFactory.getLogger(AuditLogDenials.class);

    /** Most callers counted apart in one minute; more share one count (and so one bound). */
    static final int MAX_COUNTED_CALLERS = 10_000;

    static final String OVERFLOW = "overflow";

    private final AuditLog auditLog;
    private final AuditLogProperties properties;
    private final TransactionTemplate ownTransaction;
    private final JsonMapper json;
    private final Clock clock;
    private final Counter dropped;

    private final AtomicLong minute = new AtomicLong(Long.MIN_VALUE);
    private final ConcurrentHashMap<String, AtomicInteger> perCaller = new ConcurrentHashMap<>();
    private final AtomicInteger total = new AtomicInteger();
    private final AtomicInteger droppedThisMinute = new AtomicInteger();

    AuditLogDenials(
            AuditLog auditLog,
            AuditLogProperties properties,
            PlatformTransactionManager transactions,
            JsonMapper json,
            Clock clock,
            MeterRegistry meters) {
        this.auditLog = auditLog;
        this.properties = properties;
        this.ownTransaction = new TransactionTemplate(transactions);
        this.ownTransaction.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
        this.json = json;
        this.clock = clock;
        this.dropped = Counter.builder("sextant.audit.denied.dropped")
                .description("Denied requests not recorded in the audit log: over the bound per caller or in total")
                .register(meters);
    }

    /**
     * A refused request.
     *
     * @param tenantId the caller's tenant, null when the caller is unknown
     * @param actor the caller's subject, null when unknown
     * @param clientAddress where the request came from, which counts for an unknown caller
     */
    public record DeniedRequest(
            @Nullable UUID tenantId,
            @Nullable String actor,
            @Nullable String actorName,
            String clientAddress,
            @Nullable String requestId,
            String method,
            String path,
            int status,
            String reason) {}

    /** Records {@code request} unless a bound is reached; never throws. */
    public void record(DeniedRequest request) {
        if (!admit(request.actor() != null ? request.actor() : "address:" + request.clientAddress())) {
            dropped.increment();
            return;
        }
        try {
            AuditLogEntry entry = entry(request);
            UUID tenantId = request.tenantId();
            Supplier<Boolean> write = () -> {
                ownTransaction.executeWithoutResult(status -> auditLog.appendDenied(tenantId, entry));
                return true;
            };
            if (tenantId == null) {
                TenantContext.callAsSystem(write);
            } else {
                TenantContext.callAs(tenantId, write);
            }
        } catch (RuntimeException e) {
            // The refusal has been answered; a failed record must not turn it into an error.
            log.warn("Could not record a denied request in the audit log: {}", e.toString());
        }
    }

    /** Whether one more entry for {@code caller} fits this minute's bounds; counts it if so. */
    boolean admit(String caller) {
        long now = clock.millis() / 60_000;
        long current = minute.get();
        if (now != current && minute.compareAndSet(current, now)) {
            int droppedBefore = droppedThisMinute.getAndSet(0);
            if (droppedBefore > 0) {
                log.warn(
                        "Dropped {} denied-request audit entries in the last minute (over"
                                + " SEXTANT_AUDIT_DENIED_PER_MINUTE or SEXTANT_AUDIT_DENIED_TOTAL_PER_MINUTE)",
                        droppedBefore);
            }
            perCaller.clear();
            total.set(0);
        }
        String key = perCaller.size() >= MAX_COUNTED_CALLERS && !perCaller.containsKey(caller) ? OVERFLOW : caller;
        if (perCaller.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet() > properties.deniedPerMinute()
                || total.incrementAndGet() > properties.deniedTotalPerMinute()) {
            droppedThisMinute.incrementAndGet();
            return false;
        }
        return true;
    }

    private AuditLogEntry entry(DeniedRequest request) {
        ObjectNode detail = json.createObjectNode();
        detail.put("method", request.method());
        detail.put("path", request.path());
        detail.put("status", request.status());
        detail.put("reason", request.reason());
        return new AuditLogEntry(
                Ids.newId(),
                auditLog.now(),
                request.actor() != null ? request.actor() : "anonymous",
                request.actorName(),
                request.status() == 401 ? "request.unauthenticated" : "request.forbidden",
                "request",
                null,
                request.requestId(),
                AuditLogEntry.DENIED,
                null,
                null,
                detail);
    }
}
