package io.sextant.access.web;

import io.sextant.access.AuditLog;
import io.sextant.access.AuditLogEntry;
import io.sextant.access.AuditLogQuery;
import io.sextant.shared.web.CursorPage;
import io.sextant.shared.web.PageLimits;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.Instant;
import org.jspecify.annotations.Nullable;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v1/audit")
@PreAuthorize("hasAuthority('audit:read')")
@Tag(name = "Audit log", description = "Administrative changes and refused requests, newest first")
class AuditController {

    private final AuditLog auditLog;

    AuditController(AuditLog auditLog) {
        this.auditLog = auditLog;
    }

    @GetMapping
    @Operation(
            operationId = "searchAuditLog",
            summary = "The tenant's audit entries, newest first",
            description = "Every filter is optional: actor (a subject such as user:<id>), action (exact, or a"
                    + " prefix such as grant.*), resourceType, resourceId, outcome (changed or denied), and the"
                    + " time window [from, to).")
    CursorPage<AuditLogEntry> search(
            @RequestParam(required = false) @Nullable String actor,
            @RequestParam(required = false) @Nullable String action,
            @RequestParam(required = false) @Nullable String resourceType,
            @RequestParam(required = false) @Nullable String resourceId,
            @RequestParam(required = false) @Nullable String outcome,
            @RequestParam(required = false) @Nullable Instant from,
            @RequestParam(required = false) @Nullable Instant to,
            @RequestParam(required = false) @Nullable String cursor,
            @RequestParam(defaultValue = "" + PageLimits.DEFAULT) int limit) {
        AuditLogQuery query = new AuditLogQuery(actor, action, resourceType, resourceId, outcome, from, to);
        return auditLog.search(query, cursor, PageLimits.check(limit));
    }
}
