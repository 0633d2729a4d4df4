package io.sextant.access;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How many denied requests the audit log records, so that a flood of refused requests can neither
 * grow the table without limit nor slow the service. Each node counts on its own, per minute; the
 * entries over a bound are dropped and counted ({@code sextant.audit.denied.dropped}).
 *
 * @param deniedPerMinute most denied-request entries per actor, or per client address for requests
 *     without valid credentials, per minute ({@code SEXTANT_AUDIT_DENIED_PER_MINUTE})
 * @param deniedTotalPerMinute most denied-request entries of all callers together per minute
 *     ({@code SEXTANT_AUDIT_DENIED_TOTAL_PER_MINUTE})
 */
@ConfigurationProperties("sextant.audit")
public record AuditLogProperties(
        @DefaultValue("20") int deniedPerMinute,
        @DefaultValue("1000") int deniedTotalPerMinute) {

    public AuditLogProperties {
        if (deniedPerMinute < 0 || deniedTotalPerMinute < 0) {
            throw new IllegalArgumentException("the audit log's denied-request bounds cannot be negative");
        }
    }
}
