package io.sextant.access;

import io.sextant.identity.SextantPrincipal;
import io.sextant.shared.Ids;
import io.sextant.shared.TenantContext;
import io.sextant.shared.TenantPrincipal;
import io.sextant.shared.access.RequiresPermission;
import io.sextant.shared.audit.AuditTrail;
import io.sextant.shared.web.CursorPage;
import io.sextant.shared.web.Cursors;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.slf4j.MDC;
import org.springframework.stereotype.Service;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.databind.node.StringNode;

/**
 * The audit log: records administrative changes in the transaction that makes them (the {@link
 * AuditTrail} other modules call) and answers searches of the current tenant's entries. Denied
 * requests come in through {@link AuditLogDenials}.
 *
 * <p>Before and after are the resource's API representation with every secret taken out, whatever
 * the caller passed: members named like a credential are removed and values shaped like an API key
 * token or a webhook secret are replaced, so a mistake upstream cannot put a secret in the log.
 */
@Service
public class AuditLog implements AuditTrail {

    /** The MDC key the request-id filter puts each request's {@code X-Request-Id} under. */
    static final String REQUEST_ID_MDC_KEY = "requestId";

    static final String SYSTEM_ACTOR = "system";
    static final String REDACTED = "[redacted]";

    private static final Set<String> SECRET_MEMBERS = Set.of(
            "token",
            "accesstoken",
            "refreshtoken",
            "secret",
            "clientsecret",
            "secrethash",
            "password",
            "passwordhash",
            "privatekey",
            "signingsecret");
    private static final Pattern SECRET_VALUE =
            Pattern.compile("(?s).*(sxk_[A-Za-z0-9]{12}_[A-Za-z0-9]{32}|whsec_[A-Za-z0-9+/=]{16,}).*");

    private final AuditLogRepository repository;
    private final JsonMapper json;
    private final Clock clock;

    AuditLog(AuditLogRepository repository, JsonMapper json, Clock clock) {
        this.repository = repository;
        this.json = json;
        this.clock = clock;
    }

    @Override
    public void recordChange(
            String action, String resourceType, String resourceId, @Nullable Object before, @Nullable Object after) {
        UUID tenantId = TenantContext.current()
                .orElseThrow(() -> new IllegalStateException("an audited change needs a tenant: " + action));
        TenantPrincipal principal = TenantContext.principal().orElse(null);
        repository.append(
                tenantId,
                new AuditLogEntry(
                        Ids.newId(),
                        now(),
                        principal == null ? SYSTEM_ACTOR : principal.subjectId(),
                        principal instanceof SextantPrincipal sextant ? sextant.name() : null,
                        action,
                        resourceType,
                        resourceId,
                        MDC.get(REQUEST_ID_MDC_KEY),
                        AuditLogEntry.CHANGED,
                        representation(before),
                        representation(after),
                        null));
    }

    /** The current tenant's entries that {@code query} admits, newest first. */
    @RequiresPermission("audit:read")
    public CursorPage<AuditLogEntry> search(AuditLogQuery query, @Nullable String cursor, int limit) {
        UUID before = Cursors.decodeId(cursor);
        return CursorPage.fromLookahead(
                repository.page(TenantContext.require(), query, before, limit + 1),
                limit,
                entry -> entry.id().toString());
    }

    /** Appends a denied request's entry; the caller supplies the transaction and its tenant scope. */
    void appendDenied(@Nullable UUID tenantId, AuditLogEntry entry) {
        repository.append(tenantId, entry);
    }

    Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }

    /** {@code resource} as JSON, without secrets; null stays null. */
    @Nullable
    JsonNode representation(@Nullable Object resource) {
        if (resource == null) {
            return null;
        }
        return withoutSecrets(json.valueToTree(resource));
    }

    private static JsonNode withoutSecrets(JsonNode node) {
        if (node instanceof ObjectNode object) {
            List<String> names = new ArrayList<>(object.propertyNames());
            for (String name : names) {
                if (SECRET_MEMBERS.contains(
                        name.toLowerCase(Locale.ROOT).replace("_", "").replace("-", ""))) {
                    object.remove(name);
                } else {
                    object.set(name, withoutSecrets(object.get(name)));
                }
            }
            return object;
        }
        if (node instanceof ArrayNode array) {
            for (int i = 0; i < array.size(); i++) {
                array.set(i, withoutSecrets(array.get(i)));
            }
            return array;
        }
        if (node.isString() && SECRET_VALUE.matcher(node.asString()).matches()) {
            return StringNode.valueOf(REDACTED);
        }
        return node;
    }
}
